import { journalEntrySchema } from './schema.js';
import type { SchemaTable, SimpleType, XsdBase } from './schema-types.js';
import type { XmlElement } from './xml.js';

/** One schema violation, located by the element path. */
export interface SchemaViolation {
  path: string;
  message: string;
}

const XSD_BUILTIN: Record<string, XsdBase> = {
  'xsd:anyURI': 'anyURI',
  'xsd:string': 'string',
  'xsd:token': 'token',
};

function collapse(s: string): string {
  return s.replace(/[\t\n\r ]+/g, ' ').trim();
}

function isValidDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

const patterns = new Map<string, RegExp>();
function xsdPattern(p: string): RegExp {
  let re = patterns.get(p);
  if (!re) {
    // XSD patterns are anchored; `.` matches anything but line ends, as in JavaScript
    re = new RegExp(`^(?:${p})$`, 'u');
    patterns.set(p, re);
  }
  return re;
}

/** Checks a lexical value against a simple type; returns the problem or null. */
export function checkSimple(raw: string, t: SimpleType): string | null {
  const value = t.base === 'string' ? raw : collapse(raw);
  switch (t.base) {
    case 'date': {
      const m = /^(-?\d{4,})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$/.exec(value);
      if (!m || !isValidDate(Number(m[1]), Number(m[2]), Number(m[3])))
        return `'${value}' is not a valid value of the atomic type 'xs:date'`;
      break;
    }
    case 'dateTime': {
      const m = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(
        value,
      );
      if (!m || !isValidDate(Number(m[1]), Number(m[2]), Number(m[3])) || Number(m[4]) > 24)
        return `'${value}' is not a valid value of the atomic type 'xs:dateTime'`;
      break;
    }
    case 'decimal': {
      const m = /^[+-]?(\d*)(?:\.(\d*))?$/.exec(value);
      if (!m || (m[1] === '' && (m[2] ?? '') === ''))
        return `'${value}' is not a valid value of the atomic type 'xs:decimal'`;
      const int = (m[1] ?? '').replace(/^0+/, '');
      const frac = (m[2] ?? '').replace(/0+$/, '');
      if (t.fractionDigits !== undefined && frac.length > t.fractionDigits)
        return `[facet 'fractionDigits'] The value '${value}' has more fractional digits than are allowed ('${t.fractionDigits}')`;
      if (t.totalDigits !== undefined && int.length + frac.length > t.totalDigits)
        return `[facet 'totalDigits'] The value '${value}' has more digits than are allowed ('${t.totalDigits}')`;
      break;
    }
    case 'boolean':
      if (!['true', 'false', '1', '0'].includes(value))
        return `'${value}' is not a valid value of the atomic type 'xs:boolean'`;
      break;
    default:
      break;
  }
  const length = [...value].length;
  if (t.length !== undefined && length !== t.length)
    return `[facet 'length'] The value '${value}' has a length of '${length}'; this differs from the allowed length of '${t.length}'`;
  if (t.minLength !== undefined && length < t.minLength)
    return `[facet 'minLength'] The value '${value}' has a length of '${length}'; this underruns the allowed minimum length of '${t.minLength}'`;
  if (t.maxLength !== undefined && length > t.maxLength)
    return `[facet 'maxLength'] The value has a length of '${length}'; this exceeds the allowed maximum length of '${t.maxLength}'`;
  if (t.pattern !== undefined && !xsdPattern(t.pattern).test(value))
    return `[facet 'pattern'] The value '${value}' is not accepted by the pattern '${t.pattern}'`;
  return null;
}

function simpleOf(table: SchemaTable, name: string): SimpleType {
  const builtin = XSD_BUILTIN[name];
  if (builtin) return { kind: 'simple', base: builtin };
  const t = table.types[name];
  if (t?.kind !== 'simple') throw new Error(`schema type ${name} is not a simple type`);
  return t;
}

