// The map's time window (which incidents the layers show) and its playback frames.
// Pure: the store, the URL and the unit tests share it.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const WINDOW_PRESETS = ['1h', '6h', '24h', '7d', '30d'] as const;
export type WindowPreset = (typeof WINDOW_PRESETS)[number];

const PRESET_LENGTH: Record<WindowPreset, number> = { '1h': HOUR, '6h': 6 * HOUR, '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY };

/** Longest window the server accepts (MAX_WINDOW_DAYS in server/incidents/schema.ts). */
export const MAX_WINDOW_MS = 366 * DAY;

export type TimeWindowChoice = { preset: WindowPreset } | { preset: 'custom'; from: number; to: number };

export interface TimeWindow {
  /** Reported at or after (ms since 1970). */
  from: number;
  /** Reported before. */
  to: number;
}

/**
 * A preset's start moves in steps (a minute for short windows, an hour for long ones)
 * so tile URLs, and with them the browser's and the server's caches, hold for a while.
 */
export function presetStep(preset: WindowPreset): number {
  const length = PRESET_LENGTH[preset];
  return length <= HOUR ? MINUTE : length <= DAY ? 5 * MINUTE : HOUR;
}

export function resolveWindow(choice: TimeWindowChoice, now: number): TimeWindow {
  if (choice.preset === 'custom') return { from: choice.from, to: choice.to };
  const step = presetStep(choice.preset);
  // `to` is the next step boundary: everything reported up to now is inside.
  const to = Math.ceil((now + 1) / step) * step;
  return { from: to - PRESET_LENGTH[choice.preset], to };
}

/** Frame widths playback picks from: the smallest that gives at most MAX_FRAMES frames. */
const FRAME_STEPS = [5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 7 * DAY];
const MAX_FRAMES = 60;

export interface Frames {
  /** Width of one frame, ms. */
  step: number;
  count: number;
}

export function framesOf(window: TimeWindow): Frames {
  const span = window.to - window.from;
  const step = FRAME_STEPS.find((s) => span / s <= MAX_FRAMES) ?? FRAME_STEPS[FRAME_STEPS.length - 1]!;
  return { step, count: Math.max(1, Math.ceil(span / step)) };
}

/** Frame `index` of the window: [from, to), the last one cut at the window's end. */
export function frameWindow(window: TimeWindow, frames: Frames, index: number): TimeWindow {
  const from = window.from + index * frames.step;
  return { from, to: Math.min(window.to, from + frames.step) };
}

/** `1h` … `30d`, or `<from ISO>~<to ISO>` for a custom window (the URL form). */
export function formatChoice(choice: TimeWindowChoice): string {
  if (choice.preset !== 'custom') return choice.preset;
  return `${new Date(choice.from).toISOString()}~${new Date(choice.to).toISOString()}`;
}

export function parseChoice(text: string | null | undefined): TimeWindowChoice | null {
  if (!text) return null;
  if ((WINDOW_PRESETS as readonly string[]).includes(text)) return { preset: text as WindowPreset };
  const [a, b, ...rest] = text.split('~');
  if (!a || !b || rest.length > 0) return null;
  const from = Date.parse(a);
  const to = Date.parse(b);
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from || to - from > MAX_WINDOW_MS) return null;
  return { preset: 'custom', from, to };
}
