import { APIError } from './api-error';

/** Status 403 — the key is valid but may not perform this request. */
export class PermissionDeniedError extends APIError {
  override name = 'PermissionDeniedError' as const;
}
