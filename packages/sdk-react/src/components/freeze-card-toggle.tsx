import { type CSSProperties, useId, useState } from 'react';
import { useOpenIssuing } from '../context.js';
import { toError } from '../hooks/use-async.js';
import type { Card } from '../types.js';
import { cx, ErrorMessage } from './shared.js';

export interface UseFreezeCardOptions {
  card: Pick<Card, 'id' | 'status'>;
  /** Controlled frozen state. */
  frozen?: boolean;
  onFrozenChange?: (frozen: boolean) => void;
  /**
   * Calls your backend, which calls `POST /cards/{card}/freeze` or `/unfreeze` with its secret key.
   * Resolve when the platform confirmed; reject to roll the switch back.
   */
  onToggle: (cardId: string, frozen: boolean) => Promise<unknown>;
}

/**
 * Freeze/unfreeze state and action for one card, with a pending flag and rollback on failure.
 *
 * @example
 * const { frozen, pending, toggle } = useFreezeCard({ card, onToggle: api.setFrozen });
 */
export function useFreezeCard({ card, frozen: frozenProp, onFrozenChange, onToggle }: UseFreezeCardOptions) {
  const [internal, setInternal] = useState(card.status === 'frozen');
  // Uncontrolled: follow the card when its status changes from outside (a refetch, another tab),
  // without remounting — remounting would drop keyboard focus.
  const [seenStatus, setSeenStatus] = useState(card.status);
  if (card.status !== seenStatus) {
    setSeenStatus(card.status);
    setInternal(card.status === 'frozen');
  }
  const controlled = frozenProp !== undefined;
  const frozen = controlled ? frozenProp : internal;
  const setFrozen = (next: boolean) => {
    if (!controlled) setInternal(next);
    onFrozenChange?.(next);
  };
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<Error>();
  const disabled = card.status === 'canceled';
  const toggle = async () => {
    if (pending || disabled) return;
    const next = !frozen;
    setPending(true);
    setError(undefined);
    setFrozen(next);
    try {
      await onToggle(card.id, next);
    } catch (cause) {
      setFrozen(!next);
      setError(toError(cause));
    } finally {
      setPending(false);
    }
  };
  return { frozen, pending, error, disabled, toggle };
}

export interface FreezeCardToggleProps extends UseFreezeCardOptions {
  className?: string;
  style?: CSSProperties;
}

/**
 * A switch (`role="switch"`) that freezes or unfreezes a card through your backend.
 *
 * @example
 * <FreezeCardToggle card={card} onToggle={(id, frozen) => api.post(`/cards/${id}/${frozen ? 'freeze' : 'unfreeze'}`)} />
 */
export function FreezeCardToggle({ className, style, ...options }: FreezeCardToggleProps) {
  const { t } = useOpenIssuing();
  const { frozen, pending, error, disabled, toggle } = useFreezeCard(options);
  const id = useId();
  const state = frozen ? 'checked' : 'unchecked';
  return (
    <div className={cx('oi-freeze', className)} style={style} data-state={state}>
      <button
        type="button"
        role="switch"
        id={id}
        className="oi-switch"
        aria-checked={frozen}
        aria-busy={pending || undefined}
        aria-describedby={`${id}-status`}
        disabled={disabled}
        data-state={state}
        data-pending={pending ? '' : undefined}
        onClick={toggle}
      >
        <span className="oi-switch__thumb" aria-hidden="true" />
        <span className="oi-switch__label">{t('freeze.label')}</span>
      </button>
      <span id={`${id}-status`} className="oi-freeze__status" role="status">
        {disabled ? t('freeze.canceled') : frozen ? t('freeze.frozen') : t('freeze.active')}
      </span>
      {error ? <ErrorMessage error={error} /> : null}
    </div>
  );
}
