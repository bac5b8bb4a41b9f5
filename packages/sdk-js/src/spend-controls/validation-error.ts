import { OpenIssuingError } from '../core/errors/openissuing-error';

/**
 * Input that does not match the API contract, caught before any request is sent. The message names
 * each field at fault (`spending_limits[0].amount: …`) and `issues` lists them.
 *
 * @example
 * try { spendingControls().limit(-5, 'daily').build(); }
 * catch (error) { if (error instanceof ValidationError) console.error(error.issues); }
 */
export class ValidationError extends OpenIssuingError {
  override name = 'ValidationError' as const;
  readonly issues: Array<{ path: string; message: string }>;

  constructor(what: string, issues: Array<{ path: string; message: string }>) {
    super(`Invalid ${what}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    this.issues = issues;
  }
}

/** Formats a zod path such as ['spending_limits', 0, 'amount'] as `spending_limits[0].amount`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}

/** The parts of a zod issue the messages read (zod mini's own message is always "Invalid input"). */
interface ZodIssueLike {
  code: string;
  path: ReadonlyArray<PropertyKey>;
  message: string;
  expected?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  format?: string;
  pattern?: string;
  values?: readonly unknown[];
  keys?: readonly string[];
}

const at = (input: unknown, path: ReadonlyArray<PropertyKey>): unknown =>
  path.reduce<unknown>(
    (value, key) =>
      value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined,
    input,
  );

function bound(issue: ZodIssueLike, limit: number | bigint, more: boolean): string {
  const n = String(limit);
  if (issue.origin === 'array') return `needs ${more ? 'at least' : 'at most'} ${n} item(s)`;
  if (issue.origin === 'string') return `must be ${more ? 'at least' : 'at most'} ${n} character(s) long`;
  const op = more ? (issue.inclusive === false ? '>' : '≥') : issue.inclusive === false ? '<' : '≤';
  return `must be ${op} ${n}`;
}

/** What is wrong with the value, in words that say what to send instead. */
function describeIssue(issue: ZodIssueLike, input: unknown): string {
  const value = at(input, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return 'is required';
      if (issue.expected === 'int') return `must be an integer (minor units), not ${String(value)}`;
      return `must be ${issue.expected === 'array' || issue.expected === 'object' ? 'an' : 'a'} ${issue.expected}, not ${Array.isArray(value) ? 'an array' : typeof value}`;
    case 'too_small':
      return issue.minimum === undefined ? issue.message : bound(issue, issue.minimum, true);
    case 'too_big':
      return issue.maximum === undefined ? issue.message : bound(issue, issue.maximum, false);
    case 'invalid_value':
      return `must be one of ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(', ')}, not ${JSON.stringify(value)}`;
    case 'invalid_format':
      return issue.pattern
        ? `must match ${issue.pattern}, not ${JSON.stringify(value)}`
        : `must be a valid ${issue.format}, not ${JSON.stringify(value)}`;
    case 'unrecognized_keys':
      return `has unknown field(s) ${(issue.keys ?? []).join(', ')}`;
    default:
      return issue.message;
  }
}

/**
 * A zod result's issues as {@link ValidationError} issues: each names its field and says what the
 * value must be (`currency: must match /^[a-z]{3}$/, not "USD"`, `limits: needs at least 1 item(s)`).
 *
 * @example
 * const result = zBudgetCreateParams.safeParse(params);
 * if (!result.success) throw new ValidationError('budget', validationIssues(result.error.issues, params));
 */
export function validationIssues(
  issues: ReadonlyArray<ZodIssueLike>,
  input: unknown,
): Array<{ path: string; message: string }> {
  return issues.map((issue) => ({ path: formatPath(issue.path), message: describeIssue(issue, input) }));
}
