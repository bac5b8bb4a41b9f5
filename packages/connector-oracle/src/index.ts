export { OracleAdapter, type OracleAdapterOptions } from './adapter.js';
export { type AuthProvider, basicAuth, bearerAuth, oauthClientCredentials } from './client/auth.js';
export {
  essExecutionDetails,
  essJobStatus,
  importBulkData,
  TERMINAL_STATUSES,
} from './client/erpintegrations.js';
export { FusionClient, type FusionClientOptions } from './client/fusion.js';
export { findBatches, listBatches } from './client/journal-batches.js';
export { authFromEnv, createConnector } from './connector.js';
export { type NamedRejection, namedRejections } from './execution-report.js';
export {
  columnIndex,
  GL_INTERFACE_COLUMNS,
  GL_INTERFACE_LENGTHS,
  type GlInterfaceRow,
} from './fbdi/columns.js';
export { toGlInterfaceCsv } from './fbdi/csv.js';
export {
  JOURNAL_IMPORT_JOB,
  type JournalImportParameters,
  journalImportParameterList,
} from './fbdi/parameters.js';
export {
  decimalAmount,
  journalRows,
  LayoutError,
  oracleDate,
  rateString,
  type UploadContext,
} from './fbdi/rows.js';
export { buildUpload, type FbdiUpload, type UploadOptions } from './fbdi/upload.js';
export { GL_INTERFACE_FILE, zipGlInterface } from './fbdi/zip.js';
export { jobData, type OracleJobData, toJobStatus } from './jobs.js';
export {
  type JournalLayout,
  type OracleConnectorOptions,
  oracleConnectorOptionsSchema,
  parseOracleOptions,
  type SegmentSpec,
  segmentSpecSchema,
} from './options.js';
export { batchNameFor, NAME_PREFIX, nameMatches, refFromName } from './references.js';
