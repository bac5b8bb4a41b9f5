import { type CSSProperties, useEffect, useId, useRef, useState } from 'react';
import { fetchCardDetails } from '../card-details.js';
import { useOpenIssuing } from '../context.js';
import { brandName, formatExpiry, groupPan } from '../format.js';
import { toError } from '../hooks/use-async.js';
import { useControllableState } from '../hooks/use-controllable.js';
import { useEphemeralKey } from '../hooks/use-ephemeral-key.js';
import type { Card, CardDetails } from '../types.js';
import { PAGE_NOT_SERVED, SecureCardFrame } from './secure-card-frame.js';
import { readAppearance } from './secure-frame-appearance.js';
import { cx, ErrorMessage } from './shared.js';

export interface UseCardDetailsResult {
  details: CardDetails | undefined;
  error: Error | undefined;
  loading: boolean;
}

/**
 * The card's PAN, CVC and expiry, read with an ephemeral key while `enabled` (non-secure mode).
 * Prefer `<CardDisplay secure>` when your page must never hold the PAN (PCI scope).
 *
 * @example
 * const { details } = useCardDetails(card.id, revealed);
 */
export function useCardDetails(cardId: string, enabled: boolean): UseCardDetailsResult {
  const { baseUrl } = useOpenIssuing();
  const { key, error: keyError } = useEphemeralKey(cardId, enabled);
  const [state, setState] = useState<{ details?: CardDetails; error?: Error }>({});
  useEffect(() => {
    if (!enabled || !key) return;
    if (!baseUrl) {
      setState({ error: new Error('Set <OpenIssuingProvider baseUrl> to read card details.') });
      return;
    }
    let active = true;
    fetchCardDetails(baseUrl, cardId, key.secret).then(
      (details) => active && setState({ details }),
      (cause: unknown) => active && setState({ error: toError(cause) }),
    );
    return () => {
      active = false;
    };
  }, [enabled, key, baseUrl, cardId]);
  useEffect(() => {
    // Drop the PAN from memory as soon as the card is hidden again.
    if (!enabled) setState({});
  }, [enabled]);
  const error = keyError ?? state.error;
  return {
    details: enabled ? state.details : undefined,
    error,
    loading: enabled && !state.details && !error,
  };
}

export interface CardDisplayProps {
  card: Card;
  /**
   * Render the platform's hosted card-display page in an iframe when revealed: the PAN and CVC are
   * fetched and shown by the platform's origin, never by your page. Recommended in production.
   * @default false
   */
  secure?: boolean;
  /** Controlled reveal state. */
  revealed?: boolean;
  /** @default false */
  defaultRevealed?: boolean;
  onRevealedChange?: (revealed: boolean) => void;
  className?: string;
  style?: CSSProperties;
}

const MASK = '•••• •••• •••• ';

/**
 * Card art with brand, masked PAN and expiry; "Show details" reveals PAN and CVC (with copy
 * buttons), or in `secure` mode the platform's hosted iframe.
 *
 * @example
 * <CardDisplay card={card} secure />
 */
