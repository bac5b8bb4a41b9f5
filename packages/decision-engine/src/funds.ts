import { decline } from './decline';
import { formatAmount } from './money';
import type { Decision } from './types';

/**
 * The decline when the program balance in the card's currency cannot cover an authorization: reason
 * `insufficient_funds`, `control` `program.balance`, and a message that says how to fix it (top up).
 *
 * @example
 * insufficientFundsDecline(201, 200, 'usd').message;
 * // 'The program balance (2.00 USD available) cannot cover 2.01 USD; top up the program balance in the card's currency (POST /topups), then retry.'
 */
export function insufficientFundsDecline(
  amount: number,
  available: number,
  currency?: string | null | undefined,
): Decision {
  return decline(
    'insufficient_funds',
    'program.balance',
    `The program balance (${formatAmount(available, currency)} available) cannot cover ${formatAmount(amount, currency)}; top up the program balance in the card's currency (POST /topups), then retry.`,
  );
}
