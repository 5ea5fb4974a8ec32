import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { i18n } from '../i18n';
import { storeLocale, type AppLocale } from '../i18n/locales';

export interface Toast {
  id: number;
  kind: 'ok' | 'warn';
  text: string;
}

const TOAST_MS = 6_000;
const MAX_TOASTS = 3;

/** UI preferences that outlive a page load. The i18n instance follows `locale`. */
export const useUiStore = defineStore('ui', () => {
  const locale = ref<AppLocale>(i18n.global.locale.value);
  const legendOpen = ref(true);
  /** i18n key of the current page's title; the tab reads "page · product". */
  const pageTitleKey = ref<string | null>(null);
  /**
   * Short messages that outlive a navigation ("password changed"), newest first, shown by
   * App.vue. A stack, not one slot: a new incident and the key-area alert it raises
   * arrive together, and the operator must see both.
   */
  const toasts = ref<Toast[]>([]);
  const toastTimers = new Map<number, ReturnType<typeof setTimeout>>();
  let lastToastId = 0;

  watch(
    [locale, pageTitleKey],
    ([next, titleKey]) => {
      i18n.global.locale.value = next;
      storeLocale(next);
      // Screen readers and the browser's font fallback pick CJK vs Latin glyphs by lang.
      document.documentElement.lang = next;
      const { t } = i18n.global;
      document.title = titleKey ? `${t(titleKey)} · ${t('app.name')}` : t('app.documentTitle');
    },
    { immediate: true },
  );

  function setLocale(next: AppLocale): void {
    locale.value = next;
  }

  function setPageTitle(titleKey: string | null): void {
    pageTitleKey.value = titleKey;
  }

  /** Shows an already translated message for a few seconds; the oldest goes when the stack is full. */
  function showToast(text: string, kind: 'ok' | 'warn' = 'ok'): void {
    const id = ++lastToastId;
    toasts.value = [{ id, kind, text }, ...toasts.value];
    for (const old of toasts.value.slice(MAX_TOASTS)) dismissToast(old.id);
    toastTimers.set(id, setTimeout(() => dismissToast(id), TOAST_MS));
  }

  function dismissToast(id: number): void {
    clearTimeout(toastTimers.get(id));
    toastTimers.delete(id);
    toasts.value = toasts.value.filter((t) => t.id !== id);
  }

  function toggleLegend(): void {
    legendOpen.value = !legendOpen.value;
  }

  return { locale, legendOpen, pageTitleKey, toasts, setLocale, setPageTitle, showToast, dismissToast, toggleLegend };
});
