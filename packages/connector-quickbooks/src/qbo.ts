import QuickBooksModule from 'node-quickbooks';

/**
 * The one place node-quickbooks is promisified. Its bundled type declarations are wrong in places
 * (it declares `export default` for a CommonJS `module.exports`, types errors as `fault.error[].Message`
 * while QuickBooks sends either `Fault.Error[].Message` or the lowercase `fault.error[].message`, and
 * types `batch` results as `any`), so this file declares the slice we use and normalizes every outcome
 * to `{ status, headers, body }` or a {@link QboHttpError}.
 */

type RawCallback = (
  err: unknown,
  body: unknown,
  res?: { status: number; headers: Record<string, unknown> },
) => void;

/** The node-quickbooks instance surface the connector uses (as it behaves at runtime). */
export interface NodeQuickBooks {
  endpoint: string;
  token: string;
  realmId: string;
  minorversion: number;
  batch(items: unknown[], cb: RawCallback): void;
  createPurchase(purchase: Record<string, unknown>, cb: RawCallback): void;
  createVendor(vendor: Record<string, unknown>, cb: RawCallback): void;
  findPurchases(criteria: string, cb: RawCallback): void;
  findVendors(criteria: string, cb: RawCallback): void;
  findAccounts(criteria: string, cb: RawCallback): void;
  findClasses(criteria: string, cb: RawCallback): void;
  findDepartments(criteria: string, cb: RawCallback): void;
}

type QuickBooksCtor = new (
  consumerKey: string,
  consumerSecret: string,
  token: string,
  tokenSecret: boolean,
  realmId: string,
  useSandbox: boolean,
  debug: boolean,
  minorversion: number | null,
  oauthversion: '2.0',
  refreshToken: string,
) => NodeQuickBooks;

const QuickBooks = ((QuickBooksModule as unknown as { default?: QuickBooksCtor }).default ??
  (QuickBooksModule as unknown as QuickBooksCtor)) as QuickBooksCtor;

/** Creates a node-quickbooks client for OAuth 2.0, pointed at `endpoint` (`…/v3/company/`). */
export function createNodeQuickBooks(options: {
  clientId: string;
  clientSecret: string;
  accessToken: string;
  refreshToken: string;
  realmId: string;
  endpoint: string;
  minorVersion: number;
}): NodeQuickBooks {
  const qbo = new QuickBooks(
    options.clientId,
    options.clientSecret,
    options.accessToken,
    false,
    options.realmId,
    true,
    false,
    options.minorVersion,
    '2.0',
    options.refreshToken,
  );
  qbo.endpoint = options.endpoint;
  return qbo;
}

/** A failed call: HTTP status (0 for network failures), headers and the parsed body when there is one. */
export class QboHttpError extends Error {
  override readonly name = 'QboHttpError';
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
  }
}

export interface QboResult<T> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

function headersOf(res: { headers?: Record<string, unknown> } | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(res?.headers ?? {}))
    if (v !== undefined) out[k.toLowerCase()] = String(v);
  return out;
}

/**
 * Calls a node-quickbooks method and settles it as a promise. A 200 whose body carries a `Fault`
 * (node-quickbooks passes it as the error) and every HTTP or network failure reject with a
 * QboHttpError; success resolves with the (unwrapped) body.
 */
export function call<T>(fn: (cb: RawCallback) => void): Promise<QboResult<T>> {
  return new Promise((resolve, reject) => {
    fn((err, body, res) => {
      if (!err) {
        resolve({ status: res?.status ?? 200, headers: headersOf(res), body: body as T });
        return;
      }
      const axiosLike = err as {
        response?: { status: number; headers: Record<string, unknown>; data: unknown };
        code?: string;
        message?: string;
      };
      if (axiosLike.response) {
        const r = axiosLike.response;
        reject(new QboHttpError(r.status, headersOf(r), r.data, `HTTP ${r.status}`));
      } else if (err instanceof Error || axiosLike.code) {
        reject(
          new QboHttpError(0, {}, null, `network error: ${axiosLike.code ?? axiosLike.message ?? 'unknown'}`),
        );
      } else {
        // a 200 response whose body is a Fault
        reject(new QboHttpError(res?.status ?? 200, headersOf(res), err, 'QuickBooks returned a Fault'));
      }
    });
  });
}
