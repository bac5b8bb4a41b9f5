import { APIError } from './api-error';

/** Status 5xx — the API failed. */
export class InternalServerError extends APIError {
  override name = 'InternalServerError' as const;
}