function validateElement(
  table: SchemaTable,
  el: XmlElement,
  typeName: string,
  path: string,
  out: SchemaViolation[],
): void {
  const t = table.types[typeName];
  if (!t) throw new Error(`schema type ${typeName} is not in the table`);
  const here = `${path}/${el.name}`;
  if (t.kind === 'complex') {
    for (const a of Object.keys(el.attrs)) {
      if (!a.includes(':')) out.push({ path: here, message: `The attribute '${a}' is not allowed.` });
    }
    if (el.text.trim() !== '')
      out.push({
        path: here,
        message:
          "Character content other than whitespace is not allowed because the content type is 'element-only'.",
      });
    let i = 0;
    for (const s of t.sequence) {
      let n = 0;
      while (
        i < el.children.length &&
        (el.children[i] as XmlElement).name === s.name &&
        (el.children[i] as XmlElement).ns === ''
      ) {
        const c = el.children[i] as XmlElement;
        if (n >= s.max) break;
        validateElement(table, c, s.type, here, out);
        n++;
        i++;
      }
      if (n < s.min) {
        const next = el.children[i];
        out.push({
          path: here,
          message: next
            ? `Element '${next.name}': This element is not expected. Expected is ( ${s.name} ).`
            : `Missing child element(s). Expected is ( ${s.name} ).`,
        });
        return;
      }
    }
    if (i < el.children.length) {
      const c = el.children[i] as XmlElement;
      const known = t.sequence.some((s) => s.name === c.name);
      out.push({
        path: here,
        message:
          c.ns !== ''
            ? `Element '{${c.ns}}${c.name}': This element is not expected (local elements are unqualified).`
            : known
              ? `Element '${c.name}': This element is not expected here (out of sequence order or too many occurrences).`
              : `Element '${c.name}': This element is not expected.`,
      });
    }
    return;
  }
  if (el.children.length > 0) {
    out.push({
      path: here,
      message: `Element '${el.name}': Element content is not allowed, because the content type is a simple type definition.`,
    });
    return;
  }
  if (t.kind === 'simpleContent') {
    const problem = checkSimple(el.text, simpleOf(table, t.content));
    if (problem) out.push({ path: here, message: `Element '${el.name}': ${problem}.` });
    for (const a of t.attributes) {
      const v = el.attrs[a.name];
      if (v === undefined) {
        if (a.required)
          out.push({
            path: here,
            message: `Element '${el.name}': The attribute '${a.name}' is required but missing.`,
          });
        continue;
      }
      const p = checkSimple(v, simpleOf(table, a.type));
      if (p) out.push({ path: here, message: `Element '${el.name}', attribute '${a.name}': ${p}.` });
    }
    for (const k of Object.keys(el.attrs)) {
      if (!k.includes(':') && !t.attributes.some((a) => a.name === k))
        out.push({
          path: here,
          message: `Element '${el.name}', attribute '${k}': The attribute '${k}' is not allowed.`,
        });
    }
    return;
  }
  for (const k of Object.keys(el.attrs)) {
    if (!k.includes(':'))
      out.push({
        path: here,
        message: `Element '${el.name}', attribute '${k}': The attribute '${k}' is not allowed.`,
      });
  }
  const problem = checkSimple(el.text, t);
  if (problem) out.push({ path: here, message: `Element '${el.name}': ${problem}.` });
}

/**
 * Validates an element against a type of SAP's journal-entry schema: sequence order, cardinality,
 * unqualified local elements, attributes and facets. Returns every violation found (empty = valid).
 *
 * @example
 * validateAgainstSchema(root, 'JournalEntryCreateRequestBulkMessage'); // [] or [{ path, message }]
 */
export function validateAgainstSchema(
  el: XmlElement,
  typeName: string,
  table: SchemaTable = journalEntrySchema,
): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  validateElement(table, el, typeName, '', out);
  return out;
}

/** Validates a global element (e.g. `JournalEntryBulkCreateRequest`) including its name and namespace. */
export function validateRoot(el: XmlElement, table: SchemaTable = journalEntrySchema): SchemaViolation[] {
  const type = table.roots[el.name];
  if (!type || el.ns !== table.namespace) {
    return [
      {
        path: `/${el.name}`,
        message: `No matching global declaration available for the validation root '{${el.ns}}${el.name}'.`,
      },
    ];
  }
  return validateAgainstSchema(el, type, table);
}
