import type { Decision, DecisionReason } from './types';

/** A declined decision. */
export const decline = (reason: DecisionReason, control: string, message: string): Decision => ({
  approved: false,
  reason,
  message,
  control,
});

/** The approved decision (a fresh object each time: callers may store it). */
export const approved = (): Decision => ({
  approved: true,
  reason: 'approved',
  message: 'Approved.',
  control: null,
});
