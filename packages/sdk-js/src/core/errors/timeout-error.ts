import { ConnectionError } from './connection-error';

/**
 * The request did not get a response within `timeout` milliseconds (per attempt), after retries.
 */
export class TimeoutError extends ConnectionError {
  override name = 'TimeoutError' as const;

  constructor(timeout: number, options?: { cause?: unknown }) {
    super(`Timed out after ${timeout} ms (and retries); raise \`timeout\`.`, options);
  }
}
