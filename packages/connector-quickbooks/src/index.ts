export { QuickBooksAdapter, type QuickBooksAdapterOptions, type QuickBooksLimits } from './adapter.js';
export { classifyError, classifyFault, faultErrors, faultMessage } from './classify.js';
export { createConnector, quickBooksConnectorOptionsSchema } from './connector.js';
export { type QuickBooksTokens, TOKEN_URL, TokenManager } from './oauth.js';
export {
  DOC_NUMBER_MAX,
  docNumberFor,
  PRIVATE_NOTE_MAX,
  type PurchaseRefs,
  referenceMarker,
  toPurchase,
  vendorDisplayName,
} from './purchase.js';
export { call, createNodeQuickBooks, type NodeQuickBooks, QboHttpError, type QboResult } from './qbo.js';
