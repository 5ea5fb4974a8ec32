/**
 * Set by the offline shell (service-worker.ts, which spells it out too) on an answer it kept
 * and hands out because the network failed; the answer's own `Date` says when it was fresh.
 */
export const OFFLINE_COPY_HEADER = 'Pingan-Offline-Copy';

/** When a response is the shell's kept copy, the time it was fresh (ms); otherwise null. */
export function offlineCopyTime(response: Pick<Response, 'headers'>): number | null {
  if (response.headers.get(OFFLINE_COPY_HEADER) !== 'true') return null;
  const fresh = Date.parse(response.headers.get('Date') ?? '');
  return Number.isNaN(fresh) ? 0 : fresh;
}
