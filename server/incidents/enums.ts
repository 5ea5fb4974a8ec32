/** The incident enumerations, in the order the binary points form indexes them (points-format.ts). Pure: the client imports it. */
export const CATEGORIES = ['dispute', 'safety_hazard', 'public_order', 'city_management', 'livelihood', 'other'] as const;
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const STATUSES = ['received', 'dispatched', 'handling', 'feedback', 'reviewed', 'revisited', 'closed'] as const;
