export {
  type ConnectorContext,
  type ConnectorModule,
  loadSyncConfig,
  type OpenedSync,
  openSync,
  type SyncConfig,
  syncConfigSchema,
} from './cli/config.js';
export { type Clock, systemClock } from './clock.js';
export type { SyncPreview } from './engine/preview.js';
export {
  type JobPollPolicy,
  SyncEngine,
  type SyncEngineOptions,
  type SyncEvent,
  type SyncReport,
} from './engine.js';
export {
  type ErpAdapter,
  type ErpJob,
  type ErpJobStatus,
  type ErpJobs,
  type ErpLimits,
  type ErpLookup,
  type ErpPosting,
  isJobSubmitted,
  isPosting,
  type JobSubmitted,
  type PostContext,
  type PostOutcome,
  type RenderedRequest,
  type StillUnknown,
} from './erp.js';
export { asErpError, ErpError, type ErpErrorKind, isErpError } from './errors.js';
export {
  assertBalanced,
  expenseAccount,
  type JournalEntry,
  JournalError,
  type JournalLine,
  signedExpense,
} from './journal.js';
export { RateLimiter, type WindowLimit } from './limiter.js';
export {
  loadMappingConfig,
  MappingConfigError,
  type MappingIssue,
  parseMappingConfig,
} from './mapping/load.js';
export { MappingError, mapTransaction, resolveAccount } from './mapping/map.js';
export {
  hasCondition,
  type MappingConfig,
  type MappingExtensions,
  type MappingRule,
  mappingConfigSchema,
  mappingRuleSchema,
  type RuleConditions,
  ruleConditionsSchema,
} from './mapping/schema.js';
export {
  type MemoryBatchFault,
  type MemoryEntryFault,
  MemoryErp,
  type MemoryErpOptions,
  type MemoryFindFault,
} from './memory-erp.js';
export { currencyExponent, formatMoney, toMajor, toMinor } from './money.js';
export { renderReconciliationHtml } from './reconcile/html.js';
export {
  type DayAccountRow,
  type IssueKind,
  type ReconciliationIssue,
  type ReconciliationReport,
  reconcile,
} from './reconcile/reconcile.js';
export { backoffMs, defaultRetryPolicy, type RetryPolicy } from './retry.js';
export {
  ArraySource,
  SdkTransactionSource,
  type TransactionListClient,
  type TransactionPage,
  type TransactionSource,
} from './source.js';
export { openPGlite, openPostgres, type SqlDriver } from './state/driver.js';
export {
  type IngestItem,
  type ItemRecord,
  type ItemStatus,
  type JobRecord,
  type Settlement,
  StateStore,
} from './state/store.js';
export {
  type ErpEmulatorControl,
  type ErpEmulatorPlugin,
  type ErpEmulatorStartOptions,
  loadErpEmulator,
  type RunningErpEmulator,
} from './testing/plugin.js';
export {
  compareTransactions,
  isAfterCursor,
  type PlatformTransaction,
  type SyncCursor,
} from './transaction.js';
export { createWebhookConsumer, type PlatformEvent } from './webhook.js';
