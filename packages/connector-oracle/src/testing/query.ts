/** A `q` parameter the emulator cannot read; answered 400 like Fusion's REST framework. */
export class QueryError extends Error {
  override readonly name = 'QueryError';
}

type Value = string | number | null;
type Node =
  | { op: 'and' | 'or'; left: Node; right: Node }
  | { op: 'not'; expr: Node }
  | { op: 'cmp'; attr: string; cmp: string; value: Value }
  | { op: 'in'; attr: string; values: Value[] }
  | { op: 'null'; attr: string; negate: boolean };

const TOKEN =
  /\s*(?:(\()|(\))|(,)|'((?:[^']|'')*)'|(<=|>=|<>|!=|=|<|>)|(-?\d+(?:\.\d+)?)(?![\w])|([A-Za-z_][\w.]*))/y;

function tokenize(q: string): Array<{ kind: string; text: string }> {
  const out: Array<{ kind: string; text: string }> = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < q.length) {
    if (/^\s*$/.test(q.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(q);
    if (!m) throw new QueryError(`cannot parse q at position ${pos + 1}: "${q.slice(pos, pos + 20)}"`);
    pos = TOKEN.lastIndex;
    if (m[1]) out.push({ kind: '(', text: '(' });
    else if (m[2]) out.push({ kind: ')', text: ')' });
    else if (m[3]) out.push({ kind: ',', text: ',' });
    else if (m[4] !== undefined) out.push({ kind: 'str', text: m[4].replaceAll("''", "'") });
    else if (m[5]) out.push({ kind: 'cmp', text: m[5] });
    else if (m[6]) out.push({ kind: 'num', text: m[6] });
    else if (m[7]) out.push({ kind: 'word', text: m[7] });
  }
  return out;
}

/**
 * Parses the `q` row-match expressions of Fusion's REST framework (version 2 and later): comparisons
 * `= <> != < > <= >=`, `LIKE` with `%`/`_`, `IN (…)`, `IS [NOT] NULL`, `AND`, `OR`, `NOT`,
 * parentheses. Framework version 1's `Attr=value;Attr2=value` is accepted too.
 */
export function parseQuery(q: string): Node {
  const trimmed = q.trim();
  if (/^[A-Za-z_]\w*=[^'\s;][^;]*(;[A-Za-z_]\w*=[^;]*)*$/.test(trimmed)) {
    const parts = trimmed.split(';').map((p): Node => {
      const [attr = '', ...rest] = p.split('=');
      return { op: 'cmp', attr, cmp: '=', value: rest.join('=') };
    });
    return parts.reduce((a, b) => ({ op: 'and', left: a, right: b }));
  }
  const tokens = tokenize(trimmed);
  let i = 0;
  const peek = () => tokens[i];
  const isWord = (w: string) => peek()?.kind === 'word' && peek()?.text.toLowerCase() === w;
  const value = (): Value => {
    const t = tokens[i++];
    if (!t) throw new QueryError('q ends where a value was expected');
    if (t.kind === 'str') return t.text;
    if (t.kind === 'num') return Number(t.text);
    if (t.kind === 'word' && t.text.toLowerCase() === 'null') return null;
    throw new QueryError(`expected a value in q, found "${t.text}"`);
  };
  const primary = (): Node => {
    if (peek()?.kind === '(') {
      i++;
      const e = or();
      if (peek()?.kind !== ')') throw new QueryError('missing ")" in q');
      i++;
      return e;
    }
    if (isWord('not')) {
      i++;
      return { op: 'not', expr: primary() };
    }
    const a = tokens[i++];
    if (a?.kind !== 'word')
      throw new QueryError(`expected an attribute name in q, found "${a?.text ?? 'end'}"`);
    const attr = a.text;
    if (peek()?.kind === 'cmp')
      return { op: 'cmp', attr, cmp: (tokens[i++] as { text: string }).text, value: value() };
    if (isWord('like')) {
      i++;
      return { op: 'cmp', attr, cmp: 'LIKE', value: value() };
    }
    if (isWord('in')) {
      i++;
      if (peek()?.kind !== '(') throw new QueryError('expected "(" after IN in q');
      i++;
      const values: Value[] = [];
      for (;;) {
        values.push(value());
        const t = tokens[i++];
        if (t?.kind === ')') break;
        if (t?.kind !== ',') throw new QueryError('expected "," or ")" in an IN list');
      }
      return { op: 'in', attr, values };
    }
    if (isWord('is')) {
      i++;
      const negate = isWord('not');
      if (negate) i++;
      if (!isWord('null')) throw new QueryError('expected NULL after IS');
      i++;
      return { op: 'null', attr, negate };
    }
    throw new QueryError(`expected an operator after ${attr} in q`);
  };
  const and = (): Node => {
    let left = primary();
    while (isWord('and')) {
      i++;
      left = { op: 'and', left, right: primary() };
    }
    return left;
  };
  const or = (): Node => {
    let left = and();
    while (isWord('or')) {
      i++;
      left = { op: 'or', left, right: and() };
    }
    return left;
  };
  const node = or();
  if (i < tokens.length) throw new QueryError(`unexpected "${tokens[i]?.text}" in q`);
  return node;
}

const likeCache = new Map<string, RegExp>();

function like(pattern: string, v: string): boolean {
  let re = likeCache.get(pattern);
  if (!re) {
    const src = pattern
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replaceAll('%', '.*')
      .replaceAll('_', '.');
    re = new RegExp(`^${src}$`, 's');
    if (likeCache.size > 10_000) likeCache.clear();
    likeCache.set(pattern, re);
  }
  return re.test(v);
}

function compare(a: unknown, b: Value): number {
  if (typeof b === 'number') return Number(a) - b;
  const x = String(a ?? '');
  const y = String(b ?? '');
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Evaluates a parsed `q` against one item's attributes; unknown attributes are a 400. */
export function matches(node: Node, item: Record<string, unknown>): boolean {
  const get = (attr: string) => {
    if (!(attr in item))
      throw new QueryError(`URL request parameter q with value ${attr} is not a queryable attribute`);
    return item[attr];
  };
  switch (node.op) {
    case 'and':
      return matches(node.left, item) && matches(node.right, item);
    case 'or':
      return matches(node.left, item) || matches(node.right, item);
    case 'not':
      return !matches(node.expr, item);
    case 'null': {
      const v = get(node.attr);
      return node.negate ? v !== null && v !== undefined : v === null || v === undefined;
    }
    case 'in':
      return node.values.some((v) => compare(get(node.attr), v) === 0);
    case 'cmp': {
      const v = get(node.attr);
      switch (node.cmp) {
        case 'LIKE':
          return v !== null && v !== undefined && like(String(node.value), String(v));
        case '=':
          return compare(v, node.value) === 0;
        case '<>':
        case '!=':
          return compare(v, node.value) !== 0;
        case '<':
          return compare(v, node.value) < 0;
        case '>':
          return compare(v, node.value) > 0;
        case '<=':
          return compare(v, node.value) <= 0;
        case '>=':
          return compare(v, node.value) >= 0;
      }
    }
  }
  return false;
}
