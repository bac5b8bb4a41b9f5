import type { ProblemCode } from '../../types';
import { OpenIssuingError } from './openissuing-error';
import type { Problem } from './problem';

/**
 * The API answered with a non-2xx status. Carries the RFC 9457 problem body and the request id
 * (quote it when you contact support). The message names the parameter at fault and the API's
 * explanation of how to fix it.
 *
 * @example
 * try {
 *   await client.cards.create({ cardholder: 'ich_missing', currency: 'usd', type: 'virtual' });
 * } catch (error) {
 *   if (error instanceof APIError) console.log(error.status, error.code, error.param, error.requestId);
 * }
 */
export class APIError extends OpenIssuingError {
  override name: string = 'APIError';
  /** HTTP status code. */
  readonly status: number;
  /**
   * Machine-readable error code from the problem body, one of the spec's `ProblemCode`s, e.g.
   * `parameter_invalid`; `undefined` when the body was not a problem document (a proxy's page).
   */
  readonly code: ProblemCode | undefined;
  /** The parameter at fault, when the API named one. */
  readonly param: string | undefined;
  /** The `Request-Id` of the failed request. */
  readonly requestId: string | undefined;
  /** The full problem body (or `undefined` when the body was not JSON). */
  readonly problem: Problem | undefined;
  /** Response headers. */
  readonly headers: Headers | undefined;

  constructor(status: number, problem: Problem | undefined, headers?: Headers, rawBody?: string) {
    const requestId = headers?.get('request-id') ?? problem?.request_id;
    const p = problem ?? {};
    // The API's `detail` names the parameter and says how to fix it; `param` and `errors` stay on the object.
    super(
      `${status}${p.code ? ` ${p.code}` : ''}: ${p.detail ?? p.title ?? rawBody?.slice(0, 200)}${requestId ? ` (request id ${requestId})` : ''}`,
    );
    this.status = status;
    this.problem = problem;
    this.code = p.code;
    this.param = p.param;
    this.headers = headers;
    this.requestId = requestId;
  }
}
