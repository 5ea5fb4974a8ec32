import { createI18n } from 'vue-i18n';
import en from './messages/en';
import zhCN, { type MessageSchema } from './messages/zh-CN';
import { DEFAULT_LOCALE, loadStoredLocale, type AppLocale } from './locales';

export const i18n = createI18n<[MessageSchema], AppLocale, false>({
  legacy: false,
  locale: loadStoredLocale(),
  fallbackLocale: DEFAULT_LOCALE,
  messages: { 'zh-CN': zhCN, en },
});
