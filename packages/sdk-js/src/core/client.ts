import { up } from 'up-fetch';
import { isBrowser, readEnv } from '../internal/env';
import { newIdempotencyKey } from '../internal/idempotency-key';
import { API_VERSION } from '../version';
import { type APIPromise, apiPromise, type WithResponse } from './api-promise';
import type { ClientOptions } from './client-options';
import { ConnectionError, printableUrl } from './errors/connection-error';
import { apiErrorFromResponse } from './errors/from-response';
import { OpenIssuingError } from './errors/openissuing-error';
import { TimeoutError } from './errors/timeout-error';
import { createLog, type Log } from './logger';
import { retriesAfterNetworkError } from './network-retry';
import { type ListEnvelope, type PagePromise, pagePromise } from './pagination';
import type { FinalRequest, RequestOptions } from './request-options';
import { RETRY_STATUSES, retryDelay, sleep } from './retry';

/** Why a response body could not be used: kept as the `cause` of the ConnectionError. */
class BodyError {
  constructor(readonly cause: unknown) {}
}

/**
 * The resource-agnostic HTTP core: authentication, retries with backoff and jitter, automatic
 * idempotency keys, timeouts, error mapping, logging. `OpenIssuing` extends it with the resources.
 * The transport is up-fetch (fetch with retries, timeouts and a base URL in under 2 kB).
 */
export class APIClient {
  readonly baseUrl: string;
  readonly timeout: number;
  readonly maxRetries: number;
  readonly apiVersion: string;
  readonly #apiKey: string | undefined;
  readonly #fetch: ReturnType<typeof up<typeof fetch>>;
  readonly #defaultHeaders: Record<string, string>;
  readonly #log: Log;

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
    this.#log = createLog(options.logger, options.logLevel ?? readEnv('OPENISSUING_LOG'));
    this.#fetch = up((input: RequestInfo | URL, init?: RequestInit) => (options.fetch ?? fetch)(input, init));
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
    const { signal } = options;
    const log = this.#log;
    const what = `${req.method} /${req.path}`;
    const started = Date.now();
    let attempts = 0; // `when` runs once after every attempt
    log.debug(`→ ${what}`);
    try {
      return await this.#fetch(req.path, {
        baseUrl: this.baseUrl,
        method: req.method,
        headers,
        body: req.body as never,
        params: req.query as Record<string, string> | undefined,
        timeout,
        signal,
        retry: {
          attempts: maxRetries,
          when: async ({ response, error }) => {
            attempts++;
            if (signal?.aborted) return false;
            // A network error or this attempt's timeout: a PATCH or DELETE may already have been applied.
            if (error) return retriesAfterNetworkError(req.method, error);
            if (!response || !RETRY_STATUSES.includes(response.status)) return false;
            // Reusing a key with other parameters is permanent; retrying cannot help.
            const body = await response
              .clone()
              .json()
              .catch(() => null);
            return body?.code !== 'idempotency_key_reused';
          },
          // The wait happens here, on the caller's signal only: a wait is not part of any attempt's timeout.
          delay: async ({ attempt, response, error }) => {
            const ms = retryDelay(attempt, response?.headers);
            log.warn(
              `${what}: ${response?.status ?? `${(error as Error).name} (${String((error as Error).cause ?? (error as Error).message)})`}, retry ${attempt} of ${maxRetries} in ${Math.round(ms)} ms`,
            );
            await sleep(ms, signal);
            return 0;
          },
        },
        parseRejected: async (response) => {
          const text = await response.text();
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {}
          return apiErrorFromResponse(response.status, body, response.headers);
        },
        parseResponse: async (response) => {
          const requestId = response.headers.get('request-id');
          log.debug(`← ${response.status} ${what} in ${Date.now() - started} ms`, { requestId });
          if (response.status === 204) return { data: undefined as T, response, requestId };
          try {
            const text = await response.text();
            return { data: (text === '' ? undefined : JSON.parse(text)) as T, response, requestId };
          } catch (error) {
            throw new BodyError(error);
          }
        },
      });
    } catch (error) {
      const mapped = signal?.aborted ? signal.reason : this.#mapError(error, timeout, attempts);
      log.debug(`✗ ${what} in ${Date.now() - started} ms: ${(mapped as Error)?.name}`);
      throw mapped;
    }
  }

  #mapError(error: unknown, timeout: number, attempts: number): unknown {
    if (error instanceof OpenIssuingError) return error;
    if (error instanceof BodyError) {
      // The body broke off or is not JSON (a proxy's page?); `cause` says which.
      return new ConnectionError(
        `The response from ${printableUrl(this.baseUrl)} could not be read (${String(error.cause)}); is \`baseUrl\` the OpenIssuing API and not a proxy or web page?`,
        { cause: error.cause, baseUrl: this.baseUrl },
      );
    }
    if ((error as Error)?.name === 'TimeoutError') return new TimeoutError(timeout, { cause: error });
    return new ConnectionError(undefined, { cause: error, baseUrl: this.baseUrl, attempts });
  }
}
