export { Company, ENTITIES, type EntityName, LIMITS } from './company.js';
export {
  type EmulatorRequest,
  type EmulatorResponse,
  type FaultKind,
  QuickBooksEmulator,
  type QuickBooksEmulatorOptions,
  type ThrottleLimits,
} from './emulator.js';
export { authFailureBody, type QboErrorItem, type QboFaultBody } from './faults.js';
export { INTUIT_TOKEN_URL, QBO_PRODUCTION, QBO_SANDBOX } from './hosts.js';
export { erpEmulator } from './plugin.js';
export { MAX_RESULTS, parseQuery } from './query.js';
export { type RunningEmulator, startQuickBooksEmulator } from './server.js';
