import type { AuditOutcome } from '../http/api-types';
import { localInputToIso } from '../ui/local-datetime';

/** The audit search form; times are `datetime-local` values in the browser's zone. */
export interface AuditFilters {
  from: string;
  to: string;
  user: string;
  action: string;
  outcome: AuditOutcome | '';
  objectType: string;
  objectId: string;
}

export const AUDIT_PAGE_SIZE = 100;

/** Actions the server records (server/**: `audit:` of each route), offered as suggestions. */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.logout',
  'auth.password.change',
  'auth.session.revoke',
  'token.create',
  'token.revoke',
  'user.create',
  'user.update',
  'user.password.reset',
  'incident.unmask',
  'incident.report',
  'incident.step',
  'incident.photo',
  'workflow.deadlines',
  'geofence.create',
  'geofence.end',
  'patrol.positions',
  'audit.export',
  'request.denied',
] as const;

/** Prefixes the server accepts as `action` to match a whole family. */
export const AUDIT_ACTION_GROUPS = ['auth.', 'token.', 'user.'] as const;

/** i18n key of an action's name: dots become underscores (vue-i18n reads dots as nesting). */
export function auditActionKey(action: string): string {
  return `auditActions.${action.replaceAll('.', '_')}`;
}

export function emptyAuditFilters(): AuditFilters {
  return { from: '', to: '', user: '', action: '', outcome: '', objectType: '', objectId: '' };
}

/**
 * The query of `GET /api/audit` for these filters. The CSV export uses the same query
 * with `format=csv` (and no cursor, so it exports the whole selection, not one page).
 */
export function auditQuery(
  filters: AuditFilters,
  options: { before?: string | null; limit?: number; format?: 'csv' } = {},
): URLSearchParams {
  const query = new URLSearchParams();
  const from = localInputToIso(filters.from);
  const to = localInputToIso(filters.to);
  if (from) query.set('from', from);
  if (to) query.set('to', to);
  for (const key of ['user', 'action', 'objectType', 'objectId'] as const) {
    const value = filters[key].trim();
    if (value) query.set(key, value);
  }
  if (filters.outcome) query.set('outcome', filters.outcome);
  if (options.format) query.set('format', options.format);
  else query.set('limit', String(options.limit ?? AUDIT_PAGE_SIZE));
  if (options.before) query.set('before', options.before);
  return query;
}

/** Short text for an entry's `detail`, whatever JSON the server stored there; an em dash for none. */
export function detailText(detail: unknown): string {
  if (detail === null || detail === undefined || detail === '') return '—';
  if (typeof detail === 'string') return detail;
  if (typeof detail === 'object' && !Array.isArray(detail)) {
    if (Object.keys(detail).length === 0) return '—';
    return Object.entries(detail as Record<string, unknown>)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' · ');
  }
  return JSON.stringify(detail);
}
