import { currentScope } from '../access/scope';
import { CARD_DIMENSIONS } from '../access/scoped-resources';
import type { Queryable } from '../db/database';
import { type SQL, sql } from '../db/sql';
import { ApiError } from '../lib/errors';
import { mergedDimensions } from '../services/dimensions';

/**
 * One currency per budget: a budget counts amounts in its own currency, never converted, so no active
 * budget may select a card (not canceled) in another currency — otherwise that card's spend would
 * escape the budget unseen. Both sides of the rule check it: a budget being created or reactivated
 * against the cards, and a card being issued or re-dimensioned (its own or its cardholder's
 * dimensions) against the active budgets (`409 budget_currency_mismatch`, see POST /budgets).
 *
 * The checks are serialised with the writes they guard by one transaction-scoped advisory lock: the
 * budget side takes it exclusively, the card side shared, so cards never wait for each other and no
 * card is issued while a budget is being checked against the cards (and vice versa). A card and its
 * cardholder are changed under the cardholder's row lock (FOR UPDATE / FOR SHARE), which orders the
 * two card-side changes of one cardholder.
 */
const RULE_LOCK = 7_314_025_001;

/** `selector <@ dimensions`: the budget's selector is contained in a card's merged dimensions. */
export function selectsDimensions(dimensions: SQL): SQL {
  return sql`selector <@ ${dimensions}`;
}

/**
 * How a message names a budget: by id, unless the request's key is scoped and the budget lies
 * outside its scope — a scoped key never learns of objects it cannot see (access/scope.ts).
 */
function budgetName(budget: { id: string; currency: string; selector: Record<string, string> }): string {
  return inScope(budget.selector)
    ? `budget ${budget.id} (${budget.currency})`
    : `a ${budget.currency} budget outside this key's dimension scope`;
}

function inScope(dimensions: Record<string, string>): boolean {
  const scope = currentScope();
  return !scope || Object.entries(scope).every(([k, v]) => dimensions[k] === v);
}

const describe = (dimensions: Record<string, string>) =>
  Object.entries(dimensions)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ') || 'none';

function mismatch(param: string, message: string): ApiError {
  return new ApiError(409, 'budget_currency_mismatch', `${param}: ${message}`, param);
}

/**
 * Refuses a card in `currency` when an active budget in another currency selects its merged
 * dimensions (its cardholder's, read here under a share lock, overridden by `dimensions`, the card's
 * own). Run inside the transaction that writes the card or its dimensions.
 */
export async function checkCardAgainstBudgets(
  tx: Queryable,
  card: { cardholder: string; currency: string; dimensions: Record<string, string> },
  param: string,
): Promise<void> {
  const holder = await tx.rows<{ d: Record<string, string> | null }>(
    sql`SELECT data->'dimensions' AS d FROM cardholders WHERE id = ${card.cardholder} FOR SHARE`,
  );
  const dimensions = mergedDimensions(card, { dimensions: holder[0]?.d ?? {} });
  await tx.rows(sql`SELECT pg_advisory_xact_lock_shared(${RULE_LOCK}::bigint)`);
  const rows = await tx.rows<{
    id: string;
    currency: string;
    selector: Record<string, string>;
  }>(sql`SELECT id, currency, selector FROM budgets
    WHERE status = 'active' AND currency <> ${card.currency}
      AND ${selectsDimensions(sql`${JSON.stringify(dimensions)}::jsonb`)}
    ORDER BY id LIMIT 1`);
  const budget = rows[0];
  if (!budget) return;
  throw mismatch(
    param,
    `${budgetName(budget)} selects this card's dimensions (${describe(dimensions)}), and a budget counts only cards in its own currency; ${
      param === 'currency'
        ? `issue the card in ${budget.currency}`
        : 'keep dimensions that budget does not select'
    }, or give the card a dimension that budget does not select (one budget per currency).`,
  );
}

/**
 * Refuses new cardholder `dimensions` when, merged with one of its cards' own (not canceled), an active
 * budget in another currency than that card's would select them. Run inside the transaction that
 * writes the cardholder, after locking its row.
 */
export async function checkCardholderAgainstBudgets(
  tx: Queryable,
  cardholder: string,
  dimensions: Record<string, string>,
  param: string,
): Promise<void> {
  await tx.rows(sql`SELECT pg_advisory_xact_lock_shared(${RULE_LOCK}::bigint)`);
  const merged = sql`(${JSON.stringify(dimensions)}::jsonb || coalesce(c.data->'dimensions', '{}'::jsonb))`;
  const rows = await tx.rows<{
    budget: string;
    budget_currency: string;
    selector: Record<string, string>;
    card: string;
    currency: string;
    dims: Record<string, string>;
  }>(
    sql`SELECT b.id AS budget, b.currency AS budget_currency, b.selector, c.id AS card, c.data->>'currency' AS currency, ${merged} AS dims
    FROM cards c JOIN budgets b ON b.status = 'active' AND b.currency <> c.data->>'currency' AND ${selectsDimensions(merged)}
    WHERE c.cardholder_id = ${cardholder} AND c.status <> 'canceled'
    ORDER BY b.id, c.id LIMIT 1`,
  );
  const hit = rows[0];
  if (!hit) return;
  throw mismatch(
    param,
    `with these dimensions (${describe(dimensions)}) ${budgetName({ id: hit.budget, currency: hit.budget_currency, selector: hit.selector })} would select ${inScope(hit.dims) ? `the cardholder's card ${hit.card}` : "one of the cardholder's cards"} (${hit.currency}), and a budget counts only cards in its own currency; keep dimensions that budget does not select, give the card a dimension that tells it apart (one budget per currency), or cancel the card.`,
  );
}

/**
 * Refuses an active budget in `currency` whose selector matches a card (not canceled) in another
 * currency. Run inside the transaction that writes the budget.
 */
export async function checkBudgetAgainstCards(
  tx: Queryable,
  budget: { currency: string; selector: Record<string, string> },
  param: string,
): Promise<void> {
  await tx.rows(sql`SELECT pg_advisory_xact_lock(${RULE_LOCK}::bigint)`);
  const rows = await tx.rows<{
    id: string;
    currency: string;
    n: number;
  }>(sql`SELECT id, data->>'currency' AS currency,
      count(*) OVER ()::int AS n
    FROM cards
    WHERE status <> 'canceled' AND data->>'currency' <> ${budget.currency}
      AND coalesce(${CARD_DIMENSIONS}, '{}'::jsonb) @> ${JSON.stringify(budget.selector)}::jsonb
    ORDER BY id LIMIT 1`);
  const card = rows[0];
  if (!card) return;
  const others = card.n > 1 ? ` and ${card.n - 1} more card(s) in other currencies` : '';
  throw mismatch(
    param,
    `this ${budget.currency} budget's selector (${describe(budget.selector)}) matches card ${card.id} (${card.currency})${others}, and a budget counts only cards in its own currency; narrow the selector with a dimension that tells those cards apart (one budget per currency), or cancel the cards.`,
  );
}
