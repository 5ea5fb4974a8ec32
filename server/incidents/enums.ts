/** The incident enumerations, in the order the binary points form indexes them (points-format.ts). Pure: the client imports it. */
export const CATEGORIES = ['dispute', 'safety_hazard', 'public_order', 'city_management', 'livelihood', 'other'] as const;
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Category = (typeof CATEGORIES)[number];
export type Severity = (typeof SEVERITIES)[number];
export const STATUSES = ['received', 'dispatched', 'handling', 'feedback', 'reviewed', 'revisited', 'closed'] as const;
/** Bounds of a deadline in whole hours from the report (the table's CHECK in migration 0005); the settings page checks them too. */
export const DEADLINE_HOURS = { min: 1, max: 2160 } as const;
