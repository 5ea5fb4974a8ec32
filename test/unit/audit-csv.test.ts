import { describe, expect, it } from 'vitest';
import { auditCsv } from '../../server/audit/csv.js';
import type { AuditEntry } from '../../server/audit/repository.js';

// The audit export as a spreadsheet opens it: UTF-8 with a BOM, CRLF rows, RFC 4180
// quoting, and no cell that Excel or WPS would run as a formula (CSV injection).

const HEADER = 'id,at,username,userId,role,centerId,ip,action,objectType,objectId,outcome,detail';

const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({
  id: 7,
  at: '2026-11-24T08:00:00.000Z',
  userId: 12,
  username: 'operator.village',
  role: 'operator',
  centerId: 7,
  ip: '127.0.0.1',
  action: 'incident.unmask',
  objectType: 'incident',
  objectId: '42',
  outcome: 'success',
  detail: {},
  ...over,
});

/** The cells of the one data row of `csv` (no cell in these tests holds a line break unless quoted). */
function onlyRow(csv: string): string {
  const lines = csv.slice(1).split('\r\n');
  expect(lines[0]).toBe(HEADER);
  expect(lines.at(-1)).toBe('');
  return lines.slice(1, -1).join('\r\n');
}

describe('auditCsv', () => {
  it('when there are no entries, then it is the BOM, the header row and a final CRLF', () => {
    expect(auditCsv([])).toBe(`\uFEFF${HEADER}\r\n`);
  });

  it('when an entry is plain, then its cells are unquoted in header order, with empty cells for null and JSON for detail', () => {
    const csv = auditCsv([entry({ userId: null, role: null, centerId: null, objectType: null, objectId: null, detail: { reason: 'unknown_user' } })]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(onlyRow(csv)).toBe('7,2026-11-24T08:00:00.000Z,operator.village,,,,127.0.0.1,incident.unmask,,,success,"{""reason"":""unknown_user""}"');
  });

  it('when entries are several, then rows follow the given order, one per entry', () => {
    const csv = auditCsv([entry({ id: 3 }), entry({ id: 2 }), entry({ id: 1 })]);
    const rows = csv.slice(1).split('\r\n').slice(1, -1);
    expect(rows.map((r) => r.split(',')[0])).toEqual(['3', '2', '1']);
  });

  it.each([
    ['=1+2', "'=1+2"],
    ['+SUM(1)', "'+SUM(1)"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
    ['\r=1', `"'\r=1"`],
  ])('when a text cell starts like a formula (%j), then it gets a leading apostrophe (and quotes where needed)', (username, cell) => {
    // The user name is the third cell, before the user id 12.
    expect(onlyRow(auditCsv([entry({ username })]))).toBe(
      `7,2026-11-24T08:00:00.000Z,${cell},12,operator,7,127.0.0.1,incident.unmask,incident,42,success,{}`,
    );
  });

  it.each([
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['张三', '张三'],
    ["it's", "it's"],
    ['a=b', 'a=b'],
    [' =1', ' =1'],
  ])('when a text cell holds %j, then it is written as %j', (username, cell) => {
    const csv = auditCsv([entry({ username })]);
    expect(csv).toContain(`,127.0.0.1,`);
    expect(csv.slice(1).split('\r\n').slice(1).join('\r\n')).toContain(`,${cell},12,`);
  });

  it('when numbers or the detail JSON would start with a minus or hold formula text, then they are data, not formulas', () => {
    const csv = auditCsv([entry({ centerId: -1, detail: { name: '=cmd' } })]);
    // A number is a number: no apostrophe. The JSON starts with "{": not a formula.
    expect(csv).toContain(',-1,');
    expect(csv).toContain('"{""name"":""=cmd""}"');
  });

  it('when the object id or action would look like a formula, then it is guarded too', () => {
    const csv = auditCsv([entry({ objectId: '=2+5', objectType: '@x' })]);
    expect(csv).toContain(",'@x,'=2+5,");
  });
});
