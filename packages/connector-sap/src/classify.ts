import { ErpError } from '@openissuing/connector-core';
import { parseEnvelope } from './soap/envelope.js';

interface CapFailure {
  message?: string;
  statusCode?: number;
  reason?: {
    message?: string;
    code?: string;
    response?: { status?: number; headers?: Record<string, string>; body?: unknown };
  };
}

function soapFaultText(body: unknown): string | null {
  if (typeof body !== 'string' || !body.includes('Envelope')) return null;
  try {
    const f = parseEnvelope(body).fault;
    return f ? `SOAP fault (${f.code === 'client' ? 'Client' : 'Server'}): ${f.message}` : null;
  } catch {
    return null;
  }
}

function odataText(body: unknown): string | null {
  const b = (typeof body === 'string' ? safeJson(body) : body) as {
    error?: { code?: string; message?: { value?: string } | string };
  } | null;
  const e = b?.error;
  if (!e) return null;
  const msg = typeof e.message === 'string' ? e.message : e.message?.value;
  return `${msg ?? 'OData error'}${e.code ? ` (${e.code})` : ''}`;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

/**
 * Classifies a failed call to SAP (as CAP's remote client reports it) for the engine:
 * SOAP faults, 5xx and network failures are transient (the outcome is unknown, so the engine looks
 * the entries up before any re-post); 429/503 with `Retry-After` are rate limits; 401/403 are fatal
 * (credentials); other 4xx are permanent. Never includes credentials in the message.
 */
export function classifyFailure(err: unknown, what: string): ErpError {
  if (err instanceof ErpError) return err;
  const e = err as CapFailure;
  const res = e.reason?.response;
  const status = res?.status;
  const detail = soapFaultText(res?.body) ?? odataText(res?.body);
  if (status === undefined) {
    const cause = e.reason?.message ?? e.message ?? String(err);
    return new ErpError(
      `${what}: SAP did not answer (${cause.replace(/^Error during request to remote service: /, '')})`,
      {
        kind: 'transient',
        cause: err,
      },
    );
  }
  const text = `${what}: SAP answered HTTP ${status}${detail ? ` — ${detail}` : ''}`;
  const retryAfter = Number(res?.headers?.['retry-after']);
  if (status === 429 || (status === 503 && Number.isFinite(retryAfter))) {
    return new ErpError(text, {
      kind: 'rate_limited',
      status,
      code: String(status),
      retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : 30_000,
    });
  }
  if (status === 401 || status === 403) {
    return new ErpError(
      `${text}: check the communication user (or OAuth client) of the communication arrangement and its access to this service`,
      { kind: 'fatal', status, code: String(status) },
    );
  }
  if (status === 404) {
    return new ErpError(
      `${text}: check the service path (soapPath / cubePath) and that the communication arrangement is active`,
      {
        kind: 'fatal',
        status,
        code: '404',
      },
    );
  }
  if (status >= 500 || status === 408)
    return new ErpError(text, { kind: 'transient', status, code: String(status) });
  return new ErpError(text, { kind: 'permanent', status, code: String(status) });
}
