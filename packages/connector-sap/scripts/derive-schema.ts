/**
 * Derives the facet table the connector and its emulator use from SAP's WSDL for
 * "Journal Entry – Post (Synchronous)" (JournalEntryCreateRequestConfirmation_In).
 *
 *   node scripts/derive-schema.ts path/to/JOURNALENTRYCREATEREQUESTCONFI.wsdl
 *
 * The WSDL itself is SAP-generated metadata with no clear redistribution licence, so it is never
 * committed: download it from your tenant (Communication Arrangement SAP_COM_0002 → Service URL →
 * WSDL) or from api.sap.com. This script keeps only what we need — for every type reachable from the
 * request and confirmation roots: element names, order, cardinality, base types and facets — and
 * writes
 *   - src/generated/journal-entry-schema.ts  (the table; do not edit by hand)
 *   - schema/JournalEntryBulkCreate.xsd       (an XSD written from the table, for xmllint users)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import type { SchemaTable, SimpleType, XsdType } from '../src/soap/schema-types.ts';
import { toXsd } from '../src/soap/xsd.ts';

const here = dirname(fileURLToPath(import.meta.url));
const wsdlPath = process.argv[2];
if (!wsdlPath) {
  process.stderr.write('usage: node scripts/derive-schema.ts <JOURNALENTRYCREATEREQUESTCONFI.wsdl>\n');
  process.exit(1);
}

type Node = Record<string, unknown>;
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  isArray: (name) => ['element', 'complexType', 'simpleType', 'attribute', 'schema'].includes(name),
});
const wsdl = parser.parse(readFileSync(wsdlPath, 'utf8')) as Node;
const definitions = wsdl.definitions as Node;
const schemas = ((definitions.types as Node).schema as Node[]).filter(
  (s) => s['@targetNamespace'] === 'http://sap.com/xi/SAPSCORE/SFIN',
);
if (schemas.length !== 1) throw new Error('expected one schema for http://sap.com/xi/SAPSCORE/SFIN');
const schema = schemas[0] as Node;

const byName = new Map<string, Node>();
for (const kind of ['complexType', 'simpleType'] as const) {
  for (const t of (schema[kind] as Node[] | undefined) ?? []) byName.set(String(t['@name']), { ...t, kind });
}
const localType = (qname: string) => qname.replace(/^[a-z0-9]+:/i, '');

function facets(restriction: Node): SimpleType {
  const base = localType(String(restriction['@base'])) as SimpleType['base'];
  const out: SimpleType = { kind: 'simple', base };
  const num = (k: string) => {
    const v = restriction[k] as Node | undefined;
    return v ? Number(v['@value']) : undefined;
  };
  const set = <K extends keyof SimpleType>(k: K, v: SimpleType[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set('length', num('length'));
  set('minLength', num('minLength'));
  set('maxLength', num('maxLength'));
  set('totalDigits', num('totalDigits'));
  set('fractionDigits', num('fractionDigits'));
  const pattern = restriction.pattern as Node | undefined;
  if (pattern) out.pattern = String(pattern['@value']);
  return out;
}

const table: SchemaTable['types'] = {};
function visit(name: string): void {
  if (table[name] || name.startsWith('xsd:')) return;
  const t = byName.get(name);
  if (!t) throw new Error(`type ${name} is referenced but not defined in the WSDL`);
  if (t.kind === 'simpleType') {
    table[name] = facets(t.restriction as Node);
    return;
  }
  const simpleContent = t.simpleContent as Node | undefined;
  if (simpleContent) {
    const ext = simpleContent.extension as Node;
    const rawBase = String(ext['@base']);
    // an extension of a built-in keeps its xsd: prefix (e.g. `xsd:anyURI`)
    const content = rawBase.startsWith('xsd:') ? rawBase : localType(rawBase);
    const attributes = ((ext.attribute as Node[] | undefined) ?? []).map((a) => {
      const attrName = String(a['@name']);
      let type: string;
      if (a['@type']) type = localType(String(a['@type']));
      else {
        type = `${name}@${attrName}`;
        table[type] = facets((a.simpleType as Node[])[0]?.restriction as Node);
      }
      return { name: attrName, type, required: a['@use'] === 'required' };
    });
    const entry: XsdType = { kind: 'simpleContent', content, attributes };
    table[name] = entry;
    visit(content);
    for (const a of attributes) if (!table[a.type]) visit(a.type);
    return;
  }
  const sequence = (t.sequence as Node | undefined)?.element as Node[] | undefined;
  const elements = (sequence ?? []).map((e) => ({
    name: String(e['@name']),
    type: localType(String(e['@type'])),
    min: e['@minOccurs'] === undefined ? 1 : Number(e['@minOccurs']),
    max:
      e['@maxOccurs'] === 'unbounded'
        ? Infinity
        : e['@maxOccurs'] === undefined
          ? 1
          : Number(e['@maxOccurs']),
  }));
  table[name] = { kind: 'complex', sequence: elements };
  for (const e of elements) visit(e.type);
}

const roots: SchemaTable['roots'] = {};
for (const el of (schema.element as Node[]) ?? []) {
  const type = localType(String(el['@type']));
  roots[String(el['@name'])] = type;
  visit(type);
}

const sorted = Object.fromEntries(Object.entries(table).sort(([a], [b]) => a.localeCompare(b)));
const result: SchemaTable = { namespace: 'http://sap.com/xi/SAPSCORE/SFIN', roots, types: sorted };
const unbounded = (_k: string, v: unknown) => (v === Infinity ? 'unbounded' : v);
// one type per line: small, and a re-derivation from a newer WSDL diffs by type
const json = `{
  "namespace": ${JSON.stringify(result.namespace)},
  "roots": ${JSON.stringify(result.roots)},
  "types": {
${Object.entries(sorted)
  .map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v, unbounded)}`)
  .join(',\n')}
  }
}`;
writeFileSync(
  resolve(here, '../src/generated/journal-entry-schema.ts'),
  `// Generated by scripts/derive-schema.ts from SAP's WSDL for JournalEntryCreateRequestConfirmation_In.
// Do not edit by hand: re-run the script against your tenant's WSDL instead.
import type { SchemaTableJson } from '../soap/schema-types.js';

export const journalEntrySchemaJson: SchemaTableJson = ${json};
`,
);
writeFileSync(resolve(here, '../schema/JournalEntryBulkCreate.xsd'), toXsd(result));
process.stdout.write(`${Object.keys(sorted).length} types from ${Object.keys(roots).join(', ')}\n`);
