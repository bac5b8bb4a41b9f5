import { useEffect, useRef, useState } from 'react';

/** Message types exchanged with the platform's hosted card-display page. */
export const SECURE_FRAME_MESSAGES = {
  /** Sent by the parent: `{ type, secret, card }`. */
  key: 'openissuing:ephemeral_key',
  /** Sent by the hosted page when it is ready to receive a key. */
  ready: 'openissuing:ready',
} as const;

export interface SecureCardFrameProps {
  baseUrl: string;
  cardId: string;
  /** The ephemeral key to hand to the hosted page; re-posted whenever it changes (refresh). */
  secret: string | undefined;
  title: string;
  className?: string;
}

/**
 * The platform's hosted card-display page in an iframe. The ephemeral key is posted to the frame
 * (target origin pinned to the platform's origin); the frame fetches and renders the PAN itself, so
 * the embedding page's DOM and JavaScript never see it.
 */
export function SecureCardFrame({ baseUrl, cardId, secret, title, className }: SecureCardFrameProps) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [src, setSrc] = useState<string>();
  const platformOrigin = new URL(baseUrl).origin;

  useEffect(() => {
    // window.location is read only on the client, after hydration.
    const origin = encodeURIComponent(window.location.origin);
    setSrc(`${baseUrl}/cards/${encodeURIComponent(cardId)}/display?origin=${origin}`);
  }, [baseUrl, cardId]);

  useEffect(() => {
    if (!secret) return;
    const post = () => {
      frame.current?.contentWindow?.postMessage(
        { type: SECURE_FRAME_MESSAGES.key, secret, card: cardId },
        platformOrigin,
      );
    };
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== platformOrigin || event.source !== frame.current?.contentWindow) return;
      const data = event.data as { type?: unknown } | null;
      if (data && data.type === SECURE_FRAME_MESSAGES.ready) post();
    };
    window.addEventListener('message', onMessage);
    const element = frame.current;
    element?.addEventListener('load', post);
    post();
    return () => {
      window.removeEventListener('message', onMessage);
      element?.removeEventListener('load', post);
    };
  }, [secret, cardId, platformOrigin]);

  return (
    <iframe
      ref={frame}
      className={className ?? 'oi-card__frame'}
      title={title}
      src={src}
      sandbox="allow-scripts allow-same-origin"
      allow="clipboard-write"
      referrerPolicy="no-referrer"
      data-state={secret ? 'keyed' : 'waiting'}
    />
  );
}
