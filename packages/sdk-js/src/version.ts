/**
 * The API version (`OpenIssuing-Version` header, the spec's `info.version`) this SDK was generated
 * from and tested against.
 */
export const API_VERSION = '2026-11-01';
