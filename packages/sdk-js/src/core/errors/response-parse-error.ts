import { OpenIssuingError } from './openissuing-error';

/**
 * The API answered 2xx but the body was not the JSON the SDK expected (for example a proxy's HTML page).
 */
export class ResponseParseError extends OpenIssuingError {
  override name = 'ResponseParseError' as const;
  readonly status: number;
  readonly requestId: string | undefined;
  readonly body: string;

  constructor(status: number, body: string, requestId: string | undefined, options?: { cause?: unknown }) {
    super(`Non-JSON body with status ${status}; is \`baseUrl\` the API?`, options);
    this.status = status;
    this.requestId = requestId;
    this.body = body;
  }
}
