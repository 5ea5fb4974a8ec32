import { readFileSync } from 'node:fs';

/**
 * Reads the `sql/<name>.sql` files beside a module, once, when that module is imported.
 * A missing or misnamed file therefore stops the start-up instead of failing a request.
 *
 *   const sql = loadSql(import.meta.url, ['extent', 'grids']);
 *   await db.query(sql.grids, [level]);
 */
export function loadSql<const K extends string>(moduleUrl: string, names: readonly K[]): Record<K, string> {
  const entries = names.map((name) => [name, readFileSync(new URL(`sql/${name}.sql`, moduleUrl), 'utf8')] as const);
  return Object.fromEntries(entries) as Record<K, string>;
}
