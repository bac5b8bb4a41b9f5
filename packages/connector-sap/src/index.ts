export {
  type RenderedSoapRequest,
  type ReversedDocument,
  SapAdapter,
  type SapAdapterOptions,
} from './adapter.js';
export { formatAmount, formatRate, parseAmount } from './amount.js';
export { classifyFailure } from './classify.js';
export {
  type CapRemoteService,
  type CapRuntime,
  ClientCredentials,
  CUBE_SERVICE_NAME,
  connectSap,
  DEFAULT_CUBE_PATH,
  DEFAULT_SOAP_PATH,
  loadCds,
  type SapConnectionOptions,
  SOAP_SERVICE_NAME,
} from './connectivity.js';
export {
  createConnector,
  mappingExtensions,
  type SapConnectorOptions,
  sapConnectorOptionsSchema,
} from './connector.js';
export { cubeCsn } from './generated/cube-csn.js';
export {
  resolveAssignments,
  type SapAssignments,
  type SapMapping,
  type SapMappingInput,
  sapMappingOf,
  sapMappingSchema,
} from './mapping.js';
export {
  confirmsReference,
  DOCUMENT_REFERENCE_MAX,
  documentReferenceIdFor,
  HEADER_REFERENCE_MAX,
  headerReferencesFor,
  MESSAGE_ID_MAX,
  messageIdFor,
  referenceFromHeader,
} from './reference.js';
export {
  type BulkConfirmation,
  describeLog,
  type EntryConfirmation,
  erpIdOf,
  isBooked,
  type LogItem,
  parseBulkConfirmation,
} from './soap/confirmation.js';
export {
  faultEnvelope,
  JOURNAL_ENTRY_SOAP_ACTION,
  type ParsedEnvelope,
  parseEnvelope,
  SOAP_ENVELOPE_NS,
  type SoapFault,
  type SoapVersion,
  soapRequestHeaders,
  wrapEnvelope,
} from './soap/envelope.js';
export {
  type BuildOptions,
  bulkRequestEnvelope,
  journalEntryRequestFields,
  renderEntryRequest,
} from './soap/request.js';
export { journalEntrySchema, SFIN_NAMESPACE } from './soap/schema.js';
export type { SchemaTable } from './soap/schema-types.js';
export { type SchemaViolation, validateAgainstSchema, validateRoot } from './soap/validate.js';
export { parseXml, type XmlElement } from './soap/xml.js';
export { toXsd } from './soap/xsd.js';
