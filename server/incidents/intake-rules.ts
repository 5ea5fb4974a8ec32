/**
 * What intake accepts beyond the enumerations: channels, text lengths, reporter formats
 * and how far `occurredAt` may lie from now. Pure: the schema checks with it and the
 * desk intake form (client/incidents/DeskIntake.vue) explains it at the fields.
 */

/** Channels a report arrives by (Open311 has its own endpoint). */
export const INTAKE_SOURCES = ['grid_app', 'hotline', 'walk_in', 'camera_alarm', 'other'] as const;
export type IntakeSource = (typeof INTAKE_SOURCES)[number];

export const INTAKE_MAX_LENGTH = { title: 200, description: 5000, address: 300, reporterName: 50 } as const;

/** 5–20 of digits, + and - (landlines with area codes, mobiles, +86). */
export const REPORTER_PHONE = /^[0-9+-]{5,20}$/;
/** An 18-character resident ID number (居民身份证号码), check character X in capitals. */
export const REPORTER_ID_NUMBER = /^[0-9]{17}[0-9X]$/;

/** Clock skew allowed for `occurredAt` ahead of the server's now. */
export const OCCURRED_AT_SKEW_MS = 5 * 60_000;
/** How far back `occurredAt` may lie. */
export const OCCURRED_AT_MAX_AGE_MS = 366 * 24 * 3_600_000;
