import { APIError } from './api-error';

/** Status 409 — the request conflicts with the current state, or an Idempotency-Key was reused with different parameters. */
export class ConflictError extends APIError {
  override name = 'ConflictError' as const;
}
