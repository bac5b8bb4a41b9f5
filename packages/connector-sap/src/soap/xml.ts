import { XMLParser } from 'fast-xml-parser';

/** An XML element with its namespace resolved: what the SOAP parser and the schema validator walk. */
export interface XmlElement {
  /** Local name, without prefix. */
  name: string;
  /** Namespace URI, or '' for unqualified elements. */
  ns: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated text content (entities decoded). */
  text: string;
}

/** Thrown for input that is not well-formed XML. */
export class XmlSyntaxError extends Error {
  override readonly name = 'XmlSyntaxError';
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

function convert(node: Ordered, scope: Map<string, string>): XmlElement | null {
  const tag = Object.keys(node).find((k) => k !== ':@');
  if (!tag || tag === '#text' || tag === '#comment' || tag.startsWith('?')) return null;
  const rawAttrs = node[':@'] ?? {};
  let local = scope;
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawAttrs)) {
    if (k === 'xmlns' || k.startsWith('xmlns:')) {
      if (local === scope) local = new Map(scope);
      local.set(k === 'xmlns' ? '' : k.slice(6), String(v));
    }
  }
  for (const [k, v] of Object.entries(rawAttrs)) {
    if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
    attrs[k] = String(v);
  }
  const colon = tag.indexOf(':');
  const prefix = colon >= 0 ? tag.slice(0, colon) : '';
  const ns = local.get(prefix);
  if (ns === undefined && prefix) throw new XmlSyntaxError(`namespace prefix "${prefix}" is not declared`);
  const children: XmlElement[] = [];
  let text = '';
  for (const child of (node[tag] as Ordered[]) ?? []) {
    if ('#text' in child) text += String(child['#text']);
    else {
      const c = convert(child, local);
      if (c) children.push(c);
    }
  }
  return { name: colon >= 0 ? tag.slice(colon + 1) : tag, ns: ns ?? '', attrs, children, text };
}

/**
 * Parses XML into elements with resolved namespaces (fast-xml-parser underneath, document order kept,
 * which XSD sequences need).
 *
 * @example
 * const root = parseXml('<a:x xmlns:a="urn:a"><y>1</y></a:x>'); // { name: 'x', ns: 'urn:a', children: [{ name: 'y', ns: '', … }] }
 */
export function parseXml(text: string): XmlElement {
  if (!text.trim().startsWith('<')) throw new XmlSyntaxError('the body is not XML');
  let nodes: Ordered[];
  try {
    nodes = parser.parse(text) as Ordered[];
  } catch (err) {
    throw new XmlSyntaxError((err as Error).message);
  }
  const roots = nodes.map((n) => convert(n, new Map())).filter((x): x is XmlElement => x !== null);
  if (roots.length !== 1) throw new XmlSyntaxError(`expected one root element, found ${roots.length}`);
  return roots[0] as XmlElement;
}

/** The first child with a local name (any namespace). */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** All children with a local name. */
export function childrenNamed(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

/** Trimmed text of a child, or undefined when absent. */
export function textOf(el: XmlElement | undefined, name: string): string | undefined {
  const c = child(el, name);
  return c === undefined ? undefined : c.text.trim();
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escapes text for XML content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}
