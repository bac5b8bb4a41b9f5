/** The spec's ProblemCode values. */
export type ProblemCode =
  | 'parameter_invalid'
  | 'parameter_missing'
  | 'resource_missing'
  | 'idempotency_key_reused'
  | 'idempotency_key_in_progress'
  | 'rate_limited'
  | 'card_not_active'
  | 'authentication_required'
  | 'api_key_invalid'
  | 'ephemeral_key_scope'
  | 'ephemeral_key_expired'
  | 'insufficient_permissions'
  | 'origin_not_allowed'
  | 'state_invalid'
  | 'budget_currency_mismatch'
  | 'api_version_invalid'
  | 'internal_error';

/** One title per code (RFC 9457: the same for every occurrence of a problem type). */
export const PROBLEM_TITLES: Record<ProblemCode, string> = {
  parameter_invalid: 'Invalid parameter',
  parameter_missing: 'Missing parameter',
  resource_missing: 'No such object',
  idempotency_key_reused: 'Idempotency key reused',
  idempotency_key_in_progress: 'Idempotency key in progress',
  rate_limited: 'Too many requests',
  card_not_active: 'Card not active',
  authentication_required: 'Authentication required',
  api_key_invalid: 'Invalid API key',
  ephemeral_key_scope: 'Ephemeral key for another card',
  ephemeral_key_expired: 'Ephemeral key expired',
  insufficient_permissions: 'Insufficient permissions',
  origin_not_allowed: 'Origin not allowed',
  state_invalid: 'Invalid state',
  budget_currency_mismatch: 'Budget currency mismatch',
  api_version_invalid: 'Invalid API version',
  internal_error: 'Internal error',
};

export interface FieldError {
  param: string;
  code: ProblemCode;
  detail: string;
}

/**
 * An API error rendered as application/problem+json (RFC 9457). `code` is the machine code,
 * `param` the one parameter at fault (dotted path), `errors` several at once.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    message: string,
    readonly param?: string,
    readonly errors?: readonly FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** The missing-object error naming the parameter that holds the id. */
export function notFound(kind: string, id: string, param = kind): ApiError {
  return new ApiError(
    404,
    'resource_missing',
    `${param}: no ${kind.replace(/_/g, ' ')} '${id}' exists.`,
    param,
  );
}

export function invalid(param: string, message: string, code: ProblemCode = 'parameter_invalid'): ApiError {
  return new ApiError(400, code, message, param);
}

export function stateInvalid(message: string, param?: string): ApiError {
  return new ApiError(409, 'state_invalid', message, param);
}
