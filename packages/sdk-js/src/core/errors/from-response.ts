import { APIError } from './api-error';
import { AuthenticationError } from './authentication-error';
import { BadRequestError } from './bad-request-error';
import { ConflictError } from './conflict-error';
import { InternalServerError } from './internal-server-error';
import { NotFoundError } from './not-found-error';
import { PermissionDeniedError } from './permission-denied-error';
import type { Problem } from './problem';
import { RateLimitError } from './rate-limit-error';

const BY_STATUS: Record<number, typeof APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: BadRequestError,
  429: RateLimitError,
};

/**
 * Builds the most specific {@link APIError} subclass for a status code.
 *
 * @example
 * const error = apiErrorFromResponse(404, { code: 'resource_missing', detail: 'No such card' });
 * error instanceof NotFoundError; // true
 */
export function apiErrorFromResponse(status: number, body: unknown, headers?: Headers): APIError {
  const Class = BY_STATUS[status] ?? (status >= 500 ? InternalServerError : APIError);
  return new Class(
    status,
    typeof body === 'object' ? ((body as Problem | null) ?? undefined) : undefined,
    headers,
    typeof body === 'string' ? body : undefined,
  );
}
