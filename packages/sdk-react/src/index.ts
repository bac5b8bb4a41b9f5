export { OpenIssuingRequestError } from './card-details.js';
export type { CardsInput } from './card-list-input.js';
export type { ApprovalStep, CardRequest, CardRequestValues } from './card-request-types.js';
export {
  type ApprovalDecision,
  ApprovalInbox,
  type ApprovalInboxProps,
} from './components/approval-inbox.js';
export { BalanceSummary, type BalanceSummaryProps, useBalance } from './components/balance-summary.js';
export {
  BudgetProgress,
  type BudgetProgressProps,
  budgetLimitState,
  useBudget,
} from './components/budget-progress.js';
export {
  CardDisplay,
  type CardDisplayProps,
  type UseCardDetailsResult,
  useCardDetails,
} from './components/card-display.js';
export { CardList, type CardListProps, useCards } from './components/card-list.js';
export { CardRequestForm, type CardRequestFormProps } from './components/card-request-form.js';
export {
  FreezeCardToggle,
  type FreezeCardToggleProps,
  type UseFreezeCardOptions,
  useFreezeCard,
} from './components/freeze-card-toggle.js';
export {
  IssueCardForm,
  type IssueCardFormProps,
  type IssueCardValues,
} from './components/issue-card-form.js';
export {
  PAGE_NOT_SERVED,
  SECURE_FRAME_MESSAGES,
  SecureCardFrame,
  type SecureCardFrameProps,
} from './components/secure-card-frame.js';
export { SpendChart, type SpendChartProps, useSpendReport } from './components/spend-chart.js';
export {
  DEFAULT_CATEGORIES,
  DEFAULT_SAMPLE_PURCHASES,
  type SamplePurchase,
  SpendControlsEditor,
  type SpendControlsEditorProps,
  type SpendControlsPreviewRow,
  useSpendControlsPreview,
} from './components/spend-controls-editor.js';
export {
  type LoadActivityPage,
  TransactionList,
  type TransactionListProps,
  type UseTransactionsOptions,
  useTransactions,
} from './components/transaction-list.js';
export {
  type OpenIssuingContextValue,
  OpenIssuingProvider,
  type OpenIssuingProviderProps,
  type Translate,
  useOpenIssuing,
} from './context.js';
export { type CachedKey, EphemeralKeyCache, type FetchEphemeralKey } from './ephemeral-key-cache.js';
export {
  amountToInput,
  brandName,
  formatAmount,
  formatDateTime,
  formatExpiry,
  formatPeriod,
  minorUnitDigits,
  parseAmount,
} from './format.js';
export { useEphemeralKey } from './hooks/use-ephemeral-key.js';
export { en, type MessageKey, type Messages, messagesFor, zhCN } from './i18n/index.js';
export {
  niceScale,
  reportPeriods,
  type SpendSeries,
  type SpendSeriesTable,
  spendSeries,
} from './spend-series.js';
export type * from './types.js';
