// Where the live stream connects, and how long it waits between attempts. Pure, for tests.

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

/**
 * Delay before reconnect attempt `attempt` (0-based): doubling from 1 s up to 30 s, each
 * between half and all of it, so a restarted server is not hit by every wall and desk at once.
 */
export function reconnectDelay(attempt: number, random: number): number {
  const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(attempt, 15));
  return Math.round(ceiling * (0.5 + random / 2));
}

/** `/ws/live` on the page's own host, resuming after `after` when given. */
export function liveUrl(location: { protocol: string; host: string }, after: number | null): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws/live${after === null ? '' : `?after=${after}`}`;
}
