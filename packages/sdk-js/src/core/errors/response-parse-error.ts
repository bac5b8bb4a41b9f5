import { OpenIssuingError } from './openissuing-error';

/**
 * A 2xx response whose body could not be read (connection lost) or was not JSON (for example a proxy's HTML page).
 */
export class ResponseParseError extends OpenIssuingError {
  override name = 'ResponseParseError' as const;
  readonly status: number;
  readonly requestId: string | undefined;
  readonly body: string;

  constructor(status: number, body: string, requestId: string | undefined, options?: { cause?: unknown }) {
    super(`Unreadable response body (status ${status}); is \`baseUrl\` the API?`, options);
    this.status = status;
    this.requestId = requestId;
    this.body = body;
  }
}
