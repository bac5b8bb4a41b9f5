import { useCallback, useEffect, useState } from 'react';
import { useOpenIssuing } from '../context.js';
import type { CachedKey } from '../ephemeral-key-cache.js';
import { toError } from './use-async.js';

export interface EphemeralKeyState {
  key: CachedKey | undefined;
  error: Error | undefined;
}

export interface UseEphemeralKeyResult extends EphemeralKeyState {
  /** Fetches a new key now (e.g. the platform rejected the current one as expired). */
  refresh(): void;
}

/**
 * An ephemeral key for `cardId` while `enabled`, re-fetched `refreshMarginMs` before it expires so
 * that whatever uses it (the secure card iframe) always holds a valid key.
 *
 * @example
 * const { key, error } = useEphemeralKey(card.id, revealed);
 */
export function useEphemeralKey(cardId: string, enabled = true): UseEphemeralKeyResult {
  const { getEphemeralKey, refreshMarginMs } = useOpenIssuing();
  const [state, setState] = useState<EphemeralKeyState>({ key: undefined, error: undefined });
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    getEphemeralKey(cardId, { forceRefresh: round > 0 }).then(
      (key) => {
        if (!active) return;
        setState({ key, error: undefined });
        const wait = Math.max(1_000, key.expiresAt - refreshMarginMs - Date.now());
        timer = setTimeout(() => setRound((value) => value + 1), Math.min(wait, 2 ** 31 - 1));
      },
      (cause: unknown) => {
        if (active) setState({ key: undefined, error: toError(cause) });
      },
    );
    return () => {
      active = false;
      if (timer) clearTimeout(timer);
    };
  }, [cardId, enabled, round, getEphemeralKey, refreshMarginMs]);
  const refresh = useCallback(() => setRound((value) => value + 1), []);
  return enabled ? { ...state, refresh } : { key: undefined, error: undefined, refresh };
}
