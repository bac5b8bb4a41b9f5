import { ErpError } from '@openissuing/connector-core';
import type { AuthProvider } from './auth.js';

/** Fusion's REST error body (`application/vnd.oracle.adf.error+json`), where it sends one. */
interface AdfError {
  title?: string;
  detail?: string;
  'o:errorDetails'?: Array<{ detail?: string; 'o:errorCode'?: string }>;
}

function errorText(status: number, text: string): { message: string; code?: string } {
  try {
    const body = JSON.parse(text) as AdfError;
    const d = body['o:errorDetails']?.[0];
    const message = d?.detail ?? body.detail ?? body.title;
    if (message) return { message, ...(d?.['o:errorCode'] ? { code: d['o:errorCode'] } : {}) };
  } catch {
    // not JSON: Fusion answers some errors as text/plain
  }
  const plain = text
    .trim()
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .slice(0, 300);
  return { message: plain || `HTTP ${status}` };
}

export interface FusionClientOptions {
  /** Pod URL, e.g. `https://fa-abcd.fa.us2.oraclecloud.com`. */
  baseUrl: string;
  /** REST version segment. @default "11.13.18.05" */
  apiVersion?: string;
  auth: AuthProvider;
  /** Per-request timeout. @default 120000 */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * A small Fusion REST client: `fscmRestApi/resources/<version>/<resource>` with auth, timeouts, the
 * framework version header (row-match `q` expressions need version 2 or later) and errors mapped to
 * `ErpError` kinds (5xx/timeouts transient, 429 rate limited, 401/403 fatal, other 4xx permanent with
 * Fusion's own detail).
 *
 * @example
 * const fusion = new FusionClient({ baseUrl, auth: basicAuth(user, password) });
 * const page = await fusion.get('journalBatches', { q: "BatchName LIKE 'OI-%'", limit: '25' });
 */
export class FusionClient {
  private readonly base: string;
  private readonly doFetch: typeof fetch;

  constructor(private readonly options: FusionClientOptions) {
    this.base = `${options.baseUrl.replace(/\/$/, '')}/fscmRestApi/resources/${options.apiVersion ?? '11.13.18.05'}`;
    this.doFetch = options.fetch ?? fetch;
  }

  get<T>(path: string, query: Record<string, string> = {}, signal?: AbortSignal): Promise<T> {
    const qs = new URLSearchParams(query).toString();
    return this.request<T>('GET', `${path}${qs ? `?${qs}` : ''}`, undefined, signal);
  }

  post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    return this.request<T>('POST', path, body, signal);
  }

  private async request<T>(
    method: string,
    path: string,
    body: unknown,
    signal?: AbortSignal,
    retried = false,
  ): Promise<T> {
    const url = `${this.base}/${path}`;
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 120_000);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await this.doFetch(url, {
        method,
        headers: {
          authorization: await this.options.auth.header(signal),
          accept: 'application/json',
          'REST-Framework-Version': '4',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: combined,
      });
    } catch (err) {
      signal?.throwIfAborted();
      const reason = timeout.aborted ? 'timed out' : (err as Error).message;
      throw new ErpError(`Oracle Fusion ${method} ${path.split('?')[0]} failed: ${reason}`, {
        kind: 'transient',
        cause: err,
      });
    }
    const text = await res.text();
    if (res.ok) return (text ? JSON.parse(text) : null) as T;
    const what = `Oracle Fusion ${method} ${path.split('?')[0]}`;
    if (res.status === 401 && !retried) {
      this.options.auth.invalidate();
      return this.request<T>(method, path, body, signal, true);
    }
    if (res.status === 401 || res.status === 403) {
      throw new ErpError(
        `${what}: HTTP ${res.status} — the integration user's credentials were refused or it lacks a role for this resource (see the connector README: roles)`,
        { kind: 'fatal', status: res.status },
      );
    }
    const { message, code } = errorText(res.status, text);
    if (res.status === 429) {
      const ra = Number(res.headers.get('retry-after'));
      throw new ErpError(`${what}: throttled (429): ${message}`, {
        kind: 'rate_limited',
        status: 429,
        retryAfterMs: Number.isFinite(ra) && ra > 0 ? ra * 1000 : 30_000,
      });
    }
    if (res.status >= 500 || res.status === 408)
      throw new ErpError(`${what}: HTTP ${res.status}: ${message}`, {
        kind: 'transient',
        status: res.status,
        ...(code ? { code } : {}),
      });
    throw new ErpError(`${what}: HTTP ${res.status}: ${message}`, {
      kind: 'permanent',
      status: res.status,
      ...(code ? { code } : {}),
    });
  }
}
