import { XMLBuilder } from 'fast-xml-parser';
import { journalEntrySchema } from './schema.js';

/** A value for one element: text, text with attributes, or nested fields of a complex type. */
export type FieldValue = string | { text: string; attrs: Record<string, string> } | Fields;
/** Child elements by name; arrays repeat an element. The schema decides the order, not the object. */
export interface Fields {
  [element: string]: FieldValue | FieldValue[] | undefined;
}

type OrderedNode = Record<string, unknown>;

function isText(v: FieldValue): v is { text: string; attrs: Record<string, string> } {
  return typeof v === 'object' && 'text' in v && 'attrs' in v && typeof v.text === 'string';
}

/**
 * Turns fields of a complex type into fast-xml-parser's ordered node list, in the sequence order of
 * SAP's schema. Throws on a field the schema does not have, so a typo never reaches SAP.
 */
export function orderedChildren(typeName: string, fields: Fields): OrderedNode[] {
  const t = journalEntrySchema.types[typeName];
  if (t?.kind !== 'complex') throw new Error(`schema type ${typeName} is not a complex type`);
  for (const k of Object.keys(fields)) {
    if (fields[k] !== undefined && !t.sequence.some((s) => s.name === k))
      throw new Error(`SAP's schema has no element ${k} in ${typeName}`);
  }
  const out: OrderedNode[] = [];
  for (const s of t.sequence) {
    const v = fields[s.name];
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) {
      if (typeof one === 'string') out.push({ [s.name]: [{ '#text': one }] });
      else if (isText(one)) out.push({ [s.name]: [{ '#text': one.text }], ':@': one.attrs });
      else out.push({ [s.name]: orderedChildren(s.type, one) });
    }
  }
  return out;
}

const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  suppressEmptyNode: true,
  processEntities: true,
});

/**
 * Serializes a global element of the schema (`JournalEntryBulkCreateRequest`, …) with its fields in
 * schema order, the root qualified by SAP's namespace and local elements unqualified.
 *
 * @example
 * renderRoot('JournalEntryBulkCreateRequest', { MessageHeader: { CreationDateTime: '2026-11-02T10:00:00Z' }, … });
 */
export function renderRoot(rootName: string, fields: Fields): string {
  const type = journalEntrySchema.roots[rootName];
  if (!type) throw new Error(`SAP's schema has no global element ${rootName}`);
  return builder.build([
    {
      [`sfin:${rootName}`]: orderedChildren(type, fields),
      ':@': { 'xmlns:sfin': journalEntrySchema.namespace },
    },
  ]) as string;
}

/** Serializes one local (unqualified) element of a complex schema type, e.g. a `JournalEntryCreateRequest`. */
export function renderElement(name: string, typeName: string, fields: Fields): string {
  return builder.build([{ [name]: orderedChildren(typeName, fields) }]) as string;
}
