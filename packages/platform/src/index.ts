// The decision engine is @openissuing/decision-engine (shared with the SDK); re-exported as before.
export {
  type Decision,
  type DecisionInput as ControlsInput,
  type DecisionReason,
  evaluateControls,
  type ScopeUsage,
  type SpendingControls,
  type SpendingInterval,
  type SpendingLimit,
  spendingWindowStart,
} from '@openissuing/decision-engine';
export { categoryOfMcc, SPENDING_CATEGORIES } from './authorization/categories';
export { convert as convertCurrency } from './authorization/fx';
export type { ProgramSettings } from './context';
export type { Platform, PlatformOptions } from './start';
export { DEFAULT_PROGRAM, startPlatform } from './start';
