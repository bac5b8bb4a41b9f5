import type { SchemaTable, SimpleType } from './schema-types.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function restriction(t: SimpleType, indent: string): string {
  const facets: string[] = [];
  for (const k of ['length', 'minLength', 'maxLength', 'totalDigits', 'fractionDigits'] as const) {
    if (t[k] !== undefined) facets.push(`${indent}  <xsd:${k} value="${t[k]}"/>`);
  }
  if (t.pattern !== undefined) facets.push(`${indent}  <xsd:pattern value="${esc(t.pattern)}"/>`);
  return facets.length === 0
    ? `${indent}<xsd:restriction base="xsd:${t.base}"/>`
    : `${indent}<xsd:restriction base="xsd:${t.base}">\n${facets.join('\n')}\n${indent}</xsd:restriction>`;
}

/**
 * Writes the derived schema table back as an XSD document (unqualified local elements, as in SAP's
 * WSDL), so any XSD validator — `xmllint --schema` — can check a request against it.
 *
 * @example
 * writeFileSync('JournalEntryBulkCreate.xsd', toXsd(journalEntrySchema));
 */
export function toXsd(table: SchemaTable): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>',
    "<!-- Derived from SAP's WSDL for JournalEntryCreateRequestConfirmation_In by @openissuing/connector-sap scripts/derive-schema.ts: element names, order, cardinality and facets only. -->",
    `<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="${table.namespace}" xmlns="${table.namespace}">`,
  ];
  for (const [name, type] of Object.entries(table.roots))
    out.push(`  <xsd:element name="${name}" type="${type}"/>`);
  for (const [name, t] of Object.entries(table.types)) {
    if (name.includes('@')) continue; // inline attribute types are written with their attribute
    if (t.kind === 'simple') {
      out.push(`  <xsd:simpleType name="${name}">`, restriction(t, '    '), '  </xsd:simpleType>');
    } else if (t.kind === 'complex') {
      out.push(`  <xsd:complexType name="${name}">`, '    <xsd:sequence>');
      for (const e of t.sequence) {
        const max = e.max === Infinity ? 'unbounded' : String(e.max);
        out.push(
          `      <xsd:element name="${e.name}" type="${e.type}"${e.min === 1 ? '' : ` minOccurs="${e.min}"`}${max === '1' ? '' : ` maxOccurs="${max}"`}/>`,
        );
      }
      out.push('    </xsd:sequence>', '  </xsd:complexType>');
    } else {
      out.push(
        `  <xsd:complexType name="${name}">`,
        '    <xsd:simpleContent>',
        `      <xsd:extension base="${t.content}">`,
      );
      for (const a of t.attributes) {
        const use = a.required ? ' use="required"' : '';
        const inline = table.types[a.type];
        if (a.type.includes('@') && inline?.kind === 'simple') {
          out.push(
            `        <xsd:attribute name="${a.name}"${use}>`,
            '          <xsd:simpleType>',
            restriction(inline, '            '),
            '          </xsd:simpleType>',
            '        </xsd:attribute>',
          );
        } else out.push(`        <xsd:attribute name="${a.name}" type="${a.type}"${use}/>`);
      }
      out.push('      </xsd:extension>', '    </xsd:simpleContent>', '  </xsd:complexType>');
    }
  }
  out.push('</xsd:schema>', '');
  return out.join('\n');
}
