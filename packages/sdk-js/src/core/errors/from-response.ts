import { APIError } from './api-error';
import { AuthenticationError } from './authentication-error';
import { BadRequestError } from './bad-request-error';
import { ConflictError } from './conflict-error';
import { InternalServerError } from './internal-server-error';
import { NotFoundError } from './not-found-error';
import { PermissionDeniedError } from './permission-denied-error';
import type { Problem } from './problem';
import { RateLimitError } from './rate-limit-error';

/**
 * Builds the most specific {@link APIError} subclass for a status code.
 *
 * @example
 * const error = apiErrorFromResponse(404, { code: 'resource_missing', detail: 'No such card' });
 * error instanceof NotFoundError; // true
 */
export function apiErrorFromResponse(status: number, body: unknown, headers?: Headers): APIError {
  const problem = body !== null && typeof body === 'object' ? (body as Problem) : undefined;
  const raw = typeof body === 'string' ? body : undefined;
  const Class =
    status === 400 || status === 422
      ? BadRequestError
      : status === 401
        ? AuthenticationError
        : status === 403
          ? PermissionDeniedError
          : status === 404
            ? NotFoundError
            : status === 409
              ? ConflictError
              : status === 429
                ? RateLimitError
                : status >= 500
                  ? InternalServerError
                  : APIError;
  return new Class(status, problem, headers, raw);
}
