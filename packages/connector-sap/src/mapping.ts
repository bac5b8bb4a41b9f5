import {
  ErpError,
  hasCondition,
  type JournalEntry,
  type MappingConfig,
  type PlatformTransaction,
  resolveAccount,
  ruleConditionsSchema,
} from '@openissuing/connector-core';
import { z } from 'zod';

const sapId = (what: string, max: number) =>
  z
    .string({ error: `must be a string: the SAP ${what}` })
    .trim()
    .min(1, `must not be empty: name the SAP ${what}`)
    .max(max, `SAP allows at most ${max} characters for a ${what}`);

const rule = <K extends string>(key: K, what: string, max: number) =>
  ruleConditionsSchema
    .extend({ [key]: sapId(what, max) } as Record<K, ReturnType<typeof sapId>>)
    .strict()
    .refine(hasCondition, {
      message: `a rule needs at least one condition: category, mcc, merchant, card, cardholder or dimension`,
    });

/** How a platform dimension becomes an SAP account assignment (cost center, WBS element, …). */
const assignment = (what: string, max: number, dimension: string) =>
  z
    .object({
      /** Platform dimension key to read. */
      dimension: z.string().min(1).default(dimension),
      /** Platform value → SAP id; when omitted the platform value is the SAP id. */
      values: z.record(z.string(), sapId(what, max)).optional(),
      /** Entries without the dimension: the SAP id to use, if any. */
      default: sapId(what, max).optional(),
    })
    .strict();

/** The `sap` section of mapping.json. */
export const sapMappingSchema = z
  .object({
    /** Company code (BUKRS) of the card program. */
    companyCode: sapId('company code', 4),
    /** Overrides of the company code, e.g. by a `legal_entity` dimension (most specific rule wins). */
    companyCodeRules: z.array(rule('companyCode', 'company code', 4)).default([]),
    /** Journal entry type agreed with finance. @default "SA" */
    documentType: sapId('document type', 5).default('SA'),
    /** Business transaction type. @default "RFBU" (standard FI posting) */
    businessTransactionType: sapId('business transaction type', 4).default('RFBU'),
    costCenter: assignment('cost center', 10, 'department').default({ dimension: 'department' }),
    wbsElement: assignment('WBS element', 24, 'project').default({ dimension: 'project' }),
    profitCenter: z
      .object({
        dimension: z.string().min(1).optional(),
        values: z.record(z.string(), sapId('profit center', 10)).optional(),
        rules: z.array(rule('profitCenter', 'profit center', 10)).default([]),
        default: sapId('profit center', 10).optional(),
      })
      .strict()
      .optional(),
    taxCode: z
      .object({
        rules: z.array(rule('taxCode', 'tax code', 2)).default([]),
        default: sapId('tax code', 2).optional(),
      })
      .strict()
      .optional(),
    /** What `AssignmentReference` (18 characters, sortable in line-item reports) carries. @default "cardholder" */
    assignment: z.enum(['cardholder', 'card']).default('cardholder'),
  })
  .strict();

export type SapMapping = z.infer<typeof sapMappingSchema>;
/** What the user writes (defaults not applied yet). */
export type SapMappingInput = z.input<typeof sapMappingSchema>;

/** The mapping.json sections this connector adds (for `openissuing-sync`). */
export const mappingExtensions = { sap: sapMappingSchema };

/** Reads the `sap` section from a mapping validated with {@link mappingExtensions}. */
export function sapMappingOf(mapping: MappingConfig | undefined): SapMapping {
  const section = (mapping as { sap?: SapMapping } | undefined)?.sap;
  if (!section) {
    throw new Error(
      'mapping.json has no "sap" section: add { "sap": { "companyCode": "1010" } } (company code, document type, cost center rules)',
    );
  }
  return section;
}

