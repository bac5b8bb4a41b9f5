import type { ProblemCode } from '../../types';

/**
 * An `application/problem+json` error body (RFC 9457) as the OpenIssuing API returns it.
 */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  /**
   * Machine-readable code such as `parameter_invalid`, `resource_missing`, `rate_limited`: one of the
   * spec's `ProblemCode`s (the client pins `OpenIssuing-Version`, so the API answers with that
   * version's codes).
   */
  code?: ProblemCode;
  /** The request parameter at fault, when there is exactly one. */
  param?: string;
  /** One entry per faulty parameter, when there are several. */
  errors?: Array<{ param?: string; code?: ProblemCode; detail?: string; [key: string]: unknown }>;
  request_id?: string;
  [key: string]: unknown;
}
