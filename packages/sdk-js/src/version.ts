/** This SDK's version (sent in the User-Agent header where the runtime allows it). */
export const SDK_VERSION = '0.1.0';
/** The API version (`OpenIssuing-Version` header) this SDK was built and tested against. */
export const API_VERSION = '2026-11-01';
