import fc from 'fast-check';
import { openapiDocument } from '../../src/api-spec';

type Json = Record<string, unknown>;

/** Resolves a local `$ref` chain against the spec. */
export function deref(schema: unknown): Json {
  let cur = schema as Json | undefined;
  for (let i = 0; cur && typeof cur.$ref === 'string' && i < 20; i++) {
    cur = (cur.$ref as string)
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>(
        (o, k) => (o as Json | undefined)?.[k.replace(/~1/g, '/').replace(/~0/g, '~')],
        openapiDocument,
      ) as Json | undefined;
  }
  return cur ?? {};
}

const LOOPBACK_URLS = ['http://127.0.0.1:9/hook', 'https://127.0.0.1:9/hooks/openissuing'];

function stringArbitrary(s: Json): fc.Arbitrary<string> {
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const max = Math.min(typeof s.maxLength === 'number' ? s.maxLength : 24, 24);
  const examples = (Array.isArray(s.examples) ? s.examples : []).filter((e) => typeof e === 'string');
  // Webhook URLs stay on a closed loopback port: the fuzz test must never reach out.
  if (s.format === 'uri') return fc.constantFrom(...LOOPBACK_URLS);
  if (s.format === 'email') return fc.constantFrom('ada@example.com', 'finance@acme.example');
  if (s.format === 'date-time') {
    return fc
      .date({
        min: new Date('2020-01-01T00:00:00Z'),
        max: new Date('2030-01-01T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString());
  }
  if (typeof s.pattern === 'string') {
    try {
      const re = new RegExp(s.pattern);
      return fc.stringMatching(re).filter((v) => v.length >= min && v.length <= Math.max(max, min, 64));
    } catch {
      if (examples.length > 0) return fc.constantFrom(...(examples as string[]));
    }
  }
  if (examples.length > 0)
    return fc.oneof(
      fc.constantFrom(...(examples as string[])),
      fc.string({ minLength: Math.max(min, 1), maxLength: Math.max(max, min, 1) }),
    );
  return fc.string({ minLength: min, maxLength: Math.max(max, min) });
}

/**
 * A fast-check arbitrary of values that (mostly) satisfy `schema`, an OpenAPI 3.1 / JSON Schema
 * fragment of the spec: the fuzz test starts from plausible requests and then mutates them.
 */
export function schemaArbitrary(schema: unknown, depth = 0): fc.Arbitrary<unknown> {
  const s = deref(schema);
  if (depth > 6) return fc.constant(null);
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  for (const k of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(s[k]))
      return fc.oneof(...(s[k] as unknown[]).map((b) => schemaArbitrary(b, depth + 1)));
  }
  if (Array.isArray(s.allOf)) {
    const merged: Json = {};
    for (const part of s.allOf as unknown[]) Object.assign(merged, deref(part));
    return schemaArbitrary({ ...s, ...merged, allOf: undefined }, depth + 1);
  }
  const type = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : [];
  if (type.length > 1) return fc.oneof(...type.map((t) => schemaArbitrary({ ...s, type: t }, depth + 1)));
  switch (type[0] ?? (s.properties ? 'object' : undefined)) {
    case 'string':
      return stringArbitrary(s);
    case 'integer':
      return fc.integer({
        min: typeof s.minimum === 'number' ? s.minimum : -1_000_000,
        max: typeof s.maximum === 'number' ? s.maximum : 1_000_000_000,
      });
    case 'number':
      return fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = schemaArbitrary(s.items ?? {}, depth + 1);
      const minLength = typeof s.minItems === 'number' ? s.minItems : 0;
      const maxLength = Math.max(minLength, Math.min(typeof s.maxItems === 'number' ? s.maxItems : 3, 3));
      return s.uniqueItems
        ? fc.uniqueArray(items, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(items, { minLength, maxLength });
    }
    case 'object': {
      const props = (s.properties ?? {}) as Record<string, unknown>;
      const required = (Array.isArray(s.required) ? s.required : []) as string[];
      const record = fc.record(
        Object.fromEntries(Object.entries(props).map(([k, v]) => [k, schemaArbitrary(v, depth + 1)])),
        { requiredKeys: required.filter((k) => k in props) },
      );
      const extra = s.additionalProperties;
      if (extra && typeof extra === 'object' && Object.keys(props).length === 0) {
        const names = deref((s.propertyNames as Json | undefined) ?? {});
        return fc.dictionary(
          stringArbitrary({ minLength: 1, maxLength: 12, ...names }),
          schemaArbitrary(extra, depth + 1),
          { maxKeys: 3 },
        );
      }
      return record;
    }
    default:
      return fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null));
  }
}

