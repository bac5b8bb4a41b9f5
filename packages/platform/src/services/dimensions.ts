import { type SQL, sql } from '../db/sql';

type Dims = Record<string, string>;

/**
 * A card's effective dimensions: its cardholder's, overridden key by key by the card's own. This is
 * what governs the card (budgets, scoped keys) and what authorizations and transactions snapshot.
 *
 * @example
 * mergedDimensions({ dimensions: { project: 'q4' } }, { dimensions: { department: 'marketing' } });
 * // { department: 'marketing', project: 'q4' }
 */
export function mergedDimensions(card: { dimensions?: Dims }, holder: { dimensions?: Dims }): Dims {
  return { ...holder.dimensions, ...card.dimensions };
}

/**
 * The statement that re-merges `effective_dimensions` on every card of a cardholder whose dimensions
 * became `holderDimensions` (jsonb `||`: the right side, the card's own, wins as in {@link mergedDimensions}).
 */
export function refreshCardsOfCardholder(cardholderId: string, holderDimensions: Dims): SQL {
  return sql`UPDATE cards SET data = jsonb_set(data, '{effective_dimensions}',
      ${JSON.stringify(holderDimensions)}::jsonb || coalesce(data->'dimensions', '{}'::jsonb))
    WHERE cardholder_id = ${cardholderId}`;
}
