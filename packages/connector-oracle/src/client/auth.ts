import { ErpError } from '@openissuing/connector-core';

/** Produces the `Authorization` header for Fusion REST calls. Never logs or returns the secret elsewhere. */
export interface AuthProvider {
  header(signal?: AbortSignal): Promise<string>;
  /** Called after a 401: a token-based provider fetches a new token; Basic cannot recover. */
  invalidate(): void;
}

/**
 * HTTP Basic for an integration user.
 *
 * @example
 * const auth = basicAuth(process.env.ORACLE_FUSION_USERNAME!, process.env.ORACLE_FUSION_PASSWORD!);
 */
export function basicAuth(username: string, password: string): AuthProvider {
  const value = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  return { header: async () => value, invalidate: () => {} };
}

/** A bearer token obtained elsewhere (e.g. a JWT assertion flow run by your platform). */
export function bearerAuth(token: string): AuthProvider {
  return { header: async () => `Bearer ${token}`, invalidate: () => {} };
}

/**
 * OAuth 2.0 client credentials against the identity domain's token endpoint; the token is cached
 * and fetched again a minute before it expires or after a 401.
 *
 * @example
 * const auth = oauthClientCredentials({ tokenUrl, clientId, clientSecret, scope: 'urn:opc:resource:fa:instanceid=…' });
 */
export function oauthClientCredentials(options: {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string | undefined;
  fetch?: typeof fetch;
  now?: () => number;
}): AuthProvider {
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? fetch;
  let cached: { token: string; expiresAt: number } | null = null;
  let pending: Promise<string> | null = null;
  const fetchToken = async (signal?: AbortSignal): Promise<string> => {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (options.scope) form.set('scope', options.scope);
    let res: Response;
    try {
      res = await doFetch(options.tokenUrl, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form,
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      throw new ErpError(`OAuth token endpoint unreachable: ${(err as Error).message}`, {
        kind: 'transient',
      });
    }
    const body = (await res.json().catch(() => ({}))) as {
      access_token?: string;
      expires_in?: number;
      error?: string;
    };
    if (!res.ok || !body.access_token) {
      const kind = res.status >= 500 ? 'transient' : 'fatal';
      throw new ErpError(
        `OAuth token request failed (HTTP ${res.status}${body.error ? `, ${body.error}` : ''}): check the client id/secret environment variables and the scope`,
        { kind, status: res.status },
      );
    }
    cached = { token: body.access_token, expiresAt: now() + (body.expires_in ?? 3600) * 1000 };
    return body.access_token;
  };
  return {
    async header(signal) {
      if (cached && cached.expiresAt - 60_000 > now()) return `Bearer ${cached.token}`;
      pending ??= fetchToken(signal).finally(() => {
        pending = null;
      });
      return `Bearer ${await pending}`;
    },
    invalidate() {
      cached = null;
    },
  };
}
