import { APIError } from './api-error';

/** Status 429 — too many requests; honour `Retry-After`. */
export class RateLimitError extends APIError {
  override name = 'RateLimitError' as const;
}
