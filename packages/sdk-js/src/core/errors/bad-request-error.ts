import { APIError } from './api-error';

/** Status 400 or 422 — the request was malformed or a parameter is invalid. */
export class BadRequestError extends APIError {
  override name = 'BadRequestError' as const;
}
