import type { Category } from './types';

/** A 24-px stroke icon per incident category, for the report form's big buttons. */
export const CATEGORY_ICONS: Readonly<Record<Category, string>> = {
  // Two speech bubbles: people at odds.
  dispute: 'M3 4h12v9H8l-5 3.5V4Zm15 5h3v11.5L17 17h-6v-2',
  safety_hazard: 'M12 3 2 20h20L12 3Zm0 6.5v5m0 2.5v.5',
  public_order: 'M12 3 4 6v6c0 4.5 3.4 8.3 8 9 4.6-.7 8-4.5 8-9V6l-8-3Zm-3.5 9 2.5 2.5 4.5-4.5',
  city_management: 'M3 21h18M5 21V9l5-3v15m0 0V3l9 5v13m-6-10h3m-3 4h3m-3 4h3',
  livelihood: 'M12 20s-7.5-4.5-7.5-10.2A4.2 4.2 0 0 1 12 7.3a4.2 4.2 0 0 1 7.5 2.5C19.5 15.5 12 20 12 20Z',
  other: 'M5 12h.01M12 12h.01M19 12h.01',
};
