import { ErpError } from '@openissuing/connector-core';

/** An OAuth 2.0 token set for one QuickBooks company. */
export interface QuickBooksTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token expires (unknown → refreshed on the first 401). */
  expiresAt?: number;
}

/** Intuit's OAuth 2.0 token endpoint. */
export const TOKEN_URL = 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer';

/**
 * Holds the bearer token and refreshes it (single-flight) before expiry or after a 401. Intuit issues
 * a new refresh token on refresh; `onTokens` is called with every new set so you can persist it.
 *
 * @example
 * const auth = new TokenManager({ clientId, clientSecret, tokens, onTokens: (t) => save(t) });
 * const bearer = await auth.accessToken();
 */
export class TokenManager {
  private tokens: QuickBooksTokens;
  private refreshing: Promise<QuickBooksTokens> | null = null;

  constructor(
    private readonly options: {
      clientId: string;
      clientSecret: string;
      tokens: QuickBooksTokens;
      tokenUrl?: string;
      onTokens?: (tokens: QuickBooksTokens) => void | Promise<void>;
      now?: () => number;
    },
  ) {
    this.tokens = { ...options.tokens };
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** The current access token, refreshed first when it expires within a minute. */
  async accessToken(): Promise<string> {
    const exp = this.tokens.expiresAt;
    if (!this.tokens.accessToken || (exp !== undefined && exp - 60_000 <= this.now())) await this.refresh();
    return this.tokens.accessToken;
  }

  /** Exchanges the refresh token for a new token set (concurrent callers share one request). */
  refresh(): Promise<QuickBooksTokens> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<QuickBooksTokens> {
    const basic = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString('base64');
    let res: Response;
    try {
      res = await fetch(this.options.tokenUrl ?? TOKEN_URL, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: this.tokens.refreshToken,
        }).toString(),
      });
    } catch (err) {
      throw new ErpError(`cannot reach the Intuit token endpoint: ${(err as Error).message}`, {
        kind: 'transient',
        cause: err,
      });
    }
    const body = (await res.json().catch(() => ({}))) as {
      access_token?: string;
      refresh_token?: string;
      expires_in?: number;
      error?: string;
    };
    if (!res.ok || !body.access_token) {
      throw new ErpError(
        `QuickBooks refused to refresh the access token (${body.error ?? `HTTP ${res.status}`}): check clientId/clientSecret, or reconnect the app to get a new refresh token`,
        {
          kind: res.status >= 500 ? 'transient' : 'fatal',
          code: body.error ?? String(res.status),
          status: res.status,
        },
      );
    }
    this.tokens = {
      accessToken: body.access_token,
      refreshToken: body.refresh_token ?? this.tokens.refreshToken,
      expiresAt: this.now() + (body.expires_in ?? 3600) * 1000,
    };
    await this.options.onTokens?.({ ...this.tokens });
    return { ...this.tokens };
  }
}
