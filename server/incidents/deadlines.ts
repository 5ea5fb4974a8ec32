import type { Queryable } from '../db/database.js';
import { HttpProblem, ProblemType } from '../http/problem.js';
import { loadSql } from '../sql-files.js';
import type { DeadlinesInput } from './schema.js';

const sql = loadSql(import.meta.url, ['deadlines', 'deadlines-lock', 'deadlines-set']);

export interface Deadline {
  category: string;
  severity: string;
  hours: number;
}

export async function listDeadlines(q: Queryable): Promise<Deadline[]> {
  return (await q.query<Deadline>(sql.deadlines)).rows;
}

/**
 * New incidents take the new deadlines; those already filed keep the one they were given.
 * Call in a transaction: a cell sent with `previousHours` that another leader changed
 * meanwhile refuses the whole change (409 with the cells' hours now), so no one's edit is
 * overwritten unseen.
 */
export async function setDeadlines(q: Queryable, input: DeadlinesInput): Promise<Deadline[]> {
  const current = (await q.query<Deadline>(sql['deadlines-lock'], [JSON.stringify(input.deadlines)])).rows;
  const changed = current.filter((now) => {
    const sent = input.deadlines.find((d) => d.category === now.category && d.severity === now.severity);
    return sent?.previousHours !== undefined && sent.previousHours !== now.hours;
  });
  if (changed.length > 0) {
    throw new HttpProblem(409, {
      type: ProblemType.deadlinesChanged,
      title: 'Deadlines changed meanwhile',
      detail: `${changed.map((d) => `${d.category}/${d.severity} is now ${d.hours} h`).join(', ')}; nothing was changed: reload and decide again`,
      extra: { current: changed },
    });
  }
  await q.query(sql['deadlines-set'], [JSON.stringify(input.deadlines)]);
  return listDeadlines(q);
}
