import type { ConnectorContext } from '@openissuing/connector-core';
import { OracleAdapter } from './adapter.js';
import { type AuthProvider, basicAuth, bearerAuth, oauthClientCredentials } from './client/auth.js';
import { type OracleAuthOptions, parseOracleOptions } from './options.js';

function need(env: NodeJS.ProcessEnv, name: string, what: string): string {
  const v = env[name];
  if (!v)
    throw new Error(
      `set ${name} to ${what} (connector.options.auth names the variable; secrets never go in the config file)`,
    );
  return v;
}

/** Builds the auth provider from environment variables named in the options. */
export function authFromEnv(auth: OracleAuthOptions, env: NodeJS.ProcessEnv): AuthProvider {
  switch (auth.type) {
    case 'basic':
      return basicAuth(
        need(env, auth.usernameEnv, "the integration user's name"),
        need(env, auth.passwordEnv, "the integration user's password"),
      );
    case 'bearer':
      return bearerAuth(need(env, auth.tokenEnv, 'an OAuth 2.0 access token for the pod'));
    case 'oauth':
      return oauthClientCredentials({
        tokenUrl: auth.tokenUrl,
        clientId: need(env, auth.clientIdEnv, 'the OAuth client id'),
        clientSecret: need(env, auth.clientSecretEnv, 'the OAuth client secret'),
        scope: auth.scope,
      });
  }
}

/** The platform SDK client's card lookup, when the sync reads from the platform. */
function cardLookup(client: unknown): ((id: string) => Promise<string | undefined>) | undefined {
  const cards = (client as { cards?: { retrieve?: (id: string) => Promise<{ last4?: string }> } } | undefined)
    ?.cards;
  if (!cards?.retrieve) return undefined;
  const retrieve = cards.retrieve.bind(cards);
  return async (id) => (await retrieve(id)).last4;
}

/**
 * Builds the Oracle adapter from `openissuing-sync` config options — the connector entry point the
 * CLI loads (`"connector": { "module": "@openissuing/connector-oracle", "options": {…} }`). Secrets
 * come from environment variables; import jobs are recorded by the sync engine in its state store.
 *
 * @example
 * const adapter = await createConnector({ baseUrl, ledger: { id: '300000046975971', currency: 'USD' }, segments }, { configDir: process.cwd(), env: process.env });
 */
export async function createConnector(
  raw: Record<string, unknown>,
  context: ConnectorContext,
): Promise<OracleAdapter> {
  const o = parseOracleOptions(raw);
  return new OracleAdapter({
    baseUrl: o.baseUrl,
    apiVersion: o.apiVersion,
    auth: authFromEnv(o.auth, context.env),
    layout: {
      ledger: o.ledger,
      journalSource: o.journalSource,
      journalCategory: o.journalCategory,
      segments: o.segments,
      accounts: o.accounts,
      conversion: o.conversion,
      cardLast4: o.cardLast4,
    },
    dataAccessSetId: o.dataAccessSetId,
    postErrorsToSuspense: o.postErrorsToSuspense,
    createSummaryJournals: o.createSummaryJournals,
    documentAccount: o.documentAccount,
    jobTimeoutMs: o.jobTimeoutMs,
    requestTimeoutMs: o.requestTimeoutMs,
    maxBatchSize: o.maxBatchSize,
    maxConcurrent: o.maxConcurrent,
    onStuckJob: (err) => process.stderr.write(`openissuing-sync: ${err.message}\n`),
    cardLast4: cardLookup(context.platformClient),
  });
}
