import type { SpendingCategory, SpendingControls } from './types.js';

/** An approval step (the API's ApprovalStep). */
export type ApprovalStep = 'department' | 'finance';

/** The subset of the API's CardRequest the approval widgets read (`@openissuing/sdk`'s CardRequest fits). */
export interface CardRequest {
  id: string;
  type: 'new_card' | 'limit_increase';
  status: 'pending' | 'approved' | 'rejected' | 'canceled';
  cardholder: string;
  card: string | null;
  currency: string;
  spending_controls: SpendingControls;
  dimensions?: Record<string, string> | null;
  reason: string;
  requested_amount: number | null;
  approvals: Array<{
    step: ApprovalStep;
    status: 'pending' | 'approved' | 'rejected';
    comment?: string | null;
  }>;
  created_at?: string;
}

/** The body your backend forwards to `POST /card_requests`. */
export interface CardRequestValues {
  type: 'new_card' | 'limit_increase';
  cardholder?: string;
  card?: string;
  currency?: string;
  spending_controls: SpendingControls & { allowed_categories?: SpendingCategory[] };
  reason: string;
}
