export { APIError } from './api-error';
export { AuthenticationError } from './authentication-error';
export { BadRequestError } from './bad-request-error';
export { ConflictError } from './conflict-error';
export { ConnectionError } from './connection-error';
export { apiErrorFromResponse } from './from-response';
export {
  isAPIError,
  isConnectionError,
  isOpenIssuingError,
  isRateLimitError,
  isTimeoutError,
} from './guards';
export { InternalServerError } from './internal-server-error';
export { NotFoundError } from './not-found-error';
export { OpenIssuingError } from './openissuing-error';
export { PermissionDeniedError } from './permission-denied-error';
export type { Problem } from './problem';
export { RateLimitError } from './rate-limit-error';
export { TimeoutError } from './timeout-error';
