export { describeErpAdapter, type ErpAdapterSuiteOptions } from './conformance.js';
export {
  at,
  closeMemoryStores,
  memoryStore,
  must,
  releaseMemoryStore,
  SAMPLE_MERCHANTS,
  type SampleTransactionOptions,
  sampleMapping,
  sampleTransactions,
  seeded,
} from './fixtures.js';
export {
  type ErpEmulatorControl,
  type ErpEmulatorPlugin,
  type ErpEmulatorStartOptions,
  loadErpEmulator,
  type RunningErpEmulator,
} from './plugin.js';
export { type SyncCliOptions, type SyncCliResult, startSyncCli, syncCliPath } from './sync-cli.js';
