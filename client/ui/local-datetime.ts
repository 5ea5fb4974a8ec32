// `<input type="datetime-local">` holds a wall-clock time without a zone: the browser's.

/** `YYYY-MM-DDTHH:mm` in local time, as a `datetime-local` input takes it. */
export function toLocalInput(ms: number): string {
  const shifted = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

/** A `datetime-local` value as an ISO instant, or null when empty or unreadable. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const date = new Date(value); // no zone in the value: read as local time
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
