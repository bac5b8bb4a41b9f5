import { APIError } from './api-error';

/** Status 401 — the API key is missing, malformed, revoked or expired. */
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError' as const;
}
