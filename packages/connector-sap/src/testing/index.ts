export { CUBE_ENTITY_SET, CUBE_SERVICE, ODataError } from './cube.js';
export {
  CUBE_PATH,
  type EmulatorRequest,
  type EmulatorResponse,
  JOURNAL_ENTRY_POST_PATH,
  SapEmulator,
  type SapEmulatorOptions,
  type SapFaultKind,
  TOKEN_PATH,
} from './emulator.js';
export { type DocumentItem, Ledger, type PostedDocument } from './ledger.js';
export {
  addGLAccount,
  type CompanyCodeData,
  type CostCenterData,
  defaultMasterData,
  type GLAccountData,
  glAccount,
  type MasterData,
} from './master-data.js';
export { FAULT_TEXTS, MESSAGES } from './messages.js';
export { type FilterExpr, parseFilter } from './odata-filter.js';
export { bookingsOf, emulatorMapping, erpEmulator } from './plugin.js';
export { type RunningSapEmulator, startSapEmulator } from './server.js';
