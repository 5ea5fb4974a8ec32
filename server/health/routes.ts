import { open, type Route } from '../auth/routes.js';
import type { Database } from '../db/database.js';
import { loadSql } from '../sql-files.js';

const sql = loadSql(import.meta.url, ['latest-dataset-load']);

export interface HealthResponse {
  status: 'ok';
  database: {
    mode: Database['mode'];
    postgres: string;
    postgis: string;
    capabilities: Database['info']['capabilities'];
  };
  demo: {
    loaded: boolean;
    dataset: string | null;
    version: string | null;
    loadedAt: string | null;
  };
}

/**
 * `GET /api/health`: answers only after a round trip to the database, so a load
 * balancer or the big screen's watchdog sees a dead database as a 503 problem.
 */
export function healthRoutes(db: Database): Route[] {
  return [
    open({
      method: 'get',
      path: '/health',
      summary: 'Liveness: database versions and capabilities, and the loaded demo data set',
      async handler({ res }) {
        const { rows } = await db.query<{ dataset: string; version: string; loaded_at: Date }>(sql['latest-dataset-load']);
        const load = rows[0];
        const body: HealthResponse = {
          status: 'ok',
          database: {
            mode: db.mode,
            postgres: db.info.postgres,
            postgis: db.info.postgis,
            capabilities: db.info.capabilities,
          },
          demo: {
            loaded: load !== undefined,
            dataset: load?.dataset ?? null,
            version: load?.version ?? null,
            loadedAt: load?.loaded_at.toISOString() ?? null,
          },
        };
        res.set('Cache-Control', 'no-store').json(body);
      },
    }),
  ];
}
