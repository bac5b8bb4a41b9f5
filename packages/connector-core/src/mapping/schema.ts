import { z } from 'zod';

const account = z
  .string({ error: 'must be a string: the GL account name or id as your ERP knows it' })
  .trim()
  .min(1, 'must not be empty: name the GL account');

const mcc = z
  .string({ error: 'must be a string such as "5812" or a range "5811-5814"' })
  .regex(/^\d{4}(-\d{4})?$/, 'must be a 4-digit MCC ("5812") or a range ("5811-5814")');

const oneOrMany = <T extends z.ZodType>(t: T) => z.union([t, z.array(t).min(1)]);

/**
 * The conditions of a mapping rule, without what it maps to. Connectors build their own rules on it
 * (an SAP tax-code rule is these conditions plus `taxCode`), so every rule matches the same way.
 */
export const ruleConditionsSchema = z.object({
  category: oneOrMany(z.string().min(1)).optional(),
  mcc: oneOrMany(mcc).optional(),
  merchant: oneOrMany(z.string().min(1)).optional(),
  card: oneOrMany(z.string().min(1)).optional(),
  cardholder: oneOrMany(z.string().min(1)).optional(),
  dimension: z.record(z.string(), z.string()).optional(),
});

/** True when a rule names at least one condition (refinement shared by every rule schema). */
export function hasCondition(r: z.infer<typeof ruleConditionsSchema>): boolean {
  return (
    r.category !== undefined ||
    r.mcc !== undefined ||
    r.merchant !== undefined ||
    r.card !== undefined ||
    r.cardholder !== undefined ||
    r.dimension !== undefined
  );
}

/** One mapping rule: every condition given must match; the most specific matching rule wins. */
export const mappingRuleSchema = ruleConditionsSchema
  .extend({ account, description: z.string().optional() })
  .strict()
  .refine(hasCondition, {
    message:
      'a rule needs at least one condition: category, mcc, merchant, card, cardholder or dimension (use "defaultAccount" for the fallback)',
  });

/** The mapping rules file users write (JSON). */
export const mappingConfigSchema = z
  .object({
    $schema: z.string().optional(),
    /** Credit side of card spend: the card-liability (or clearing) account. */
    liabilityAccount: account,
    /** Expense account when no rule matches. */
    defaultAccount: account,
    rules: z.array(mappingRuleSchema).default([]),
    /**
     * ERP dimension name → platform dimension key, e.g. `{ "class": "project", "department": "department" }`.
     * When omitted every platform dimension is passed through under its own name.
     */
    dimensions: z.record(z.string(), z.string()).optional(),
    /** Rates from a card currency to the ERP home currency, e.g. `{ "EUR": 1.08 }`. */
    exchangeRates: z.record(z.string().regex(/^[A-Za-z]{3}$/), z.number().positive()).optional(),
    /** Home currency of the ERP company (uppercase ISO 4217). */
    homeCurrency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, 'must be a 3-letter ISO 4217 code such as "USD"')
      .optional(),
  })
  .strict();

export type MappingRule = z.infer<typeof mappingRuleSchema>;
export type RuleConditions = z.infer<typeof ruleConditionsSchema>;
/** Extra top-level sections a connector adds to mapping.json (e.g. `sap`), validated by its own schema. */
export type MappingExtensions = Record<string, z.ZodType>;
export type MappingConfig = z.infer<typeof mappingConfigSchema>;
