import { readFile, rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { QuickBooksAdapter } from './adapter.js';
import type { QuickBooksTokens } from './oauth.js';

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable NAME');

/** `connector.options` of an `openissuing-sync` config for QuickBooks Online. */
export const quickBooksConnectorOptionsSchema = z
  .object({
    realmId: z.string().min(1, 'the QuickBooks company id (realmId)'),
    clientIdEnv: envName.default('QUICKBOOKS_CLIENT_ID'),
    clientSecretEnv: envName.default('QUICKBOOKS_CLIENT_SECRET'),
    /** JSON file holding {accessToken, refreshToken, expiresAt}; rewritten whenever tokens rotate. */
    tokenFile: z.string().min(1).default('.quickbooks-tokens.json'),
    /** Used when the token file does not exist yet. */
    refreshTokenEnv: envName.default('QUICKBOOKS_REFRESH_TOKEN'),
    endpoint: z.string().url().optional(),
    sandbox: z.boolean().optional(),
    tokenUrl: z.string().url().optional(),
    minorVersion: z.number().int().positive().optional(),
    homeCurrency: z
      .string()
      .regex(/^[A-Za-z]{3}$/)
      .optional(),
    multiCurrency: z.boolean().optional(),
    throttle: z.boolean().optional(),
    batch: z.boolean().optional(),
    limits: z
      .object({
        requestsPerWindow: z.number().int().positive().optional(),
        batchesPerWindow: z.number().int().positive().optional(),
        maxConcurrent: z.number().int().positive().optional(),
        windowMs: z.number().int().positive().optional(),
        maxBatchSize: z
          .number()
          .int()
          .positive()
          .max(30, 'QuickBooks accepts at most 30 items per batch')
          .optional(),
        requestTimeoutMs: z.number().int().nonnegative().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/**
 * Builds the QuickBooks adapter from `openissuing-sync` config options — the connector entry point
 * the CLI loads (`"connector": { "module": "@openissuing/connector-quickbooks", "options": {…} }`).
 * Secrets come from environment variables and the token file, never from the config.
 *
 * @example
 * const adapter = await createConnector({ realmId: '9130…' }, { configDir: process.cwd(), env: process.env });
 */
export async function createConnector(
  raw: Record<string, unknown>,
  context: { configDir: string; env: NodeJS.ProcessEnv },
): Promise<QuickBooksAdapter> {
  const parsed = quickBooksConnectorOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `connector.options for QuickBooks are invalid:\n${parsed.error.issues
        .map((i) => `  connector.options.${i.path.join('.')}: ${i.message}`)
        .join('\n')}`,
    );
  }
  const o = parsed.data;
  const clientId = context.env[o.clientIdEnv];
  const clientSecret = context.env[o.clientSecretEnv];
  if (!clientId || !clientSecret)
    throw new Error(`set ${o.clientIdEnv} and ${o.clientSecretEnv} to your Intuit app's OAuth credentials`);
  const tokenFile = resolve(context.configDir, o.tokenFile);
  let tokens: QuickBooksTokens;
  try {
    tokens = JSON.parse(await readFile(tokenFile, 'utf8')) as QuickBooksTokens;
  } catch {
    const refreshToken = context.env[o.refreshTokenEnv];
    if (!refreshToken)
      throw new Error(
        `no token file at ${tokenFile}: set ${o.refreshTokenEnv} to a QuickBooks refresh token`,
      );
    tokens = { accessToken: '', refreshToken };
  }
  return new QuickBooksAdapter({
    realmId: o.realmId,
    clientId,
    clientSecret,
    tokens,
    onTokens: async (t) => {
      const tmp = `${tokenFile}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(t), { mode: 0o600 });
      await rename(tmp, tokenFile);
    },
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    ...(o.sandbox !== undefined ? { sandbox: o.sandbox } : {}),
    ...(o.tokenUrl ? { tokenUrl: o.tokenUrl } : {}),
    ...(o.minorVersion ? { minorVersion: o.minorVersion } : {}),
    ...(o.homeCurrency ? { homeCurrency: o.homeCurrency } : {}),
    ...(o.multiCurrency !== undefined ? { multiCurrency: o.multiCurrency } : {}),
    ...(o.throttle !== undefined ? { throttle: o.throttle } : {}),
    ...(o.batch !== undefined ? { batch: o.batch } : {}),
    ...(o.limits
      ? { limits: Object.fromEntries(Object.entries(o.limits).filter(([, v]) => v !== undefined)) }
      : {}),
  });
}
