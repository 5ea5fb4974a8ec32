import { useI18n } from 'vue-i18n';
import { elapsed } from './elapsed';

/** "5 分钟前" and "2 小时" in the interface language. */
export function useElapsedText() {
  const { t } = useI18n();
  return {
    ago(iso: string, now: number): string {
      const span = elapsed(now - Date.parse(iso));
      return span.unit === 'now' ? t('queue.ago.now') : t(`queue.ago.${span.unit}`, { n: span.n });
    },
    span(ms: number): string {
      const span = elapsed(ms);
      return span.unit === 'now' ? t('queue.duration.minutes', { n: 1 }) : t(`queue.duration.${span.unit}`, { n: span.n });
    },
  };
}
