import ky, { isHTTPError, isNetworkError, isTimeoutError, type KyInstance } from 'ky';
import { isBrowser, readEnv } from '../internal/env';
import { newIdempotencyKey } from '../internal/idempotency-key';
import { API_VERSION } from '../version';
import { type APIPromise, apiPromise, type WithResponse } from './api-promise';
import type { ClientOptions } from './client-options';
import { ConnectionError } from './errors/connection-error';
import { apiErrorFromResponse } from './errors/from-response';
import { OpenIssuingError } from './errors/openissuing-error';
import { TimeoutError } from './errors/timeout-error';
import { type ListEnvelope, type PagePromise, pagePromise } from './pagination';
import type { FinalRequest, RequestOptions } from './request-options';

const RETRY_STATUSES = [408, 409, 429, 500, 502, 503, 504];

/**
 * The resource-agnostic HTTP core: authentication, retries with backoff and jitter, automatic
 * idempotency keys, timeouts, error mapping. `OpenIssuing` extends it with the resources.
 */
export class APIClient {
  readonly baseUrl: string;
  readonly timeout: number;
  readonly maxRetries: number;
  readonly apiVersion: string;
  readonly #apiKey: string | undefined;
  readonly #ky: KyInstance;
  readonly #defaultHeaders: Record<string, string>;

  constructor(options: ClientOptions = {}) {
    const apiKey = options.apiKey ?? readEnv('OPENISSUING_API_KEY');
    const baseUrl = options.baseUrl ?? readEnv('OPENISSUING_BASE_URL') ?? 'http://localhost:4100';
    if (apiKey?.startsWith('sk_') && isBrowser() && !options.dangerouslyAllowBrowser) {
      throw new OpenIssuingError('Never put a secret key in a browser; use an ephemeral key.');
    }
    this.#apiKey = apiKey;
    this.baseUrl = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
    this.timeout = options.timeout ?? 60_000;
    this.maxRetries = options.maxRetries ?? 2;
    this.apiVersion = options.apiVersion ?? API_VERSION;
    this.#defaultHeaders = options.defaultHeaders ?? {};
    this.#ky = ky.create({
      baseUrl: this.baseUrl,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      retry: {
        methods: ['get', 'post', 'patch', 'delete'],
        statusCodes: RETRY_STATUSES,
        afterStatusCodes: RETRY_STATUSES,
        maxRetryAfter: 60_000,
        // ky's exponential backoff (0.3 s, 0.6 s, 1.2 s, …) capped at 8 s, with full jitter.
        backoffLimit: 8_000,
        jitter: true,
        retryOnTimeout: true,
        shouldRetry: ({ error }) => {
          // Reusing a key with other parameters is permanent; retrying cannot help.
          if (
            isHTTPError(error) &&
            (error.data as { code?: string } | undefined)?.code === 'idempotency_key_reused'
          ) {
            return false;
          }
          return undefined;
        },
      },
    });
  }

  /** Sends one request; resources call this. */
  request<T>(req: FinalRequest): APIPromise<T> {
    return apiPromise(this.#send<T>(req));
  }

  /** Sends a list request and wraps it for auto-pagination. */
  requestList<Item>(req: FinalRequest): PagePromise<Item> {
    return pagePromise<Item>((cursor) =>
      this.#send<ListEnvelope<Item>>(cursor ? { ...req, query: { ...req.query, cursor } } : req),
    );
  }

  async #send<T>(req: FinalRequest): Promise<WithResponse<T>> {
    const options: RequestOptions = req.options ?? {};
    const apiKey = options.apiKey ?? this.#apiKey;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'openissuing-version': this.apiVersion,
      ...this.#defaultHeaders,
    };
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    if (req.method === 'POST') headers['idempotency-key'] = options.idempotencyKey ?? newIdempotencyKey();
    Object.assign(headers, options.headers);
    const timeout = options.timeout ?? this.timeout;
    const maxRetries = options.maxRetries ?? this.maxRetries;
    let response: Response;
    try {
      response = await this.#ky(req.path, {
        method: req.method,
        headers,
        json: req.body,
        searchParams: req.query as Record<string, string> | undefined,
        timeout,
        retry: { limit: maxRetries },
        signal: options.signal,
      });
    } catch (error) {
      throw this.#mapError(error, timeout, options.signal);
    }
    const requestId = response.headers.get('request-id');
    if (response.status === 204) return { data: undefined as T, response, requestId };
    let text = '';
    try {
      text = await response.text();
      return { data: (text === '' ? undefined : JSON.parse(text)) as T, response, requestId };
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      // The body broke off or is not JSON (a proxy's page?); `cause` says which.
      throw new ConnectionError(undefined, { cause: error });
    }
  }

  #mapError(error: unknown, timeout: number, signal: AbortSignal | undefined): unknown {
    if (signal?.aborted) return signal.reason;
    if (isHTTPError(error))
      return apiErrorFromResponse(error.response.status, error.data, error.response.headers);
    if (isTimeoutError(error)) return new TimeoutError(timeout, { cause: error });
    if (isNetworkError(error)) {
      return new ConnectionError(undefined, { cause: error });
    }
    return error;
  }
}
