export { budgetDecline } from './budgets';
export { mccInCategories } from './categories';
export { evaluateControls } from './evaluate';
export { insufficientFundsDecline } from './funds';
export {
  categoryForMcc,
  type SpendingCategoryDefinition,
  type SpendingCategoryName,
  spendingCategories,
} from './generated/spending-categories';
export { currencyExponent, formatAmount } from './money';
export type {
  BudgetState,
  CardState,
  Decision,
  DecisionInput,
  DecisionReason,
  ScopeUsage,
  SpendingControls,
  SpendingInterval,
  SpendingLimit,
} from './types';
export { spendingWindowStart } from './windows';
