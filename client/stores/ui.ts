import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { i18n } from '../i18n';
import { storeLocale, type AppLocale } from '../i18n/locales';

/** UI preferences that outlive a page load. The i18n instance follows `locale`. */
export const useUiStore = defineStore('ui', () => {
  const locale = ref<AppLocale>(i18n.global.locale.value);
  const legendOpen = ref(true);

  watch(
    locale,
    (next) => {
      i18n.global.locale.value = next;
      storeLocale(next);
      // Screen readers and the browser's font fallback pick CJK vs Latin glyphs by lang.
      document.documentElement.lang = next;
      document.title = i18n.global.t('app.documentTitle');
    },
    { immediate: true },
  );

  function setLocale(next: AppLocale): void {
    locale.value = next;
  }

  function toggleLegend(): void {
    legendOpen.value = !legendOpen.value;
  }

  return { locale, legendOpen, setLocale, toggleLegend };
});
