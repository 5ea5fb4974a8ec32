import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { i18n } from '../i18n';
import { storeLocale, type AppLocale } from '../i18n/locales';

/** UI preferences that outlive a page load. The i18n instance follows `locale`. */
export const useUiStore = defineStore('ui', () => {
  const locale = ref<AppLocale>(i18n.global.locale.value);
  const legendOpen = ref(true);
  /** i18n key of the current page's title; the tab reads "page · product". */
  const pageTitleKey = ref<string | null>(null);
  /** A short confirmation that outlives a navigation ("password changed"), shown by App.vue. */
  const toast = ref<{ id: number; kind: 'ok' | 'warn'; text: string } | null>(null);
  let toastTimer: ReturnType<typeof setTimeout> | undefined;

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

  /** Shows an already translated message for a few seconds. */
  function showToast(text: string, kind: 'ok' | 'warn' = 'ok'): void {
    clearTimeout(toastTimer);
    toast.value = { id: Date.now(), kind, text };
    toastTimer = setTimeout(() => (toast.value = null), 6_000);
  }

  function dismissToast(): void {
    clearTimeout(toastTimer);
    toast.value = null;
  }

  function toggleLegend(): void {
    legendOpen.value = !legendOpen.value;
  }

  return { locale, legendOpen, pageTitleKey, toast, setLocale, setPageTitle, showToast, dismissToast, toggleLegend };
});
