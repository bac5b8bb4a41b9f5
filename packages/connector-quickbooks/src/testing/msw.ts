import { HttpResponse, http, type RequestHandler } from 'msw';
import type { QuickBooksEmulator } from './emulator.js';
import { INTUIT_TOKEN_URL, QBO_PRODUCTION, QBO_SANDBOX } from './hosts.js';

/**
 * msw request handlers that route QuickBooks Online API calls (sandbox and production hosts) and the
 * Intuit token endpoint to an in-process emulator.
 *
 * `@openissuing/connector-quickbooks/testing/msw` — the one entry that needs msw (an optional peer
 * dependency: `npm install -D msw`).
 *
 * @example
 * import { setupServer } from 'msw/node';
 * import { QuickBooksEmulator } from '@openissuing/connector-quickbooks/testing';
 * import { quickBooksHandlers } from '@openissuing/connector-quickbooks/testing/msw';
 * const qbo = new QuickBooksEmulator();
 * const server = setupServer(...quickBooksHandlers(qbo));
 * server.listen();
 */
export function quickBooksHandlers(
  emulator: QuickBooksEmulator,
  options: { baseUrls?: string[]; tokenUrl?: string } = {},
): RequestHandler[] {
  const handle = async ({ request }: { request: Request }) => {
    const out = await emulator.handle({
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: request.method === 'GET' ? '' : await request.text(),
    });
    if (out.drop) return HttpResponse.error();
    return new HttpResponse(out.body, { status: out.status, headers: out.headers });
  };
  const bases = options.baseUrls ?? [QBO_SANDBOX, QBO_PRODUCTION];
  return [
    http.post(options.tokenUrl ?? INTUIT_TOKEN_URL, handle),
    ...bases.map((b) => http.all(`${b}/v3/company/*`, handle)),
  ];
}
