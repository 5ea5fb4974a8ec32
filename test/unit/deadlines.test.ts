import { describe, expect, it } from 'vitest';
import {
  CELLS,
  cellProblems,
  changedDeadlines,
  draftOf,
  hoursProblem,
  inversions,
  parseHours,
  savedMatrix,
  type Deadline,
} from '../../client/incidents/deadline-matrix';
import { hoursText, splitHours } from '../../client/incidents/hours-text';

// The deadlines page's logic: checking what is typed, what Save sends, which settings
// give a more severe incident longer, and how hours read.

const DEFAULT_HOURS = { low: 168, medium: 72, high: 24, critical: 4 };
const server: Deadline[] = CELLS.map(({ category, severity }) => ({ category, severity, hours: DEFAULT_HOURS[severity] }));

describe('deadline matrix', () => {
  it('holds every category × severity, rows of categories, severities low → critical', () => {
    expect(CELLS).toHaveLength(24);
    expect(CELLS.slice(0, 4).map((c) => c.key)).toEqual(['dispute/low', 'dispute/medium', 'dispute/high', 'dispute/critical']);
    expect(draftOf(savedMatrix(server))['public_order/critical']).toBe('4');
  });

  it('explains text the server would refuse', () => {
    expect(hoursProblem('')).toBe('empty');
    expect(hoursProblem('   ')).toBe('empty');
    expect(hoursProblem(undefined)).toBe('empty');
    expect(hoursProblem('1.5')).toBe('notWhole');
    expect(hoursProblem('abc')).toBe('notWhole');
    expect(hoursProblem('0')).toBe('tooSmall');
    expect(hoursProblem('-3')).toBe('tooSmall');
    expect(hoursProblem('2161')).toBe('tooLarge');
    expect(hoursProblem('1')).toBeNull();
    expect(hoursProblem(' 2160 ')).toBeNull();
    expect(parseHours(' 48 ')).toBe(48);
    expect(parseHours('48.5')).toBeNull();
  });

  it('sends only the valid cells that differ from the server, each with the hours it started from', () => {
    const saved = savedMatrix(server);
    const draft = { ...draftOf(saved), 'dispute/high': '12', 'livelihood/low': '', 'other/medium': '72', 'other/critical': '2' };
    expect(changedDeadlines(saved, draft)).toEqual([
      { category: 'dispute', severity: 'high', hours: 12, previousHours: 24 },
      { category: 'other', severity: 'critical', hours: 2, previousHours: 4 },
    ]);
    expect(cellProblems(draft)).toEqual({ 'livelihood/low': 'empty' });
    expect(changedDeadlines(saved, draftOf(saved))).toEqual([]);
  });

  it('finds a more severe incident given longer than the next less severe one, across invalid cells', () => {
    const draft = draftOf(savedMatrix(server));
    expect(inversions(draft)).toEqual([]);
    // Equal is fine; longer is not.
    expect(inversions({ ...draft, 'dispute/high': '72' })).toEqual([]);
    expect(inversions({ ...draft, 'dispute/critical': '30' })).toEqual([
      { category: 'dispute', lower: 'high', lowerHours: 24, higher: 'critical', higherHours: 30 },
    ]);
    // medium is being typed: high is compared with low.
    expect(inversions({ ...draft, 'city_management/medium': '', 'city_management/high': '200' })).toEqual([
      { category: 'city_management', lower: 'low', lowerHours: 168, higher: 'high', higherHours: 200 },
    ]);
  });
});

describe('hours as text', () => {
  it('splits whole days from the hours left over', () => {
    expect(splitHours(4)).toEqual({ days: 0, hours: 4 });
    expect(splitHours(72)).toEqual({ days: 3, hours: 0 });
    expect(splitHours(30)).toEqual({ days: 1, hours: 6 });
  });

  it('reads in Chinese and English', () => {
    expect(hoursText(4, 'zh-CN')).toBe('4小时');
    expect(hoursText(72, 'zh-CN')).toBe('72小时 · 3天');
    expect(hoursText(30, 'zh-CN')).toBe('30小时 · 1天6小时');
    expect(hoursText(2160, 'zh-CN')).toBe('2160小时 · 90天');
    expect(hoursText(1, 'en')).toBe('1 hour');
    expect(hoursText(24, 'en')).toBe('24 hours · 1 day');
    expect(hoursText(30, 'en')).toBe('30 hours · 1 day 6 hours');
  });
});
