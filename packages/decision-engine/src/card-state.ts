import { decline } from './decline';
import type { CardState, Decision, DecisionInput } from './types';

/**
 * Steps 1–5 of the decision: the card's and the cardholder's state, before any spending control.
 * Returns the decline, or null when the card may spend.
 */
export function checkCardState(input: DecisionInput, now: Date): Decision | null {
  const card: CardState = input.card ?? {};
  const { cardholder, merchant } = input;
  if (card.status === 'canceled') {
    if (card.cancellation_reason === 'expired')
      return decline('card_expired', 'card.expires_at', 'The card expired and was canceled.');
    if (card.cancellation_reason === 'single_use_consumed')
      return decline('single_use_consumed', 'card.usage', 'The single-use card has already been used.');
    return decline('card_canceled', 'card.status', 'The card is canceled.');
  }
  if (card.usage === 'single_use' && card.single_use_consumed)
    return decline('single_use_consumed', 'card.usage', 'The single-use card has already been used.');
  if (card.expires_at && now.getTime() >= new Date(card.expires_at).getTime())
    return decline('card_expired', 'card.expires_at', `The card expired at ${card.expires_at}.`);
  // The first instant after the printed expiry month. Without a printed expiry (the SDK lets a caller
  // leave it out) this is NaN, and no instant is ≥ NaN: such a card never expires by it.
  const printedExpiryEnd = Date.UTC(card.exp_year ?? Number.NaN, card.exp_month ?? Number.NaN, 1);
  if (now.getTime() >= printedExpiryEnd) {
    const mm = String(card.exp_month).padStart(2, '0');
    return decline('card_expired', 'card.exp_year', `The card expired at the end of ${mm}/${card.exp_year}.`);
  }
  if (card.status === 'frozen') return decline('card_frozen', 'card.status', 'The card is frozen.');
  if (cardholder && cardholder.status !== 'active')
    return decline('card_frozen', 'cardholder.status', `The cardholder is ${cardholder.status}.`);
  if (
    card.usage === 'merchant_locked' &&
    card.locked_merchant &&
    card.locked_merchant !== merchant.network_id
  ) {
    return decline(
      'merchant_locked',
      'card.locked_merchant',
      `The card is locked to merchant ${card.locked_merchant}; ${merchant.network_id} is a different merchant.`,
    );
  }
  return null;
}
