import type { AuditEntry } from './repository.js';

const COLUMNS: readonly (keyof AuditEntry)[] = [
  'id', 'at', 'username', 'userId', 'role', 'centerId', 'ip', 'action', 'objectType', 'objectId', 'outcome', 'detail',
];

/**
 * One CSV cell. Quoted when needed; text that a spreadsheet would run as a formula
 * (leading = + - @ or a control character) gets a leading apostrophe.
 */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Audit entries as CSV, with a byte-order mark so Excel on a Chinese Windows reads UTF-8. */
export function auditCsv(entries: readonly AuditEntry[]): string {
  const lines = [COLUMNS.join(','), ...entries.map((e) => COLUMNS.map((c) => cell(e[c])).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
