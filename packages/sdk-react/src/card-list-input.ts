import type { Card, ListPage } from './types.js';

/** What `<CardList>` and `useCards` take: the cards, or the list JSON of `GET /cards` as it comes. */
export type CardsInput = Card[] | (ListPage<Card> & { object?: 'list' });

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const keys = Object.keys(value).slice(0, 5);
  return `an object with keys ${keys.length ? keys.join(', ') : '(none)'}`;
}

/**
 * The cards of a `cards` prop or a `loadCards` result: an array as it is, a list (`{ object: 'list',
 * data: [...] }`, e.g. the JSON of `client.cards.list()`) as its `data` (first page only). Anything else
 * is a TypeError that says what was expected and how to fix it.
 *
 * @example
 * cardsFrom({ object: 'list', data: [card], has_more: false }, 'loadCards'); // [card]
 */
export function cardsFrom(value: unknown, from: 'cards' | 'loadCards'): Card[] {
  if (Array.isArray(value)) return value as Card[];
  const data = (value as { data?: unknown } | null)?.data;
  if (Array.isArray(data)) return data as Card[];
  throw new TypeError(
    `CardList: ${from === 'cards' ? 'the cards prop' : 'loadCards resolved to'} ${describe(value)}; expected an array of cards or the list JSON of GET /cards ({ object: 'list', data: [...] }). Pass the cards (list.data) or the list itself.`,
  );
}
