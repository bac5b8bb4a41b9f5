import { useEffect, useRef, useState } from 'react';
import type { SecureFrameAppearance } from './secure-frame-appearance.js';

/** Message types of the hosted card-display protocol (see `GET /cards/{card}/display` in the spec). */
export const SECURE_FRAME_MESSAGES = {
  /** Page → parent: ready to receive a key. */
  ready: 'openissuing:ready',
  /** Parent → page: `{ type, secret }`. */
  key: 'openissuing:ephemeral_key',
  /** Page → parent: the details are shown. */
  rendered: 'openissuing:rendered',
  /** Page → parent: `{ type, code }`, e.g. `ephemeral_key_expired`; the parent may send a fresh key. */
  error: 'openissuing:error',
} as const;

export type SecureFrameState = 'loading' | 'rendered' | 'error';

/**
 * The `onError` code when the frame loaded but the hosted page never said it was ready: the platform
 * did not serve it, most often `403 origin_not_allowed` (this page's origin is not in the program's
 * `allowed_display_origins`), whose body the sandboxed frame cannot pass on.
 */
export const PAGE_NOT_SERVED = 'display_page_not_served';

/** How long after the frame's load event the page may take to say it is ready. */
const READY_GRACE_MS = 2_000;

export interface SecureCardFrameProps {
  baseUrl: string;
  cardId: string;
  /** The ephemeral key to hand to the hosted page; re-posted whenever it changes (refresh). */
  secret: string | undefined;
  title: string;
  className?: string;
  /** The page reported a problem (`code` from its problem response). */
  onError?: (code: string) => void;
  /**
   * Read when the key is posted: the labels and typography the page should draw the fields with
   * (`<CardDisplay secure>` passes its own, so the revealed card looks like the masked one).
   */
  appearance?: () => SecureFrameAppearance | undefined;
}

/**
 * The platform's hosted card-display page in an iframe. The ephemeral key is posted to the frame
 * with the target origin pinned to the platform's origin; the frame fetches and renders the PAN
 * itself, so the embedding page's DOM and JavaScript never see it.
 */
export function SecureCardFrame({
  baseUrl,
  cardId,
  secret,
  title,
  className,
  onError,
  appearance,
}: SecureCardFrameProps) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [src, setSrc] = useState<string>();
  const [state, setState] = useState<SecureFrameState>('loading');
  const platformOrigin = new URL(baseUrl).origin;
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;
  const appearanceRef = useRef(appearance);
  appearanceRef.current = appearance;
  const heard = useRef(false);
  const notServed = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(notServed.current), []);

  useEffect(() => {
    // window.location is read only on the client, after hydration.
    const origin = encodeURIComponent(window.location.origin);
    setSrc(`${baseUrl}/cards/${encodeURIComponent(cardId)}/display?origin=${origin}`);
  }, [baseUrl, cardId]);

  useEffect(() => {
    const post = () => {
      if (!secret) return;
      // The sandboxed page has an opaque origin, which no target origin but '*' matches; the key
      // goes to this frame's window only, whose document is the platform page it was opened with.
      const look = appearanceRef.current?.();
      frame.current?.contentWindow?.postMessage(
        look
          ? { type: SECURE_FRAME_MESSAGES.key, secret, appearance: look }
          : { type: SECURE_FRAME_MESSAGES.key, secret },
        '*',
      );
    };
    const onMessage = (event: MessageEvent) => {
      // Only this frame's window, and it reports the opaque origin 'null' of its sandbox.
      if (
        event.source !== frame.current?.contentWindow ||
        (event.origin !== 'null' && event.origin !== platformOrigin)
      )
        return;
      const data = event.data as { type?: unknown; code?: unknown } | null;
      if (!data || typeof data.type !== 'string') return;
      heard.current = true;
      if (data.type === SECURE_FRAME_MESSAGES.ready) post();
      else if (data.type === SECURE_FRAME_MESSAGES.rendered) setState('rendered');
      else if (data.type === SECURE_FRAME_MESSAGES.error) {
        setState('error');
        onErrorRef.current?.(typeof data.code === 'string' ? data.code : 'unknown');
      }
    };
    window.addEventListener('message', onMessage);
    // A refreshed key is sent at once; the first one goes out when the page says it is ready.
    post();
    return () => window.removeEventListener('message', onMessage);
  }, [secret, platformOrigin]);

  return (
    <iframe
      ref={frame}
      className={className ?? 'oi-card__frame'}
      title={title}
      src={src}
      // Scripts only: the page runs in an opaque origin, so even a same-origin deployment cannot
      // reach into the embedding page (Chromium warns about allow-scripts + allow-same-origin).
      sandbox="allow-scripts"
      referrerPolicy="no-referrer"
      data-state={state}
      onLoad={() => {
        clearTimeout(notServed.current);
        notServed.current = setTimeout(() => {
          if (heard.current) return;
          setState('error');
          onErrorRef.current?.(PAGE_NOT_SERVED);
        }, READY_GRACE_MS);
      }}
    />
  );
}
