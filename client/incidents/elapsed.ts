export type ElapsedUnit = 'now' | 'minutes' | 'hours' | 'days';

/**
 * A span as the duty desk reads it: under a minute is "now", then whole minutes, hours
 * from 90 minutes, days from 36 hours. Negative spans count as their length.
 */
export function elapsed(ms: number): { unit: ElapsedUnit; n: number } {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 1) return { unit: 'now', n: 0 };
  if (minutes < 90) return { unit: 'minutes', n: minutes };
  const hours = Math.round(minutes / 60);
  if (hours < 36) return { unit: 'hours', n: hours };
  return { unit: 'days', n: Math.round(hours / 24) };
}
