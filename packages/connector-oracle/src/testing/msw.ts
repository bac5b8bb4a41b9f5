import { HttpResponse, http, type RequestHandler } from 'msw';
import type { OracleEmulator } from './emulator.js';

/**
 * msw request handlers that route a Fusion pod's REST calls (`<baseUrl>/fscmRestApi/resources/…`) to an
 * in-process emulator.
 *
 * @example
 * import { setupServer } from 'msw/node';
 * const oracle = new OracleEmulator();
 * const server = setupServer(...oracleHandlers(oracle, { baseUrl: 'https://fa-test.fa.us2.oraclecloud.com' }));
 * server.listen();
 */
export function oracleHandlers(emulator: OracleEmulator, options: { baseUrl: string }): RequestHandler[] {
  const base = options.baseUrl.replace(/\/$/, '');
  return [
    http.all(`${base}/fscmRestApi/resources/*`, async ({ request }) => {
      const out = await emulator.handle({
        method: request.method,
        url: new URL(request.url),
        headers: request.headers,
        body: request.method === 'GET' || request.method === 'DELETE' ? '' : await request.text(),
      });
      if (out.drop) return HttpResponse.error();
      return new HttpResponse(out.status === 204 ? null : out.body, {
        status: out.status,
        headers: out.headers,
      });
    }),
  ];
}
