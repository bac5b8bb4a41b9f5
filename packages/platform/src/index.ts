export { categoryOfMcc, SPENDING_CATEGORIES } from './authorization/categories';
export {
  type ControlsInput,
  type Decision,
  type DecisionReason,
  evaluateControls,
  type ScopeUsage,
  type SpendingControls,
  type SpendingInterval,
  type SpendingLimit,
  spendingWindowStart,
} from './authorization/evaluate-controls';
export { convert as convertCurrency } from './authorization/fx';
export type { ProgramSettings } from './context';
export type { Platform, PlatformOptions } from './start';
export { DEFAULT_PROGRAM, startPlatform } from './start';
