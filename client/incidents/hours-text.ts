// A deadline in hours as people plan with it: "72小时 · 3天", "30 hours · 1 day 6 hours".
// Intl's own unit names, so both languages read naturally without messages of our own.

const HOURS_PER_DAY = 24;

/** Whole days and the hours left over. */
export function splitHours(total: number): { days: number; hours: number } {
  return { days: Math.floor(total / HOURS_PER_DAY), hours: total % HOURS_PER_DAY };
}

const formats = new Map<string, Intl.NumberFormat>();

function unitText(locale: string, unit: 'hour' | 'day', n: number): string {
  const id = `${locale}:${unit}`;
  let format = formats.get(id);
  if (!format) {
    // No grouping: "2160" as typed in the input, not "2,160".
    format = new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long', useGrouping: false });
    formats.set(id, format);
  }
  return format.format(n);
}

/** The hours, followed by days (and the rest in hours) when the span is a day or longer. */
export function hoursText(total: number, locale: string): string {
  const hoursOnly = unitText(locale, 'hour', total);
  const { days, hours } = splitHours(total);
  if (days === 0) return hoursOnly;
  const parts = hours === 0 ? [unitText(locale, 'day', days)] : [unitText(locale, 'day', days), unitText(locale, 'hour', hours)];
  return `${hoursOnly} · ${new Intl.ListFormat(locale, { type: 'unit', style: 'narrow' }).format(parts)}`;
}
