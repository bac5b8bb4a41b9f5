import type { ConnectorContext } from '@openissuing/connector-core';
import { z } from 'zod';
import { SapAdapter } from './adapter.js';
import { mappingExtensions, sapMappingOf } from './mapping.js';

const envName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable NAME (the secret stays in the environment)');

/** `connector.options` of an `openissuing-sync` config for SAP S/4HANA. Secrets are named, never written. */
export const sapConnectorOptionsSchema = z
  .object({
    /** API host of the tenant, e.g. `https://my400000-api.s4hana.cloud.sap`. */
    url: z
      .string()
      .url('must be the API host of your S/4HANA tenant, e.g. https://my400000-api.s4hana.cloud.sap')
      .optional(),
    /** A BTP destination instead of url + credentials (CAP resolves it; no secret in any file). */
    destination: z.string().min(1).optional(),
    /** Communication user (not a secret); or `usernameEnv`. */
    username: z.string().min(1).optional(),
    usernameEnv: envName.default('SAP_USERNAME'),
    passwordEnv: envName.default('SAP_PASSWORD'),
    oauth: z
      .object({
        tokenUrl: z.string().url(),
        clientIdEnv: envName.default('SAP_CLIENT_ID'),
        clientSecretEnv: envName.default('SAP_CLIENT_SECRET'),
      })
      .strict()
      .optional(),
    soapPath: z.string().startsWith('/').optional(),
    cubePath: z.string().startsWith('/').optional(),
    /** `sap-client` header (on premise). */
    sapClient: z
      .string()
      .regex(/^\d{3}$/, 'must be a 3-digit client such as "100"')
      .optional(),
    soapVersion: z.enum(['1.1', '1.2']).optional(),
    maxBatchSize: z.number().int().positive().max(1000).optional(),
    maxConcurrent: z.number().int().positive().max(16).optional(),
    createdByUser: z.string().min(1).max(12).optional(),
    senderBusinessSystemId: z.string().min(1).max(60).optional(),
    requestTimeoutMs: z.number().int().positive().optional(),
    findChunkSize: z.number().int().positive().max(100).optional(),
  })
  .strict()
  .refine((o) => (o.url === undefined) !== (o.destination === undefined), {
    message:
      'set exactly one of url (with Basic or OAuth credentials from the environment) or destination (a BTP destination)',
  });

export type SapConnectorOptions = z.input<typeof sapConnectorOptionsSchema>;

/** The platform SDK client's card lookup, when the sync reads from the platform. */
function cardLookup(client: unknown): ((id: string) => Promise<string | undefined>) | undefined {
  const cards = (client as { cards?: { retrieve?: (id: string) => Promise<{ last4?: string }> } } | undefined)
    ?.cards;
  if (!cards?.retrieve) return undefined;
  const retrieve = cards.retrieve.bind(cards);
  return async (id) => (await retrieve(id)).last4;
}

/**
 * Builds the SAP adapter from `openissuing-sync` config options — the entry point the CLI loads
 * (`"connector": { "module": "@openissuing/connector-sap", "options": { "url": "…" } }`). The `sap`
 * section of mapping.json gives company code, document type and account assignments; secrets come
 * from environment variables.
 *
 * @example
 * const adapter = await createConnector({ url: 'https://my400000-api.s4hana.cloud.sap' }, { configDir, env: process.env, mapping });
 */
export async function createConnector(
  raw: Record<string, unknown>,
  context: ConnectorContext,
): Promise<SapAdapter> {
  const parsed = sapConnectorOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `connector.options for SAP are invalid:\n${parsed.error.issues
        .map((i) => `  connector.options${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`)
        .join('\n')}`,
    );
  }
  const o = parsed.data;
  const env = context.env;
  const connection: ConstructorParameters<typeof SapAdapter>[0]['connection'] = {
    ...(o.url ? { url: o.url } : {}),
    ...(o.destination ? { destination: o.destination } : {}),
    ...(o.soapPath ? { soapPath: o.soapPath } : {}),
    ...(o.cubePath ? { cubePath: o.cubePath } : {}),
    ...(o.requestTimeoutMs ? { requestTimeoutMs: o.requestTimeoutMs } : {}),
    ...(o.sapClient ? { headers: { 'sap-client': o.sapClient } } : {}),
  };
  if (o.url && o.oauth) {
    const clientId = env[o.oauth.clientIdEnv];
    const clientSecret = env[o.oauth.clientSecretEnv];
    if (!clientId || !clientSecret)
      throw new Error(
        `set ${o.oauth.clientIdEnv} and ${o.oauth.clientSecretEnv} to the OAuth client of your communication arrangement`,
      );
    connection.oauth = { tokenUrl: o.oauth.tokenUrl, clientId, clientSecret };
  } else if (o.url) {
    const username = o.username ?? env[o.usernameEnv];
    const password = env[o.passwordEnv];
    if (!username || !password) {
      const missing = [...(username ? [] : [o.usernameEnv]), ...(password ? [] : [o.passwordEnv])];
      throw new Error(
        `set ${missing.join(' and ')} to the communication user of your SAP_COM_0002 / SAP_COM_0303 communication arrangements`,
      );
    }
    connection.username = username;
    connection.password = password;
  }
  const mapping = context.mapping;
  const sap = sapMappingOf(mapping);
  const cardLast4 = cardLookup(context.platformClient);
  return new SapAdapter({
    connection,
    mapping: sap,
    ...(mapping
      ? {
          accounts: {
            liability: mapping.liabilityAccount,
            expense: [mapping.defaultAccount, ...mapping.rules.map((r) => r.account)],
          },
        }
      : {}),
    ...(o.soapVersion ? { soapVersion: o.soapVersion } : {}),
    ...(o.maxBatchSize ? { maxBatchSize: o.maxBatchSize } : {}),
    ...(o.maxConcurrent ? { maxConcurrent: o.maxConcurrent } : {}),
    ...(o.createdByUser ? { createdByUser: o.createdByUser } : {}),
    ...(o.senderBusinessSystemId ? { senderBusinessSystemId: o.senderBusinessSystemId } : {}),
    ...(o.findChunkSize ? { findChunkSize: o.findChunkSize } : {}),
    ...(cardLast4 ? { cardLast4 } : {}),
  });
}

export { mappingExtensions };
