/**
 * An `application/problem+json` error body (RFC 9457) as the OpenIssuing API returns it.
 */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  /** Machine-readable code such as `parameter_invalid`, `resource_missing`, `rate_limited`. */
  code?: string;
  /** The request parameter at fault, when there is exactly one. */
  param?: string;
  /** One entry per faulty parameter, when there are several. */
  errors?: Array<{ param?: string; code?: string; detail?: string; [key: string]: unknown }>;
  request_id?: string;
  [key: string]: unknown;
}
