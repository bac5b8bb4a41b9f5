import { journalEntrySchemaJson } from '../generated/journal-entry-schema.js';
import type { SchemaTable, XsdType } from './schema-types.js';

/** SAP's namespace for the journal-entry services. */
export const SFIN_NAMESPACE = 'http://sap.com/xi/SAPSCORE/SFIN';

function fromJson(): SchemaTable {
  const types: Record<string, XsdType> = {};
  for (const [name, t] of Object.entries(journalEntrySchemaJson.types)) {
    types[name] =
      t.kind === 'complex'
        ? {
            kind: 'complex',
            sequence: t.sequence.map((e) => ({ ...e, max: e.max === 'unbounded' ? Infinity : e.max })),
          }
        : t;
  }
  return { namespace: journalEntrySchemaJson.namespace, roots: journalEntrySchemaJson.roots, types };
}

/**
 * The request and confirmation schema of Journal Entry – Post (Synchronous), derived from SAP's WSDL:
 * every element's order, cardinality, base type and facets. The connector builds requests in this
 * order and checks lengths against it; the emulator enforces it.
 */
export const journalEntrySchema: SchemaTable = fromJson();

/** The maximum length SAP's schema allows for a simple type (or the content of a simple-content type). */
export function maxLengthOf(typeName: string): number | undefined {
  const t = journalEntrySchema.types[typeName];
  if (!t) return undefined;
  if (t.kind === 'simple') return t.length ?? t.maxLength;
  if (t.kind === 'simpleContent') return maxLengthOf(t.content);
  return undefined;
}

/** The type of a child element of a complex type, e.g. `childType('JournalEntryCreateRequestJournalEntry', 'DocumentHeaderText')`. */
export function childType(complexType: string, element: string): string {
  const t = journalEntrySchema.types[complexType];
  const e = t?.kind === 'complex' ? t.sequence.find((x) => x.name === element) : undefined;
  if (!e) throw new Error(`SAP's schema has no element ${element} in ${complexType}`);
  return e.type;
}