export function CardDisplay({
  card,
  secure = false,
  revealed: revealedProp,
  defaultRevealed = false,
  onRevealedChange,
  className,
  style,
}: CardDisplayProps) {
  const { t, baseUrl } = useOpenIssuing();
  const [revealed, setRevealed] = useControllableState(revealedProp, defaultRevealed, onRevealedChange);
  const [copied, setCopied] = useState('');
  // The hosted page was not served (most often: this origin is not in allowed_display_origins).
  const [notServed, setNotServed] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new reveal tries the page again.
  useEffect(() => setNotServed(false), [revealed]);
  const id = useId();
  const fieldsRef = useRef<HTMLDListElement>(null);
  const details = useCardDetails(card.id, revealed && !secure);
  const secureKey = useEphemeralKey(card.id, revealed && secure);
  const brand = brandName(card.brand);
  const label = t('card.label', { brand, last4: card.last4 });
  const state = revealed ? 'revealed' : 'hidden';

  const copy = async (text: string) => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setCopied(t('card.copied'));
    } catch {
      // Insecure context or permission denied: say so instead of pretending.
      setCopied(t('card.copyFailed'));
    }
  };
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(''), 2_000);
    return () => clearTimeout(timer);
  }, [copied]);

  const shown = details.details;
  const missingBaseUrl =
    secure && revealed && !baseUrl
      ? new Error('Set <OpenIssuingProvider baseUrl> to the platform URL to show the hosted card page.')
      : undefined;
  const error = missingBaseUrl ?? (secure ? secureKey.error : details.error);
  const framed = Boolean(secure && revealed && baseUrl);
  const fields = (
    <dl
      ref={fieldsRef}
      className="oi-card__fields"
      id={framed ? undefined : `${id}-fields`}
      aria-hidden={framed || undefined}
      aria-busy={details.loading || undefined}
    >
      <div className="oi-card__field oi-card__field--pan">
        <dt>{t('card.number')}</dt>
        <dd className="oi-card__pan">{shown ? groupPan(shown.number) : `${MASK}${card.last4}`}</dd>
      </div>
      <div className="oi-card__field">
        <dt>{t('card.expiry')}</dt>
        <dd>{formatExpiry(card.exp_month, card.exp_year)}</dd>
      </div>
      <div className="oi-card__field">
        <dt>{t('card.cvc')}</dt>
        <dd>{shown ? shown.cvc : '•••'}</dd>
      </div>
    </dl>
  );

  return (
    <section
      aria-label={label}
      className={cx('oi-card', className)}
      style={style}
      data-state={state}
      data-status={card.status}
      data-secure={secure ? '' : undefined}
    >
      <div className="oi-card__art">
        <div className="oi-card__top">
          <span className="oi-card__brand">{brand}</span>
          <span className="oi-badge" data-status={card.status}>
            {t(`card.status.${card.status}`)}
          </span>
        </div>
        {framed && baseUrl ? (
          // The hosted page draws the fields in a transparent frame laid exactly over the masked ones
          // (which keep the size and stay as the placeholder until the page has rendered).
          <div className="oi-card__secure" id={`${id}-fields`}>
            <SecureCardFrame
              baseUrl={baseUrl}
              cardId={card.id}
              secret={secureKey.key?.secret}
              title={t('card.secureFrameTitle', { last4: card.last4 })}
              appearance={() =>
                fieldsRef.current
                  ? readAppearance(fieldsRef.current, {
                      number: t('card.number'),
                      expiry: t('card.expiry'),
                      cvc: t('card.cvc'),
                    })
                  : undefined
              }
              onError={(code) => {
                // The key expired before the page used it: fetch a fresh one and re-post it.
                if (code.endsWith('expired')) secureKey.refresh();
                else if (code === PAGE_NOT_SERVED) setNotServed(true);
              }}
            />
            {fields}
          </div>
        ) : (
          fields
        )}
      </div>
      <div className="oi-card__actions">
        <button
          type="button"
          className="oi-button"
          aria-pressed={revealed}
          aria-controls={`${id}-fields`}
          data-state={state}
          onClick={() => setRevealed(!revealed)}
        >
          {revealed ? t('card.hide') : t('card.reveal')}
        </button>
        {shown ? (
          <>
            <button type="button" className="oi-button" onClick={() => copy(shown.number)}>
              {t('card.copyNumber')}
            </button>
            <button type="button" className="oi-button" onClick={() => copy(shown.cvc)}>
              {t('card.copyCvc')}
            </button>
          </>
        ) : null}
      </div>
      <p className="oi-visually-hidden" role="status">
        {details.loading ? t('card.loadingDetails') : copied}
      </p>
      {error ? <ErrorMessage error={error} /> : null}
      {framed && notServed ? (
        <div role="alert" className="oi-error">
          {t('card.pageNotServed', { origin: window.location.origin })}
        </div>
      ) : null}
    </section>
  );
}
