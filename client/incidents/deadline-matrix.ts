import { CATEGORIES, DEADLINE_HOURS, SEVERITIES, type Category, type Severity } from '../../server/incidents/enums';

// The deadlines page as data: category × severity cells, what the inputs hold, what
// Save would send and what deserves a second look. Pure, tested in test/unit/deadlines.test.ts.

/** One deadline as `GET` and `PATCH /api/incident-deadlines` carry it. */
export interface Deadline {
  category: Category;
  severity: Severity;
  hours: number;
}

/** `dispute/low`: one cell of the matrix. */
export type CellKey = `${Category}/${Severity}`;

export const cellKey = (category: Category, severity: Severity): CellKey => `${category}/${severity}`;

/** Hours per cell as the server has them. */
export type SavedMatrix = Partial<Record<CellKey, number>>;

/** The inputs' text as typed, so an empty or half-typed value stays on screen and is explained. */
export type DraftMatrix = Partial<Record<CellKey, string>>;

export type HoursProblem = 'empty' | 'notWhole' | 'tooSmall' | 'tooLarge';

/** A more severe incident given longer than a less severe one of the same category. */
export interface Inversion {
  category: Category;
  lower: Severity;
  lowerHours: number;
  higher: Severity;
  higherHours: number;
}

/** Every cell in display order: categories as rows, severities low → critical as columns. */
export const CELLS: ReadonlyArray<{ category: Category; severity: Severity; key: CellKey }> = CATEGORIES.flatMap((category) =>
  SEVERITIES.map((severity) => ({ category, severity, key: cellKey(category, severity) })),
);

export function savedMatrix(deadlines: readonly Deadline[]): SavedMatrix {
  return Object.fromEntries(deadlines.map((d) => [cellKey(d.category, d.severity), d.hours]));
}

export function draftOf(saved: SavedMatrix): DraftMatrix {
  return Object.fromEntries(CELLS.map(({ key }) => [key, saved[key] === undefined ? '' : String(saved[key])]));
}

/** Why the server would refuse this text as a deadline (DeadlinesBody), or null when it is fine. */
export function hoursProblem(text: string | undefined): HoursProblem | null {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return 'empty';
  const hours = Number(trimmed);
  if (!Number.isInteger(hours)) return 'notWhole';
  if (hours < DEADLINE_HOURS.min) return 'tooSmall';
  if (hours > DEADLINE_HOURS.max) return 'tooLarge';
  return null;
}

/** The hours a cell's text stands for, or null when it is not a valid deadline. */
export function parseHours(text: string | undefined): number | null {
  return hoursProblem(text) === null ? Number(text!.trim()) : null;
}

export function cellProblems(draft: DraftMatrix): Partial<Record<CellKey, HoursProblem>> {
  const problems: Partial<Record<CellKey, HoursProblem>> = {};
  for (const { key } of CELLS) {
    const problem = hoursProblem(draft[key]);
    if (problem) problems[key] = problem;
  }
  return problems;
}

/** A cell Save sends, with the hours the editor started from: the server refuses it (409) if another leader changed them meanwhile. */
export interface DeadlineChange extends Deadline {
  previousHours?: number;
}

/** What Save sends: the valid cells whose hours differ from the server's, in matrix order. */
export function changedDeadlines(saved: SavedMatrix, draft: DraftMatrix): DeadlineChange[] {
  return CELLS.flatMap(({ category, severity, key }) => {
    const hours = parseHours(draft[key]);
    const previousHours = saved[key];
    return hours === null || hours === previousHours ? [] : [{ category, severity, hours, ...(previousHours !== undefined && { previousHours }) }];
  });
}

/**
 * Where a more severe incident would get longer than the next less severe one of its
 * category. Neighbours suffice: a column order that never grows has no such pair at
 * all. Cells with invalid text are skipped, comparing across them.
 */
export function inversions(draft: DraftMatrix): Inversion[] {
  return CATEGORIES.flatMap((category) => {
    const valid = SEVERITIES.flatMap((severity) => {
      const hours = parseHours(draft[cellKey(category, severity)]);
      return hours === null ? [] : [{ severity, hours }];
    });
    return valid.slice(1).flatMap((higher, i) => {
      const lower = valid[i]!;
      return higher.hours > lower.hours
        ? [{ category, lower: lower.severity, lowerHours: lower.hours, higher: higher.severity, higherHours: higher.hours }]
        : [];
    });
  });
}
