import { scopeOf } from '../auth/caller.js';
import { guarded, type Route } from '../auth/routes.js';
import type { Database } from '../db/database.js';
import { auditCsv } from './csv.js';
import { searchAudit, verifyAuditChain } from './repository.js';
import { AuditQuery, CSV_MAX_ROWS } from './schema.js';

const JSON_PAGE = 100;

/** `/api/audit`: the auditor's search, export and chain verification. */
export function auditRoutes(db: Database): Route[] {
  return [
    guarded({
      method: 'get',
      path: '/audit',
      summary: 'Search the audit trail, newest first, as JSON pages or a CSV export (audited)',
      access: 'audit:read',
      schemas: { query: AuditQuery },
      async handler({ res, caller, input, audit }) {
        const { format, limit, ...filter } = input.query;
        const pageSize = limit ?? (format === 'csv' ? CSV_MAX_ROWS : JSON_PAGE);
        const entries = await searchAudit(db, scopeOf(caller), { ...filter, limit: pageSize });
        if (format === 'json') {
          const next = entries.length === pageSize ? String(entries.at(-1)!.id) : null;
          res.set('Cache-Control', 'no-store').json({ entries, next });
          return;
        }
        // An export takes audit data out of the system: it is itself audited.
        await audit(db, {
          action: 'audit.export',
          outcome: 'success',
          objectType: 'audit_log',
          detail: { rows: entries.length, filter: { ...filter, from: filter.from?.toISOString(), to: filter.to?.toISOString() } },
        });
        const stamp = new Date().toISOString().slice(0, 19).replaceAll(':', '');
        res
          .set('Cache-Control', 'no-store')
          .type('text/csv; charset=utf-8')
          .attachment(`audit-${stamp}.csv`)
          .send(auditCsv(entries));
      },
    }),

    guarded({
      method: 'get',
      path: '/audit/verify',
      summary: "Verify the audit trail's hash chain",
      access: 'audit:read',
      async handler({ res }) {
        res.set('Cache-Control', 'no-store').json(await verifyAuditChain(db));
      },
    }),
  ];
}
