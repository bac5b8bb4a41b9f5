import { HttpResponse, http, type RequestHandler } from 'msw';
import type { QuickBooksEmulator } from './emulator.js';

/** Intuit's production and sandbox API hosts and the OAuth2 token endpoint. */
export const QBO_PRODUCTION = 'https://quickbooks.api.intuit.com';
export const QBO_SANDBOX = 'https://sandbox-quickbooks.api.intuit.com';
export const INTUIT_TOKEN_URL = 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer';

/**
 * msw request handlers that route QuickBooks Online API calls (sandbox and production hosts) and the
 * Intuit token endpoint to an in-process emulator.
 *
 * @example
 * import { setupServer } from 'msw/node';
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
