import { socketFailure } from './errors/connection-error';

/**
 * Socket codes that mean the connection was never made, so no byte of the request reached the server:
 * refused, unresolvable host, unreachable network, connect timeout.
 */
const NOT_CONNECTED: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Whether a request that failed without a response (a network error or the attempt's timeout) may be
 * sent again. GET changes nothing, and a POST carries an Idempotency-Key, which the platform replays:
 * both are retried. The platform honours Idempotency-Key on POST only, so a PATCH or DELETE whose
 * connection broke after it was sent may already have been applied — sending it again could apply it
 * twice or answer 404 for a delete that succeeded — and is retried only when the connection was
 * never made (`ECONNREFUSED`, `ENOTFOUND`, …). Otherwise the caller gets the ConnectionError or
 * TimeoutError and decides (read the resource back, then retry).
 *
 * @example
 * retriesAfterNetworkError('POST', new TypeError('fetch failed')); // true
 * retriesAfterNetworkError('PATCH', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })); // true
 * retriesAfterNetworkError('DELETE', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })); // false
 */
export function retriesAfterNetworkError(method: string, error: unknown): boolean {
  if (method === 'GET' || method === 'POST') return true;
  const { code } = socketFailure(error);
  return code !== undefined && NOT_CONNECTED.has(code);
}
