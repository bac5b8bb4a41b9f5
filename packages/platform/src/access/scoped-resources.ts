import { type SQL, sql } from '../db/sql';
import type { ScopedResource } from './scope';

/** A card's merged dimensions, its cardholder's overridden by its own, on an unaliased row of `cards`. */
export const CARD_DIMENSIONS: SQL = sql`((SELECT h.data->'dimensions' FROM cardholders h WHERE h.id = cards.cardholder_id) || (cards.data->'dimensions'))`;

/** Resources whose objects carry dimensions (their own, their cardholder's or a snapshot). */
const OBJECT_RESOURCES: readonly ScopedResource[] = [
  {
    resource: 'cardholders',
    table: 'cardholders',
    param: 'cardholder',
    dimensions: sql`data->'dimensions'`,
    fill: true,
  },
  // A card's dimensions are its cardholder's merged with its own (the card's win).
  {
    resource: 'cards',
    table: 'cards',
    param: 'card',
    dimensions: CARD_DIMENSIONS,
  },
  // Authorizations and transactions carry a snapshot of the card's merged dimensions.
  {
    resource: 'authorizations',
    table: 'authorizations',
    param: 'authorization',
    dimensions: sql`data->'dimensions'`,
  },
  {
    resource: 'transactions',
    table: 'transactions',
    param: 'transaction',
    dimensions: sql`data->'dimensions'`,
  },
  {
    resource: 'card_requests',
    table: 'card_requests',
    param: 'card_request',
    dimensions: sql`dimensions`,
  },
  // A budget belongs to the dimensions its selector names: a key scoped to department=marketing sees
  // (and changes) the budgets that select marketing cards only.
  {
    resource: 'budgets',
    table: 'budgets',
    param: 'budget',
    dimensions: sql`selector`,
    dimensionsField: 'selector',
  },
  // An ephemeral key belongs to its card's dimensions.
  {
    resource: 'ephemeral_keys',
    table: 'api_keys',
    param: 'ephemeral_key',
    dimensions: sql`(SELECT (SELECT h.data->'dimensions' FROM cardholders h WHERE h.id = c.cardholder_id) || c.data->'dimensions'
    FROM cards c WHERE c.id = api_keys.card_id)`,
  },
];

/**
 * Which objects a key scoped to dimensions (e.g. department=marketing) can see. A resource opts in
 * with one entry; any resource not listed here (or in SCOPE_NEUTRAL_RESOURCES) is refused to scoped
 * keys with 403. (A plain list rather than registration calls: the package is side-effect free.)
 */
export const SCOPED_RESOURCES: readonly ScopedResource[] = [
  ...OBJECT_RESOURCES,
  // An event belongs to the object it is about, as that object is now: a scoped key lists (and
  // retrieves) the events of its own cardholders, cards, authorizations, transactions, budgets and
  // card requests, and no event of another department or of a program-wide object. The event row
  // carries its object's dimensions, kept current (services/event-dimensions.ts), GIN-indexed.
  {
    resource: 'events',
    table: 'events',
    param: 'event',
    dimensions: sql`events.dimensions`,
  },
];

/** No objects of their own: every id they take (card, authorization, transaction) is checked as above. */
// The spend report filters itself: under a scope it sums only transactions inside it (reports/spend-report.ts).
export const SCOPE_NEUTRAL_RESOURCES: readonly string[] = ['test_helpers', 'spending_categories', 'reports'];
