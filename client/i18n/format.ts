import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import type { CenterLevel, Role } from '../http/api-types';

/**
 * Formatting that follows the interface language: dates in the browser's time zone
 * (the server sends UTC ISO times), numbers, and enumerated values (roles, center
 * levels, incident categories …) by their translated names.
 */
export function useFormat() {
  const { t, te, locale } = useI18n();

  const dateTimeFormat = computed(
    () =>
      new Intl.DateTimeFormat(locale.value, {
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      }),
  );
  const dateFormat = computed(() => new Intl.DateTimeFormat(locale.value, { year: 'numeric', month: '2-digit', day: '2-digit' }));
  const timeFormat = computed(
    () => new Intl.DateTimeFormat(locale.value, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  );

  const numberFormat = computed(() => new Intl.NumberFormat(locale.value));

  /** The translation of `value` under message group `group`, or the value itself when there is none. */
  function term(group: string, value: string | null | undefined): string {
    if (!value) return '—';
    return te(`${group}.${value}`) ? t(`${group}.${value}`) : value;
  }

  function parse(iso: string | null | undefined): Date | null {
    if (!iso) return null;
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? null : date;
  }

  return {
    /** `2026/11/24 20:00:05`; an em dash for none. */
    dateTime(iso: string | null | undefined): string {
      const date = parse(iso);
      return date ? dateTimeFormat.value.format(date) : (iso ?? '—');
    },
    date(iso: string | null | undefined): string {
      const date = parse(iso);
      return date ? dateFormat.value.format(date) : (iso ?? '—');
    },
    /** Time of day, with the date only when it is not today (lock-outs last minutes). */
    timeOfDay(iso: string | null | undefined): string {
      const date = parse(iso);
      if (!date) return iso ?? '—';
      const sameDay = date.toDateString() === new Date().toDateString();
      return sameDay ? timeFormat.value.format(date) : dateTimeFormat.value.format(date);
    },
    /** `12,345` in the interface language; an em dash for none. */
    number(n: number | null | undefined): string {
      return n === null || n === undefined ? '—' : numberFormat.value.format(n);
    },
    term,
    role(role: Role | string | null | undefined): string {
      return term('roles', role);
    },
    level(level: CenterLevel | string | null | undefined): string {
      return term('levels', level);
    },
  };
}
