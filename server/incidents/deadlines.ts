import type { Queryable } from '../db/database.js';
import { loadSql } from '../sql-files.js';
import type { DeadlinesInput } from './schema.js';

const sql = loadSql(import.meta.url, ['deadlines', 'deadlines-set']);

export interface Deadline {
  category: string;
  severity: string;
  hours: number;
}

export async function listDeadlines(q: Queryable): Promise<Deadline[]> {
  return (await q.query<Deadline>(sql.deadlines)).rows;
}

/** New incidents take the new deadlines; those already filed keep the one they were given. */
export async function setDeadlines(q: Queryable, input: DeadlinesInput): Promise<Deadline[]> {
  await q.query(sql['deadlines-set'], [JSON.stringify(input.deadlines)]);
  return listDeadlines(q);
}
