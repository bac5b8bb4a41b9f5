import { ApiError } from '../lib/errors';

/**
 * The limits every request meets before any recursive code (idempotency hashing, schema
 * validation, the database) touches it. The spec's "Limits" section documents the same numbers.
 */
export const REQUEST_LIMITS = {
  /** Largest request body accepted, in bytes (a legitimate body is a few kilobytes). */
  maxBodyBytes: 256 * 1024,
  /** Deepest nesting of objects and arrays in a body (the deepest legitimate body is 5). */
  maxDepth: 32,
} as const;

/** 400 naming the size limit (every operation documents 400; see the spec's "Limits"). */
export function bodyTooLarge(): ApiError {
  return new ApiError(
    400,
    'parameter_invalid',
    `body: the request body is over the limit of ${REQUEST_LIMITS.maxBodyBytes} bytes; send a smaller body (request bodies are a few kilobytes).`,
    'body',
    undefined,
    // The rest of the body is not read, so this connection cannot carry another request.
    { Connection: 'close' },
  );
}

/**
 * Throws a 400 when `value` (a parsed JSON body) nests deeper than {@link REQUEST_LIMITS.maxDepth}.
 * Iterative on purpose: a body thousands of levels deep must not overflow the stack here either.
 *
 * @example
 * assertDepth({ a: { b: [1] } }); // passes: depth 3
 */
export function assertDepth(value: unknown): void {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop() as { value: unknown; depth: number };
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > REQUEST_LIMITS.maxDepth) {
      throw new ApiError(
        400,
        'parameter_invalid',
        `body: nests objects and arrays deeper than ${REQUEST_LIMITS.maxDepth} levels; no request needs more than a few.`,
        'body',
      );
    }
    for (const child of Array.isArray(v) ? v : Object.values(v))
      stack.push({ value: child, depth: depth + 1 });
  }
}

/**
 * The request body as text, read at most {@link REQUEST_LIMITS.maxBodyBytes} bytes far: a declared
 * `Content-Length` over the limit is refused before reading, a chunked body (streamed) as soon as
 * it passes it.
 * (Hand-written: hono's `bodyLimit` middleware rebuilds the Request, which fails on
 * `@hono/node-server`'s request objects when a body has no Content-Length.)
 *
 * @example
 * const text = await readLimitedBody(c.req.raw); // throws ApiError 400 past 256 KiB
 */
export async function readLimitedBody(request: Request): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > REQUEST_LIMITS.maxBodyBytes) throw bodyTooLarge();
  // A declared length within the limit is all the HTTP parser lets through: read it in one go.
  // On @hono/node-server this reads the Node request directly — no web Request or ReadableStream
  // is built, which was ~0.15 ms of CPU per request (bench/authorizations/cpu.ts).
  if (Number.isFinite(declared)) return Buffer.from(await request.arrayBuffer()).toString('utf8');
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > REQUEST_LIMITS.maxBodyBytes) {
      await reader.cancel().catch(() => {});
      throw bodyTooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
