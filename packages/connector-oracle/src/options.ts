import { z } from 'zod';

const envName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable NAME (the secret stays in the environment)');

const segmentValue = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(25, 'Oracle segment values hold at most 25 characters (GL_INTERFACE.SEGMENTn is VARCHAR2(25))');

/**
 * What fills one `SEGMENTn` of the chart of accounts. Exactly one source:
 * - `{ "value": "101" }` — a constant (e.g. the company / balancing segment, or a default `000`);
 * - `{ "account": true }` — the natural account: the GL account the mapping rules chose for the line
 *   (looked up in `accounts` when it is a name there, else used as the segment value itself);
 * - `{ "dimension": "department", "values": {"Marketing": "110"}, "default": "000" }` — a platform
 *   dimension (after mapping.json's `dimensions` renaming), translated through `values` when given.
 * `liability` overrides the value on the card-liability (credit) line, e.g. cost center `000` on a
 * balance-sheet account.
 */
export const segmentSpecSchema = z
  .object({
    name: z.string().trim().min(1).optional(),
    value: segmentValue.optional(),
    account: z.literal(true).optional(),
    dimension: z.string().trim().min(1).optional(),
    values: z.record(z.string(), segmentValue).optional(),
    default: segmentValue.optional(),
    liability: segmentValue.optional(),
  })
  .strict()
  .refine(
    (s) =>
      [s.value !== undefined, s.account === true, s.dimension !== undefined].filter(Boolean).length === 1,
    {
      message:
        'give exactly one of "value" (a constant), "account": true (the natural account) or "dimension" (a platform dimension)',
    },
  )
  .refine((s) => s.dimension !== undefined || (s.values === undefined && s.default === undefined), {
    message: '"values" and "default" only apply to a "dimension" segment',
  });

export type SegmentSpec = z.infer<typeof segmentSpecSchema>;

const authSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('basic'),
      usernameEnv: envName.default('ORACLE_FUSION_USERNAME'),
      passwordEnv: envName.default('ORACLE_FUSION_PASSWORD'),
    })
    .strict(),
  z
    .object({
      type: z.literal('bearer'),
      /** An OAuth 2.0 access token (e.g. from your identity domain), read from the environment. */
      tokenEnv: envName.default('ORACLE_FUSION_ACCESS_TOKEN'),
    })
    .strict(),
  z
    .object({
      type: z.literal('oauth'),
      /** Token endpoint of the identity domain (client-credentials grant). */
      tokenUrl: z.string().url(),
      clientIdEnv: envName.default('ORACLE_FUSION_CLIENT_ID'),
      clientSecretEnv: envName.default('ORACLE_FUSION_CLIENT_SECRET'),
      scope: z.string().min(1).optional(),
    })
    .strict(),
]);

