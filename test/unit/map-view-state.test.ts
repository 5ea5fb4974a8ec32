import { describe, expect, it } from 'vitest';
import { formatMapUrl, parseMapUrl, parseSelection } from '../../client/map/map-url';
import { formatChoice, frameWindow, framesOf, parseChoice, resolveWindow } from '../../client/map/time-window';

const LAYERS = ['grids-1', 'cameras', 'incidents', 'heatmap'];
const HOUR = 3_600_000;

describe('time window of the command map', () => {
  it('ends a preset at the next step boundary and keeps its length', () => {
    const now = Date.UTC(2026, 10, 30, 4, 17, 31);
    const w = resolveWindow({ preset: '24h' }, now);
    expect(w.to).toBe(Date.UTC(2026, 10, 30, 4, 20));
    expect(w.to - w.from).toBe(24 * HOUR);
    expect(w.to).toBeGreaterThan(now);
    // Within one step the window (and so every tile URL) stays the same.
    expect(resolveWindow({ preset: '24h' }, now + 60_000)).toEqual(w);
    const month = resolveWindow({ preset: '30d' }, now);
    expect(month.to).toBe(Date.UTC(2026, 10, 30, 5));
  });

  it('cuts a window into at most 60 frames of a round width, the last one cut at the end', () => {
    const day = { from: 0, to: 24 * HOUR };
    expect(framesOf(day)).toEqual({ step: 30 * 60_000, count: 48 });
    const hour = framesOf({ from: 0, to: HOUR });
    expect(hour).toEqual({ step: 5 * 60_000, count: 12 });
    const odd = { from: 0, to: 25 * HOUR + 1 };
    const frames = framesOf(odd);
    expect(frames.count).toBeLessThanOrEqual(60);
    const last = frameWindow(odd, frames, frames.count - 1);
    expect(last.to).toBe(odd.to);
    expect(last.from).toBeLessThan(last.to);
    expect(frameWindow(odd, frames, 1)).toEqual({ from: frames.step, to: 2 * frames.step });
  });

  it('reads back what it writes and refuses inverted, too long or malformed custom windows', () => {
    expect(parseChoice('7d')).toEqual({ preset: '7d' });
    const custom = { preset: 'custom' as const, from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 0, 2) };
    expect(parseChoice(formatChoice(custom))).toEqual(custom);
    for (const bad of ['', '8d', '2026-01-02T00:00Z~2026-01-01T00:00Z', '2024-01-01T00:00Z~2026-01-01T00:00Z', 'a~b', 'x~y~z']) {
      expect(parseChoice(bad), bad).toBeNull();
    }
  });
});

describe('command map URL', () => {
  it('round-trips centre, zoom, layers, selection and time window', () => {
    const state = { center: [113.312347, 23.123456] as [number, number], zoom: 13.5, layers: ['grids-1', 'heatmap'], selection: { kind: 'grid' as const, id: 42 }, time: { preset: '6h' as const } };
    const query = formatMapUrl(state);
    expect(query).toEqual({ at: '113.31235,23.12346,13.50', layers: 'grids-1,heatmap', sel: 'grid:42', t: '6h' });
    expect(parseMapUrl(query, LAYERS)).toEqual({
      view: { center: [113.31235, 23.12346], zoom: 13.5 },
      layers: ['grids-1', 'heatmap'],
      selection: { kind: 'grid', id: 42 },
      time: { preset: '6h' },
    });
  });

  it('ignores what it cannot read instead of failing the page', () => {
    const parsed = parseMapUrl({ at: '200,23,10', layers: 'nope,cameras', sel: 'user:1', t: 'forever' }, LAYERS);
    expect(parsed).toEqual({ view: null, layers: ['cameras'], selection: null, time: null });
    expect(parseMapUrl({}, LAYERS)).toEqual({ view: null, layers: null, selection: null, time: null });
    expect(parseSelection('incident:12')).toEqual({ kind: 'incident', id: 12 });
    expect(parseSelection('incident:-1')).toBeNull();
    expect(parseSelection('grid:1e3')).toBeNull();
  });
});
