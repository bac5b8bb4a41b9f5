import { OpenIssuingError } from './openissuing-error';

/**
 * No response arrived: DNS failure, refused or reset connection, or a body that could not be read.
 * Thrown after the SDK's retries are exhausted. `cause` holds the underlying error.
 */
export class ConnectionError extends OpenIssuingError {
  override name: string = 'ConnectionError';

  constructor(message?: string, options?: { cause?: unknown }) {
    super(message ?? 'Could not reach the API (retried); check `baseUrl`.', options);
  }
}
