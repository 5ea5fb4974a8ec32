import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  deskIntakeFields,
  draftProblems,
  emptyDraft,
  fieldOfParam,
  followSuggestion,
  isUntouched,
  type DeskDraft,
} from '../../client/incidents/desk-intake-form';
import { intakeBody } from '../../client/incidents/intake-body';
import { useMapPickStore, type PickedPoint } from '../../client/stores/map-pick';
import { localInputToIso, toLocalInput } from '../../client/ui/local-datetime';
import { IntakeBody } from '../../server/incidents/schema';

const NOW = Date.UTC(2026, 10, 30, 8, 0);
const MINUTE = 60_000;

function filledDraft(overrides: Partial<DeskDraft> = {}): DeskDraft {
  return {
    ...emptyDraft(NOW),
    location: [121.47, 31.23],
    category: 'dispute',
    title: '矛盾纠纷（热线来电）',
    ...overrides,
  };
}

describe('desk intake form', () => {
  it('starts on the hotline, now, with nothing picked', () => {
    const draft = emptyDraft(NOW);
    expect(draft).toMatchObject({ source: 'hotline', location: null, category: '', severity: 'low', title: '' });
    expect(localInputToIso(draft.occurredAt)).toBe(new Date(NOW).toISOString());
  });

  it('counts a form as untouched until something but its time is typed or picked', () => {
    expect(isUntouched(emptyDraft(NOW))).toBe(true);
    expect(isUntouched({ ...emptyDraft(NOW), occurredAt: toLocalInput(NOW - 60 * MINUTE) })).toBe(true);
    expect(isUntouched({ ...emptyDraft(NOW), location: [121.47, 31.23] })).toBe(false);
    expect(isUntouched({ ...emptyDraft(NOW), source: 'walk_in' })).toBe(false);
    expect(isUntouched({ ...emptyDraft(NOW), reporterPhone: '1' })).toBe(false);
  });

  it('asks for a spot, a category and a title', () => {
    expect(draftProblems(emptyDraft(NOW), NOW)).toEqual({ location: 'required', category: 'required', title: 'required' });
    expect(draftProblems(filledDraft({ title: '   ' }), NOW)).toEqual({ title: 'required' });
    expect(draftProblems(filledDraft(), NOW)).toEqual({});
  });

  it('refuses a time in the future or more than a year back, and takes this minute as now', () => {
    expect(draftProblems(filledDraft({ occurredAt: toLocalInput(NOW + 30_000) }), NOW + 30_000)).toEqual({});
    expect(draftProblems(filledDraft({ occurredAt: toLocalInput(NOW + 2 * MINUTE) }), NOW)).toEqual({ occurredAt: 'future' });
    expect(draftProblems(filledDraft({ occurredAt: toLocalInput(NOW - 400 * 24 * 60 * MINUTE) }), NOW)).toEqual({ occurredAt: 'tooOld' });
    expect(draftProblems(filledDraft({ occurredAt: '' }), NOW)).toEqual({ occurredAt: 'required' });
  });

  it('checks the phone and ID number as the server does, taking a small x', () => {
    expect(draftProblems(filledDraft({ reporterPhone: '0571-8888', reporterIdNumber: '33010219800101123x' }), NOW)).toEqual({});
    expect(draftProblems(filledDraft({ reporterPhone: '138 0000' }), NOW)).toEqual({ reporterPhone: 'phone' });
    expect(draftProblems(filledDraft({ reporterPhone: '1234' }), NOW)).toEqual({ reporterPhone: 'phone' });
    expect(draftProblems(filledDraft({ reporterIdNumber: '3301021980010112' }), NOW)).toEqual({ reporterIdNumber: 'idNumber' });
  });

  it('sends what the server accepts: trimmed, empty optional texts left out, the ID in capitals', () => {
    const draft = filledDraft({ source: 'walk_in', description: '  楼上漏水  ', address: '', reporterPhone: '13800000000', reporterIdNumber: '33010219800101123x' });
    const body = intakeBody(deskIntakeFields({ ...draft, location: draft.location!, category: 'dispute' }));
    expect(body).toEqual({
      category: 'dispute',
      severity: 'low',
      title: '矛盾纠纷（热线来电）',
      description: '楼上漏水',
      location: [121.47, 31.23],
      source: 'walk_in',
      occurredAt: new Date(NOW).toISOString(),
      reporterPhone: '13800000000',
      reporterIdNumber: '33010219800101123X',
    });
    const parsed = IntakeBody.safeParse({ ...body, occurredAt: new Date().toISOString() });
    expect(parsed.success).toBe(true);
  });

  it('puts the server reasons at the fields they name', () => {
    expect(fieldOfParam('reporterPhone')).toBe('reporterPhone');
    expect(fieldOfParam('location.1')).toBe('location');
    expect(fieldOfParam('Idempotency-Key')).toBeNull();
    expect(fieldOfParam('cameraId')).toBeNull();
  });

  it('lets the title follow the suggestion until the operator types one', () => {
    expect(followSuggestion('', null, '矛盾纠纷（热线来电）')).toBe('矛盾纠纷（热线来电）');
    expect(followSuggestion('矛盾纠纷（热线来电）', '矛盾纠纷（热线来电）', '矛盾纠纷（来访登记）')).toBe('矛盾纠纷（来访登记）');
    expect(followSuggestion('楼道堆物', '矛盾纠纷（热线来电）', '安全隐患（热线来电）')).toBe('楼道堆物');
  });
});

describe('map pick', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('gives a click to the form waiting for it, once, and a newer request replaces an older one', () => {
    const pick = useMapPickStore();
    const points: PickedPoint[] = [];
    const grids: number[] = [];
    pick.pickGrid((g) => grids.push(g.id));
    pick.pickPoint((p) => points.push(p));
    expect(pick.waitingFor).toBe('point');
    pick.picked({ id: 7, name: 'x' });
    expect(grids).toEqual([]);
    expect(pick.waitingFor).toBeNull();

    pick.pickPoint((p) => points.push(p));
    pick.pickedPoint({ location: [121, 31], grid: null });
    pick.pickedPoint({ location: [122, 32], grid: null });
    expect(points).toEqual([{ location: [121, 31], grid: null }]);
  });
});