/** The transaction an entry was mapped from, as far as rule conditions need it. */
function asTransaction(entry: JournalEntry): PlatformTransaction {
  return {
    id: entry.externalRef,
    type: entry.kind === 'refund' ? 'refund' : 'capture',
    amount: 1,
    currency: entry.currency,
    merchant_data: {
      name: entry.counterparty.name,
      mcc: entry.source.mcc ?? entry.counterparty.mcc ?? null,
      category: entry.source.category ?? null,
      country: entry.counterparty.country ?? null,
    },
    card: entry.source.card ?? null,
    cardholder: entry.source.cardholder ?? null,
    dimensions: entry.dimensions,
    created_at: `${entry.date}T00:00:00Z`,
  };
}

/** Evaluates connector rules with the core's matcher (same precedence as account rules). */
function pick<K extends string>(
  rules: Array<Record<K, string> & object>,
  key: K,
  entry: JournalEntry,
  fallback: string | undefined,
): string | undefined {
  const config: MappingConfig = {
    liabilityAccount: '-',
    defaultAccount: fallback ?? '',
    rules: rules.map((r) => {
      const { [key]: value, ...conditions } = r as Record<string, unknown>;
      return { ...conditions, account: String(value) } as MappingConfig['rules'][number];
    }),
  };
  return resolveAccount(config, asTransaction(entry)).account || undefined;
}

function mapped(
  what: string,
  field: string,
  a: {
    dimension?: string | undefined;
    values?: Record<string, string> | undefined;
    default?: string | undefined;
  },
  entry: JournalEntry,
  max: number,
): string | undefined {
  const raw = a.dimension ? entry.dimensions[a.dimension] : undefined;
  if (raw === undefined || raw === '') return a.default;
  const value = a.values ? a.values[raw] : raw;
  if (value === undefined) {
    throw new ErpError(
      `no SAP ${what} for ${a.dimension} "${raw}": add "${raw}": "<${what} id>" to sap.${field}.values in mapping.json`,
      { kind: 'permanent', code: `mapping_${field}` },
    );
  }
  if (value.length > max) {
    throw new ErpError(
      `${a.dimension} "${raw}" is not an SAP ${what} (at most ${max} characters): map it in sap.${field}.values in mapping.json`,
      { kind: 'permanent', code: `mapping_${field}` },
    );
  }
  return value;
}

/** SAP assignments resolved for one entry. */
export interface SapAssignments {
  companyCode: string;
  costCenter?: string;
  wbsElement?: string;
  profitCenter?: string;
  taxCode?: string;
}

/**
 * Resolves company code, cost center, WBS element, profit center and tax code for an entry.
 * Throws a permanent ErpError naming the mapping.json field to fix.
 *
 * @example
 * resolveAssignments(sapMappingSchema.parse({ companyCode: '1010' }), entry); // { companyCode: '1010', costCenter: 'Marketing', … }
 */
export function resolveAssignments(m: SapMapping, entry: JournalEntry): SapAssignments {
  const out: SapAssignments = {
    companyCode: pick(m.companyCodeRules, 'companyCode', entry, m.companyCode) ?? m.companyCode,
  };
  const cc = mapped('cost center', 'costCenter', m.costCenter, entry, 10);
  if (cc) out.costCenter = cc;
  const wbs = mapped('WBS element', 'wbsElement', m.wbsElement, entry, 24);
  if (wbs) out.wbsElement = wbs;
  if (m.profitCenter) {
    const byRule = pick(m.profitCenter.rules, 'profitCenter', entry, undefined);
    const pc =
      byRule ??
      mapped(
        'profit center',
        'profitCenter',
        {
          dimension: m.profitCenter.dimension,
          values: m.profitCenter.values,
          default: m.profitCenter.default,
        },
        entry,
        10,
      );
    if (pc) out.profitCenter = pc;
  }
  if (m.taxCode) {
    const tax = pick(m.taxCode.rules, 'taxCode', entry, m.taxCode.default);
    if (tax) out.taxCode = tax;
  }
  return out;
}
