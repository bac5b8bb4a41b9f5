export { emulatorConnectorOptions } from './config.js';
export {
  type EmulatorRequest,
  type EmulatorResponse,
  type EssStatus,
  type FaultKind,
  OracleEmulator,
  type OracleEmulatorOptions,
} from './emulator.js';
export {
  type InterfaceRow,
  isOracleDate,
  type LoadRejection,
  loadGlInterfaceCsv,
} from './interface-table.js';
export {
  type ImportedBatch,
  type ImportedJournal,
  type ImportedLine,
  JOURNAL_IMPORT_CODES,
  type JournalImportCode,
} from './journal-import.js';
export { erpEmulator } from './plugin.js';
export { matches, parseQuery, QueryError } from './query.js';
export { type RunningOracleEmulator, startOracleEmulator } from './server.js';
export {
  type CrossValidationRule,
  defaultPodSetup,
  type LedgerSetup,
  type PeriodSetup,
  type PodSetup,
  type SegmentSetup,
  type SegmentValueSetup,
} from './setup.js';
