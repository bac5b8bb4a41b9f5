import type { APIError } from './api-error';
import type { ConnectionError } from './connection-error';
import type { OpenIssuingError } from './openissuing-error';
import type { RateLimitError } from './rate-limit-error';
import type { TimeoutError } from './timeout-error';

const API_ERROR_NAMES = new Set([
  'APIError',
  'BadRequestError',
  'AuthenticationError',
  'PermissionDeniedError',
  'NotFoundError',
  'ConflictError',
  'RateLimitError',
  'InternalServerError',
]);

function nameOf(value: unknown): string | undefined {
  return value instanceof Error || (typeof value === 'object' && value !== null && 'name' in value)
    ? String((value as { name: unknown }).name)
    : undefined;
}

/**
 * True for any error thrown by this SDK. Works across realms and duplicated installs (it checks the
 * literal `name`, not the prototype chain).
 *
 * @example
 * catch (error) { if (isOpenIssuingError(error)) report(error.message); }
 */
export function isOpenIssuingError(value: unknown): value is OpenIssuingError {
  const name = nameOf(value);
  return (
    name !== undefined &&
    (name === 'OpenIssuingError' ||
      API_ERROR_NAMES.has(name) ||
      name === 'ConnectionError' ||
      name === 'TimeoutError' ||
      name === 'WebhookVerificationError') &&
    'message' in (value as object) &&
    // TimeoutError is also the name of DOMException timeouts; ours carry no `code` number.
    typeof (value as { code?: unknown }).code !== 'number'
  );
}

/**
 * True when the API answered with an error status.
 *
 * @example
 * catch (error) { if (isAPIError(error) && error.code === 'card_not_active') … }
 */
export function isAPIError(value: unknown): value is APIError {
  const name = nameOf(value);
  return name !== undefined && API_ERROR_NAMES.has(name) && typeof (value as APIError).status === 'number';
}

/** True when no response arrived (connection failure or timeout). @example if (isConnectionError(e)) retryLater(); */
export function isConnectionError(value: unknown): value is ConnectionError {
  const name = nameOf(value);
  return (name === 'ConnectionError' || name === 'TimeoutError') && isOpenIssuingError(value);
}

/** True when a request timed out. @example if (isTimeoutError(e)) console.warn('slow API'); */
export function isTimeoutError(value: unknown): value is TimeoutError {
  return nameOf(value) === 'TimeoutError' && isOpenIssuingError(value);
}

/** True for a 429 answer. @example if (isRateLimitError(e)) await sleep(1000); */
export function isRateLimitError(value: unknown): value is RateLimitError {
  return nameOf(value) === 'RateLimitError' && isAPIError(value);
}
