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
