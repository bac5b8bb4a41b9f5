import { APIError } from './api-error';

/** Status 404 — the resource does not exist (or belongs to another mode). */
export class NotFoundError extends APIError {
  override name = 'NotFoundError' as const;
}
