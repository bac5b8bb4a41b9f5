export {
  categoryForMcc,
  type SpendingCategoryDefinition as SpendingCategoryCatalogEntry,
  type SpendingCategoryName,
  spendingCategories,
} from '@openissuing/decision-engine';
export { SpendingControlsBuilder, spendingControls, validateSpendingControls } from './builder';
export {
  evaluateSpendingControls,
  type ScopeUsage,
  type SpendingControlsInput,
  type SpendingControlsLike,
  type SpendingDecision,
  spendingWindowStart,
} from './evaluate';
export { ValidationError } from './validation-error';
