import { ErpError } from '@openissuing/connector-core';
import { cubeCsn } from './generated/cube-csn.js';

/** Path of Journal Entry – Post (Synchronous) on S/4HANA Cloud, from SAP's WSDL (`<soap:address>`). */
export const DEFAULT_SOAP_PATH = '/sap/bc/srt/scs_ext/sap/journalentrycreaterequestconfi';
/** Service root of the cube. */
export const DEFAULT_CUBE_PATH = '/sap/opu/odata/sap/API_OPLACCTGDOCITEMCUBE_SRV';
/** The CAP service names the connector connects to (and a CAP app may configure in `cds.requires`). */
export const CUBE_SERVICE_NAME = 'API_OPLACCTGDOCITEMCUBE_SRV';
export const SOAP_SERVICE_NAME = 'JournalEntryCreateRequestConfirmation_In';

/** How to reach the tenant: plain URL + Basic or OAuth 2.0 client credentials, or a BTP destination. */
export interface SapConnectionOptions {
  /**
   * API host of the tenant, e.g. `https://my400000-api.s4hana.cloud.sap`. Not with `destination`.
   * With neither, the CAP application's `cds.requires.API_OPLACCTGDOCITEMCUBE_SRV` and
   * `cds.requires.JournalEntryCreateRequestConfirmation_In` credentials apply.
   */
  url?: string;
  /** BTP destination name (resolved by CAP from the destination service or the `destinations` env var). */
  destination?: string;
  /** Communication user for Basic auth (SAP_COM_0002 / SAP_COM_0303 communication arrangement). */
  username?: string;
  password?: string;
  /** OAuth 2.0 client credentials: the connector fetches and renews the bearer token. */
  oauth?: { tokenUrl: string; clientId: string; clientSecret: string };
  /** @default DEFAULT_SOAP_PATH */
  soapPath?: string;
  /** @default DEFAULT_CUBE_PATH */
  cubePath?: string;
  /** Per-request timeout. @default 60000 */
  requestTimeoutMs?: number;
  /** Extra HTTP headers on every request (e.g. `sap-client` on premise). */
  headers?: Record<string, string>;
}

/** The slice of a CAP remote service the connector uses. */
export interface CapRemoteService {
  send(
    request:
      | { method: string; path: string; headers?: Record<string, string>; data?: unknown }
      | { query: unknown; headers?: Record<string, string> },
  ): Promise<unknown>;
}

/** The CAP runtime, as far as the connector needs it (so `@sap/cds` stays a peer dependency). */
export interface CapRuntime {
  connect: { to(name: string, options?: Record<string, unknown>): Promise<CapRemoteService> };
  ql: { SELECT: { from(entity: string): CapSelect } };
}

export interface CapSelect {
  columns(...names: string[]): CapSelect;
  where(condition: Record<string, unknown> | TemplateStringsArray, ...values: unknown[]): CapSelect;
  limit(rows: number, offset?: number): CapSelect;
  orderBy(...columns: string[]): CapSelect;
}

/** Loads `@sap/cds` from the application (a peer dependency), with a message that says how to fix its absence. */
export async function loadCds(): Promise<CapRuntime> {
  const name = '@sap/cds';
  try {
    const mod = (await import(name)) as { default?: CapRuntime } & CapRuntime;
    return mod.default ?? mod;
  } catch (err) {
    throw new ErpError(
      `@openissuing/connector-sap connects through SAP's CAP runtime: install it beside the connector (npm install @sap/cds) — ${(err as Error).message}`,
      { kind: 'fatal', code: 'cds_missing', cause: err },
    );
  }
}

function credentials(o: SapConnectionOptions, path: string): Record<string, unknown> {
  const timeout = { requestTimeout: o.requestTimeoutMs ?? 60_000 };
  if (o.destination) return { destination: o.destination, path, ...timeout };
  if (!o.url)
    throw new Error('SAP connection: set url (the API host) or destination (a BTP destination name)');
  return {
    url: o.url.replace(/\/+$/, ''),
    path,
    ...(o.username !== undefined ? { username: o.username, password: o.password ?? '' } : {}),
    ...timeout,
  };
}

function withCredentials(base: Record<string, unknown>, c: Record<string, unknown> | undefined) {
  return c ? { ...base, credentials: c } : base;
}

/**
 * Connects the two CAP remote services: an `odata-v2` service over the cube's CSN model (compiled from
 * SAP's EDMX, shipped in the package) and a `rest` service for the SOAP endpoint. A CAP application's
 * own `cds.requires.API_OPLACCTGDOCITEMCUBE_SRV` / `JournalEntryCreateRequestConfirmation_In` settings
 * are merged in by CAP.
 *
 * @example
 * const { cube, soap } = await connectSap(cds, { url: 'https://my400000-api.s4hana.cloud.sap', username, password });
 */
export async function connectSap(
  cds: CapRuntime,
  o: SapConnectionOptions,
): Promise<{ cube: CapRemoteService; soap: CapRemoteService }> {
  const [cube, soap] = await Promise.all([
    cds.connect.to(
      CUBE_SERVICE_NAME,
      withCredentials({ kind: 'odata-v2', model: cubeCsn }, credentials(o, o.cubePath ?? DEFAULT_CUBE_PATH)),
    ),
    // the SOAP path goes on each request so a destination's URL can be the bare API host
    cds.connect.to(SOAP_SERVICE_NAME, withCredentials({ kind: 'rest' }, credentials(o, ''))),
  ]);
  return { cube, soap };
}

/** Fetches and renews an OAuth 2.0 client-credentials token (single-flight). */
export class ClientCredentials {
  private token: { value: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(
    private readonly o: { tokenUrl: string; clientId: string; clientSecret: string },
    private readonly now: () => number = Date.now,
  ) {}

  /** A valid bearer token, renewed a minute before it expires. */
  async bearer(): Promise<string> {
    if (this.token && this.token.expiresAt - 60_000 > this.now()) return this.token.value;
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** Forgets the token (after a 401). */
  invalidate(): void {
    this.token = null;
  }

  private async fetchToken(): Promise<string> {
    let res: Response;
    try {
      res = await fetch(this.o.tokenUrl, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${this.o.clientId}:${this.o.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: 'grant_type=client_credentials',
      });
    } catch (err) {
      throw new ErpError(`cannot reach the SAP OAuth token endpoint: ${(err as Error).message}`, {
        kind: 'transient',
        cause: err,
      });
    }
    const body = (await res.json().catch(() => ({}))) as {
      access_token?: string;
      expires_in?: number;
      error?: string;
    };
    if (!res.ok || !body.access_token) {
      throw new ErpError(
        `SAP refused the OAuth client credentials (${body.error ?? `HTTP ${res.status}`}): check the client id and secret of the communication arrangement`,
        {
          kind: res.status >= 500 ? 'transient' : 'fatal',
          code: body.error ?? String(res.status),
          status: res.status,
        },
      );
    }
    this.token = { value: body.access_token, expiresAt: this.now() + (body.expires_in ?? 3600) * 1000 };
    return body.access_token;
  }
}
