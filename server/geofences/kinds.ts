/** Kinds of key areas (重点区域). Pure: the client imports it. */
export const GEOFENCE_KINDS = ['school', 'station', 'event', 'site', 'other'] as const;
