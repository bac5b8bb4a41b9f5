import { type CSSProperties, type KeyboardEvent, type ReactNode, useRef } from 'react';
import { type CardsInput, cardsFrom } from '../card-list-input.js';
import { useOpenIssuing } from '../context.js';
import { brandName, formatExpiry } from '../format.js';
import { type AsyncState, toError, useAsync } from '../hooks/use-async.js';
import { useControllableState } from '../hooks/use-controllable.js';
import type { Card } from '../types.js';
import { cx, ErrorMessage } from './shared.js';

/**
 * Cards from a loader (your backend, `GET /cards` with the secret key): it may resolve to the array
 * or to the list JSON as it comes (`{ object: 'list', data: [...] }`, first page).
 *
 * @example
 * const { data: cards, reload } = useCards(() => fetch('/api/cards').then((r) => r.json()));
 */
export function useCards(
  load: (() => Promise<CardsInput>) | undefined,
  deps: readonly unknown[] = [],
): AsyncState<Card[]> {
  return useAsync(load && (() => load().then((value) => cardsFrom(value, 'loadCards'))), deps);
}

export interface CardListProps {
  /** Static cards (or a list's JSON); takes precedence over `loadCards`. */
  cards?: CardsInput;
  /**
   * Loads the cards (e.g. from your backend): the array, or the list JSON of `GET /cards` as it comes.
   * Re-run by changing `refreshKey`.
   */
  loadCards?: () => Promise<CardsInput>;
  /** Change to reload through `loadCards`. */
  refreshKey?: unknown;
  /** Controlled selected card id. */
  value?: string;
  defaultValue?: string;
  onValueChange?: (cardId: string, card: Card) => void;
  /** Custom rendering of one option's content. */
  renderCard?: (card: Card) => ReactNode;
  className?: string;
  style?: CSSProperties;
  /** Accessible name of the list. @default t('cardList.label') */
  'aria-label'?: string;
}

function nickname(card: Card): string | undefined {
  return card.metadata?.nickname ?? undefined;
}

/**
 * A single-select listbox of cards. Arrow keys, Home and End move the selection (roving focus).
 *
 * @example
 * <CardList loadCards={api.listCards} onValueChange={(id) => setCardId(id)} />
 */
export function CardList({
  cards: cardsProp,
  loadCards,
  refreshKey,
  value,
  defaultValue = '',
  onValueChange,
  renderCard,
  className,
  style,
  'aria-label': ariaLabel,
}: CardListProps) {
  const { t } = useOpenIssuing();
  const loaded = useCards(cardsProp ? undefined : loadCards, [refreshKey]);
  let cards: Card[] = loaded.data ?? [];
  let propError: Error | undefined;
  if (cardsProp !== undefined) {
    try {
      cards = cardsFrom(cardsProp, 'cards');
    } catch (error) {
      cards = [];
      propError = toError(error);
    }
  }
  const [selected, setSelected] = useControllableState<string>(value, defaultValue, (id) => {
    const card = cards.find((candidate) => candidate.id === id);
    if (card) onValueChange?.(id, card);
  });
  const options = useRef(new Map<string, HTMLDivElement>());
  const activeId = cards.some((card) => card.id === selected) ? selected : cards[0]?.id;

  const move = (event: KeyboardEvent<HTMLElement>, index: number) => {
    const last = cards.length - 1;
    const target =
      event.key === 'ArrowDown'
        ? Math.min(index + 1, last)
        : event.key === 'ArrowUp'
          ? Math.max(index - 1, 0)
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : undefined;
    if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      const card = cards[index];
      if (card) setSelected(card.id);
      return;
    }
    if (target === undefined) return;
    event.preventDefault();
    const card = cards[target];
    if (!card) return;
    setSelected(card.id);
    options.current.get(card.id)?.focus();
  };

  return (
    <div
      className={cx('oi-card-list', className)}
      style={style}
      data-state={loaded.loading ? 'loading' : 'idle'}
    >
      {propError ? <ErrorMessage error={propError} /> : null}
      {loaded.error ? <ErrorMessage error={loaded.error} onRetry={loaded.reload} /> : null}
      {!loaded.loading && !loaded.error && !propError && cards.length === 0 ? (
        <p className="oi-empty">{t('cardList.empty')}</p>
      ) : null}
      <div
        role="listbox"
        aria-label={ariaLabel ?? t('cardList.label')}
        aria-busy={loaded.loading || undefined}
        className="oi-card-list__items"
      >
        {cards.map((card, index) => {
          const isSelected = card.id === selected;
          return (
            <div
              key={card.id}
              role="option"
              aria-selected={isSelected}
              tabIndex={card.id === activeId ? 0 : -1}
              data-state={isSelected ? 'checked' : 'unchecked'}
              data-status={card.status}
              className="oi-card-list__item"
              ref={(element) => {
                if (element) options.current.set(card.id, element);
                else options.current.delete(card.id);
              }}
              onClick={() => setSelected(card.id)}
              onKeyDown={(event) => move(event, index)}
            >
              {renderCard ? (
                renderCard(card)
              ) : (
                <>
                  <span className="oi-card-list__name">
                    {nickname(card) ?? t('card.unnamed', { brand: brandName(card.brand), last4: card.last4 })}
                  </span>
                  <span className="oi-card-list__meta">
                    {nickname(card) ? `•••• ${card.last4} · ` : ''}
                    {formatExpiry(card.exp_month, card.exp_year)} · {card.currency.toUpperCase()}
                  </span>
                  <span className="oi-badge" data-status={card.status}>
                    {t(`card.status.${card.status}`)}
                  </span>
                </>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