/** Values that break a rule somewhere: control characters, wrong types, extremes, card numbers. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'Ada\u0000Lovelace',
    '\u001b[2J',
    '\u007f',
    'tab\tand\nline',
    '\ud800',
    '4242424242424242',
    '',
    ' ',
    'x'.repeat(10_000),
    -1,
    0,
    1.5,
    2 ** 53,
    1e308,
    null,
    true,
    [],
    {},
    { nested: { deeper: [1, 2, { x: 'y' }] } },
    JSON.parse(`${'['.repeat(40)}${']'.repeat(40)}`),
    'ic_4242424242424242',
    '../../etc/passwd',
    "' OR 1=1 --",
    '2026-13-45T99:99:99Z',
  ),
  fc.string({ maxLength: 12 }),
  fc.integer(),
);

/** All object/array locations inside `value`, as key paths (the root is `[]`). */
function containers(
  value: unknown,
  path: Array<string | number> = [],
  out: Array<Array<string | number>> = [],
) {
  if (value && typeof value === 'object') {
    out.push(path);
    for (const [k, v] of Object.entries(value))
      containers(v, [...path, Array.isArray(value) ? Number(k) : k], out);
  }
  return out;
}

function at(value: unknown, path: Array<string | number>): Record<string | number, unknown> {
  return path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], value) as Record<
    string | number,
    unknown
  >;
}

/** All string leaves inside `value`, as key paths. */
function strings(value: unknown, path: Array<string | number> = [], out: Array<Array<string | number>> = []) {
  if (typeof value === 'string') out.push(path);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value))
      strings(v, [...path, Array.isArray(value) ? Number(k) : k], out);
  }
  return out;
}

const POISON = [
  '\u0000',
  '\u0000',
  '\u0000',
  '\u0001',
  '\u001b',
  '\u007f',
  '\ud800',
  '\n',
  '\t',
  '4242424242424242',
];

/**
 * Mutates a (plausible) JSON value: leaves it, poisons a string with a control character, replaces a
 * field or element with a hostile value, adds an unknown field, or deletes a field. Returns a new
 * value; `value` is not changed.
 */
export function mutated(value: unknown): fc.Arbitrary<unknown> {
  const places = containers(value);
  const leaves = strings(value);
  if (places.length === 0) return fc.oneof(fc.constant(value), hostileValue);
  return fc
    .tuple(
      fc.constantFrom('keep', 'poison', 'poison', 'replace', 'add', 'delete'),
      fc.nat(places.length - 1),
      fc.nat(),
      hostileValue,
      fc.constantFrom('zz_unknown', '\u0000', '4242424242424242', '__proto__', 'constructor'),
      fc.constantFrom(...POISON),
      fc.nat(),
    )
    .map(([how, where, which, hostile, unknownKey, poison, cutAt]) => {
      if (how === 'keep') return value;
      const copy = structuredClone(value);
      if (how === 'poison' && leaves.length > 0) {
        const leaf = leaves[which % leaves.length] as Array<string | number>;
        const parent = at(copy, leaf.slice(0, -1));
        const key = leaf[leaf.length - 1] as string | number;
        const text = parent[key] as string;
        const cut = cutAt % (text.length + 1);
        parent[key] = text.slice(0, cut) + poison + text.slice(cut);
        return copy;
      }
      const target = at(copy, places[where] as Array<string | number>);
      const keys = Object.keys(target);
      const key = keys[which % Math.max(keys.length, 1)];
      if (how === 'add' || how === 'poison' || key === undefined) {
        if (Array.isArray(target)) target.push(hostile);
        else
          Object.defineProperty(target, unknownKey, {
            value: hostile,
            enumerable: true,
            writable: true,
            configurable: true,
          });
      } else if (how === 'replace') target[key] = hostile;
      else if (Array.isArray(target)) target.splice(Number(key), 1);
      else delete target[key];
      return copy;
    });
}
