import { decline } from './decline';
import type { Decision } from './types';

/**
 * The decline when the program balance in the card's currency cannot cover an authorization: reason
 * `insufficient_funds`, `control` `program.balance`, and a message that says how to fix it (top up).
 *
 * @example
 * insufficientFundsDecline(201, 200).message;
 * // 'The program balance (200 available) cannot cover 201; top up the program balance in the card's currency (POST /topups), then retry.'
 */
export function insufficientFundsDecline(amount: number, available: number): Decision {
  return decline(
    'insufficient_funds',
    'program.balance',
    `The program balance (${available} available) cannot cover ${amount}; top up the program balance in the card's currency (POST /topups), then retry.`,
  );
}
