import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import { type CachedKey, EphemeralKeyCache, type FetchEphemeralKey } from './ephemeral-key-cache.js';
import { interpolate, type MessageKey, type Messages, messagesFor } from './i18n/index.js';

/** Translates a message key, filling `{name}` placeholders. */
export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export interface OpenIssuingContextValue {
  /** The platform's base URL, e.g. `https://api.openissuing.dev` or a local sandbox URL. */
  baseUrl: string | undefined;
  locale: string;
  t: Translate;
  /** A fresh ephemeral key for one card (cached; refreshed before expiry). */
  getEphemeralKey(cardId: string, options?: { forceRefresh?: boolean }): Promise<CachedKey>;
  refreshMarginMs: number;
}

function missingProvider(): never {
  throw new Error(
    'This widget needs an ephemeral key: wrap it in <OpenIssuingProvider fetchEphemeralKey={…} baseUrl="…">.',
  );
}

const defaultLocale = 'en';
const defaultMessages = messagesFor(defaultLocale);

const OpenIssuingContext = createContext<OpenIssuingContextValue>({
  baseUrl: undefined,
  locale: defaultLocale,
  t: (key, values) => interpolate(defaultMessages[key], values),
  getEphemeralKey: missingProvider,
  refreshMarginMs: 30_000,
});

export interface OpenIssuingProviderProps {
  /**
   * Fetches an ephemeral key for one card from YOUR backend, which calls `POST /ephemeral_keys`
   * with its secret key. Never put a secret key in the browser.
   *
   * @example
   * (cardId) => fetch('/api/ephemeral-keys', { method: 'POST', body: JSON.stringify({ card: cardId }) }).then((r) => r.json())
   */
  fetchEphemeralKey?: FetchEphemeralKey;
  /** The OpenIssuing platform URL the browser talks to (card details, hosted card display). */
  baseUrl?: string;
  /**
   * BCP 47 locale for strings, amounts and dates. English and Simplified Chinese (`zh-CN`) strings
   * are bundled; other locales format amounts natively and use English strings unless `messages` is given.
   * @default 'en'
   */
  locale?: string;
  /** Overrides for some or all strings (see `en` for the keys). */
  messages?: Partial<Messages>;
  /**
   * Fetch a new ephemeral key this long before the cached one expires.
   * @default 30000
   */
  refreshMarginMs?: number;
  children?: ReactNode;
}

/**
 * Supplies the platform URL, ephemeral keys and locale to every widget below it.
 *
 * @example
 * <OpenIssuingProvider baseUrl="https://sandbox.openissuing.dev" fetchEphemeralKey={fetchKey} locale="zh-CN">
 *   <CardDisplay card={card} secure />
 * </OpenIssuingProvider>
 */
export function OpenIssuingProvider({
  fetchEphemeralKey,
  baseUrl,
  locale = defaultLocale,
  messages,
  refreshMarginMs = 30_000,
  children,
}: OpenIssuingProviderProps) {
  // The fetch function is often an inline arrow; keep one cache for the provider's lifetime and
  // always call the latest function through a ref-like holder.
  const [holder] = useState(() => ({ fetch: fetchEphemeralKey }));
  holder.fetch = fetchEphemeralKey;
  const cache = useMemo(
    () =>
      new EphemeralKeyCache((cardId) => {
        if (!holder.fetch) missingProvider();
        return holder.fetch(cardId);
      }, refreshMarginMs),
    [holder, refreshMarginMs],
  );
  const value = useMemo<OpenIssuingContextValue>(() => {
    const strings = { ...messagesFor(locale), ...messages };
    return {
      baseUrl: baseUrl?.replace(/\/+$/, ''),
      locale,
      t: (key, values) => interpolate(strings[key] ?? key, values),
      getEphemeralKey: (cardId, options) => cache.get(cardId, options),
      refreshMarginMs,
    };
  }, [baseUrl, locale, messages, cache, refreshMarginMs]);
  return <OpenIssuingContext.Provider value={value}>{children}</OpenIssuingContext.Provider>;
}

/** The provider's value: `t`, `locale`, `baseUrl`, `getEphemeralKey`. Works without a provider (English, no keys). */
export function useOpenIssuing(): OpenIssuingContextValue {
  return useContext(OpenIssuingContext);
}