/** `connector.options` of an `openissuing-sync` config for Oracle Fusion Cloud ERP. */
export const oracleConnectorOptionsSchema = z
  .object({
    /** The pod, e.g. `https://fa-xxxx.fa.us2.oraclecloud.com`. */
    baseUrl: z.string().url('the Fusion pod URL, e.g. https://fa-abcd.fa.us2.oraclecloud.com'),
    apiVersion: z.string().default('11.13.18.05'),
    auth: authSchema.default({
      type: 'basic',
      usernameEnv: 'ORACLE_FUSION_USERNAME',
      passwordEnv: 'ORACLE_FUSION_PASSWORD',
    }),
    ledger: z
      .object({
        id: z
          .string()
          .regex(/^\d{1,18}$/, 'the numeric ledger id (Manage Primary Ledgers)')
          .optional(),
        name: z.string().trim().min(1).max(30, 'GL_INTERFACE.LEDGER_NAME holds 30 characters').optional(),
        /** Ledger (functional) currency, e.g. `USD`. */
        currency: z.string().regex(/^[A-Za-z]{3}$/, 'a 3-letter ISO 4217 code such as "USD"'),
      })
      .strict()
      .refine((l) => l.id !== undefined || l.name !== undefined, {
        message:
          'give the ledger "id" (Manage Primary Ledgers) or its "name" (then the id is looked up through ledgersLOV)',
      }),
    /** Data access set id passed to Import Journals; `#NULL` when omitted. */
    dataAccessSetId: z
      .string()
      .regex(/^\d{1,18}$/)
      .optional(),
    journalSource: z
      .string()
      .trim()
      .min(1)
      .max(25, 'USER_JE_SOURCE_NAME holds 25 characters')
      .default('OpenIssuing Card'),
    journalCategory: z
      .string()
      .trim()
      .min(1)
      .max(25, 'USER_JE_CATEGORY_NAME holds 25 characters')
      .default('Card Expense'),
    /** SEGMENT1…SEGMENTn in order (your chart of accounts' segment order). */
    segments: z.array(segmentSpecSchema).min(1).max(30),
    /** GL account names (as mapping.json writes them) → natural-account segment values. */
    accounts: z.record(z.string(), segmentValue).optional(),
    /** Conversion when no rate is known for a foreign-currency journal. */
    conversion: z
      .object({
        /** A conversion rate type defined in the pod, e.g. `Corporate` or `Spot`. */
        type: z.string().trim().min(1).max(30),
        /** Which date the rate is taken for. @default "accounting" */
        date: z.enum(['accounting']).default('accounting'),
      })
      .strict()
      .optional(),
    postErrorsToSuspense: z.boolean().default(false),
    createSummaryJournals: z.boolean().default(false),
    documentAccount: z.string().default('fin$/generalLedger$/import$'),
    /**
     * The longest an Import Journals job may take from upload to end; a job running longer is reported
     * on stderr and kept (never uploaded again while it may run). How often jobs are polled is the
     * sync's `jobPoll` setting. @default 1800000
     */
    jobTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(30 * 60_000),
    /** Per-request HTTP timeout (the upload call included). @default 120000 */
    requestTimeoutMs: z.number().int().positive().default(120_000),
    /** Journals per upload. @default 500 */
    maxBatchSize: z.number().int().positive().max(10_000).default(500),
    /** Uploads in flight at once. @default 2 */
    maxConcurrent: z.number().int().positive().max(16).default(2),
    /** Card id → last 4 digits, for the line description when the platform transaction lacks them. */
    cardLast4: z.record(z.string(), z.string().regex(/^\d{4}$/)).optional(),
  })
  .strict();

export type OracleConnectorOptions = z.infer<typeof oracleConnectorOptionsSchema>;
export type OracleAuthOptions = z.infer<typeof authSchema>;

/** The subset of options the FBDI builder needs (ledger, source, category, segments, currency rules). */
export type JournalLayout = Pick<
  OracleConnectorOptions,
  'ledger' | 'journalSource' | 'journalCategory' | 'segments' | 'accounts' | 'conversion'
> & { cardLast4?: Record<string, string> | undefined };

/** Options of earlier versions: the sync engine now follows import jobs and records them in its state. */
const MOVED: Record<string, string> = {
  pollMs:
    'removed: the sync engine polls import jobs; set "jobPoll": { "baseMs": … } in openissuing-sync.json',
  pollBackoff:
    'removed: the sync engine polls import jobs with doubling backoff ("jobPoll" in openissuing-sync.json)',
  maxPollMs: 'removed: set "jobPoll": { "maxMs": … } in openissuing-sync.json',
  jobLog:
    'removed: import jobs are recorded in the sync state store; delete the old .oracle-jobs.jsonl once no job in it runs',
};

/**
 * Validates connector options; the error names each bad field and how to fix it.
 *
 * @example
 * const options = parseOracleOptions(raw); // throws with "connector.options.segments.0: …"
 */
export function parseOracleOptions(raw: unknown): OracleConnectorOptions {
  const moved = Object.entries(MOVED).filter(
    ([key]) => typeof raw === 'object' && raw !== null && key in raw,
  );
  if (moved.length > 0) {
    throw new Error(
      `connector.options for Oracle are invalid:\n${moved.map(([key, how]) => `  connector.options.${key}: ${how}`).join('\n')}`,
    );
  }
  const r = oracleConnectorOptionsSchema.safeParse(raw);
  if (!r.success) {
    throw new Error(
      `connector.options for Oracle are invalid:\n${r.error.issues
        .map((i) => `  connector.options.${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('\n')}`,
    );
  }
  return r.data;
}
