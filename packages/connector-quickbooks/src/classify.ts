import { ErpError } from '@openissuing/connector-core';
import { QboHttpError } from './qbo.js';

interface AnyError {
  Message?: string;
  message?: string;
  Detail?: string;
  detail?: string | null;
  code?: string;
  element?: string | null;
}

/** Extracts the errors of either Fault shape: `Fault.Error[]` (validation) or lowercase `fault.error[]` (auth). */
export function faultErrors(body: unknown): { type: string; errors: AnyError[] } | null {
  const b = body as {
    Fault?: { Error?: AnyError[]; type?: string };
    fault?: { error?: AnyError[]; type?: string };
  } | null;
  const f = b?.Fault ?? b?.fault;
  if (!f) return null;
  return { type: f.type ?? '', errors: (b?.Fault ? b.Fault.Error : b?.fault?.error) ?? [] };
}

/** QuickBooks' own words for a fault: `Message: Detail (code N, element E)`. */
export function faultMessage(errors: AnyError[]): string {
  return errors
    .map((e) => {
      const msg = e.Message ?? e.message ?? 'QuickBooks error';
      const detail = e.Detail ?? e.detail;
      return `${msg}${detail ? `: ${detail}` : ''} (code ${e.code ?? '?'}${e.element ? `, element ${e.element}` : ''})`;
    })
    .join('; ');
}

const AUTH_CODES = new Set(['100', '120', '3100', '3200']);
const TRANSIENT_CODES = new Set(['5010', '10000']);

/** Classifies a fault found inside a (batch) response body. */
export function classifyFault(type: string, errors: AnyError[], status?: number): ErpError {
  const code = errors[0]?.code;
  const message = faultMessage(errors);
  if (status === 429 || code === '3001')
    return new ErpError(message, {
      kind: 'rate_limited',
      ...(code ? { code } : {}),
      ...(status ? { status } : {}),
    });
  if (code && AUTH_CODES.has(code))
    return new ErpError(message, { kind: 'fatal', code, ...(status ? { status } : {}) });
  if (
    type === 'SystemFault' ||
    (status !== undefined && status >= 500) ||
    (code && TRANSIENT_CODES.has(code))
  ) {
    return new ErpError(message, {
      kind: 'transient',
      ...(code ? { code } : {}),
      ...(status ? { status } : {}),
    });
  }
  return new ErpError(message, {
    kind: 'permanent',
    ...(code ? { code } : {}),
    ...(status ? { status } : {}),
  });
}

/** Classifies any failure of a call: network, HTTP status, Fault body. */
export function classifyError(err: unknown): ErpError {
  if (err instanceof ErpError) return err;
  if (err instanceof QboHttpError) {
    const retryAfter = Number(err.headers['retry-after']);
    if (err.status === 429) {
      const f = faultErrors(err.body);
      return new ErpError(f ? faultMessage(f.errors) : 'QuickBooks throttled the request (429)', {
        kind: 'rate_limited',
        code: '429',
        status: 429,
        retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : 60_000,
      });
    }
    if (err.status === 0)
      return new ErpError(`QuickBooks unreachable: ${err.message}`, { kind: 'transient' });
    const f = faultErrors(err.body);
    if (f) return classifyFault(f.type, f.errors, err.status);
    if (err.status >= 500 || err.status === 408) {
      return new ErpError(`QuickBooks answered HTTP ${err.status}`, {
        kind: 'transient',
        status: err.status,
      });
    }
    return new ErpError(`QuickBooks answered HTTP ${err.status}`, { kind: 'permanent', status: err.status });
  }
  return new ErpError(err instanceof Error ? err.message : String(err), { kind: 'transient', cause: err });
}
