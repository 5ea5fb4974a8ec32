export const SUPPORTED_LOCALES = ['zh-CN', 'en'] as const;
export type AppLocale = (typeof SUPPORTED_LOCALES)[number];

// The product is Chinese first: every deployment is a Chinese governance center.
export const DEFAULT_LOCALE: AppLocale = 'zh-CN';

const STORAGE_KEY = 'pingan-map.locale';

export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

export function loadStoredLocale(): AppLocale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return isAppLocale(stored) ? stored : DEFAULT_LOCALE;
  } catch {
    // Storage can be disabled by kiosk policies on big screens; fall back quietly.
    return DEFAULT_LOCALE;
  }
}

export function storeLocale(locale: AppLocale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // See loadStoredLocale: not persisting is acceptable, failing the switch is not.
  }
}
