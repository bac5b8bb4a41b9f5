import { en, type MessageKey, type Messages } from './en.js';
import { zhCN } from './zh-CN.js';

export type { MessageKey, Messages };
export { en, zhCN };

/** The bundled locales. Any other locale falls back to English strings (amounts and dates still use it). */
export const bundledMessages: Record<string, Messages> = { en, 'zh-CN': zhCN };

/** Picks the bundled strings for a BCP 47 locale: exact match, then language (`zh` → `zh-CN`), then English. */
export function messagesFor(locale: string): Messages {
  const exact = bundledMessages[locale];
  if (exact) return exact;
  const language = locale.split('-')[0]?.toLowerCase();
  if (language === 'zh') return zhCN;
  return en;
}

/** Fills `{name}` placeholders. Unknown placeholders are left as written so a missing value is visible. */
export function interpolate(template: string, values?: Record<string, string | number>): string {
  if (!values) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
