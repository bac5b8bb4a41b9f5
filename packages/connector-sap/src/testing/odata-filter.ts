/** A parsed OData V2 `$filter` expression (the subset S/4HANA's cube queries use). */
export type FilterExpr =
  | { op: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
  | { op: 'not'; expr: FilterExpr }
  | { op: 'startswith' | 'endswith' | 'substringof'; property: string; value: string; expect: boolean }
  | { op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; property: string; value: FilterValue };

export type FilterValue = string | number | boolean | null | { datetime: number };

/** Thrown for a `$filter` the emulator cannot parse; the message becomes the V2 error text. */
export class FilterSyntaxError extends Error {
  override readonly name = 'FilterSyntaxError';
}

const COMPARE = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

/**
 * Parses `$filter` with `and`/`or`/`not`, parentheses, `eq ne gt ge lt le`, string literals
 * (`'it''s'`), numbers, `true`/`false`/`null` and `datetime'2026-11-01T00:00:00'`.
 *
 * @example
 * parseFilter("CompanyCode eq '1010' and (DocumentReferenceID eq 'OIA' or DocumentReferenceID eq 'OIB')");
 */
export function parseFilter(text: string): FilterExpr {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
  };
  const word = (): string => {
    ws();
    const m = /^[A-Za-z_][A-Za-z0-9_/]*/.exec(text.slice(i));
    if (!m)
      throw new FilterSyntaxError(`Invalid filter expression at position ${i}: '${text.slice(i, i + 20)}'`);
    i += m[0].length;
    return m[0];
  };
  const peekWord = (): string | null => {
    ws();
    const m = /^[A-Za-z]+/.exec(text.slice(i));
    return m ? m[0] : null;
  };
  const literal = (): FilterValue => {
    ws();
    const rest = text.slice(i);
    const str = (at: number): [string, number] => {
      let j = at + 1;
      let out = '';
      for (;;) {
        if (j >= text.length)
          throw new FilterSyntaxError('Invalid filter expression: unterminated string literal');
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            out += "'";
            j += 2;
            continue;
          }
          return [out, j + 1];
        }
        out += text[j];
        j++;
      }
    };
    if (rest.startsWith("'")) {
      const [s, end] = str(i);
      i = end;
      return s;
    }
    if (/^datetime'/.test(rest)) {
      const [s, end] = str(i + 8);
      i = end;
      const ms = Date.parse(/Z|[+-]\d\d:\d\d$/.test(s) ? s : `${s}Z`);
      if (Number.isNaN(ms)) throw new FilterSyntaxError(`Invalid datetime literal '${s}'`);
      return { datetime: ms };
    }
    const m = /^-?\d+(\.\d+)?[mMdDfF]?/.exec(rest);
    if (m) {
      i += m[0].length;
      return Number(m[0].replace(/[mMdDfF]$/, ''));
    }
    const w = word();
    if (w === 'true') return true;
    if (w === 'false') return false;
    if (w === 'null') return null;
    throw new FilterSyntaxError(`Invalid filter expression: '${w}' is not a literal`);
  };
  const primary = (): FilterExpr => {
    ws();
    if (text[i] === '(') {
      i++;
      const e = or();
      ws();
      if (text[i] !== ')')
        throw new FilterSyntaxError(`Invalid filter expression: ')' expected at position ${i}`);
      i++;
      return e;
    }
    if (peekWord() === 'not') {
      word();
      return { op: 'not', expr: primary() };
    }
    const property = word();
    ws();
    if (text[i] === '(') {
      // startswith(Prop,'x') / endswith(Prop,'x') / substringof('x',Prop), optionally `eq true|false`
      const fn = property;
      if (fn !== 'startswith' && fn !== 'endswith' && fn !== 'substringof')
        throw new FilterSyntaxError(`Invalid filter expression: function '${fn}' is not supported`);
      i++;
      let prop: string;
      let value: FilterValue;
      if (fn === 'substringof') {
        value = literal();
        ws();
        if (text[i++] !== ',') throw new FilterSyntaxError("Invalid filter expression: ',' expected");
        prop = word();
      } else {
        prop = word();
        ws();
        if (text[i++] !== ',') throw new FilterSyntaxError("Invalid filter expression: ',' expected");
        value = literal();
      }
      ws();
      if (text[i++] !== ')') throw new FilterSyntaxError("Invalid filter expression: ')' expected");
      if (typeof value !== 'string')
        throw new FilterSyntaxError(`Invalid filter expression: ${fn} needs a string`);
      let expect = true;
      if (peekWord() === 'eq' || peekWord() === 'ne') {
        const neg = word() === 'ne';
        const b = literal();
        if (typeof b !== 'boolean')
          throw new FilterSyntaxError(`Invalid filter expression: ${fn}(…) compares to true or false`);
        expect = neg ? !b : b;
      }
      return { op: fn, property: prop, value, expect };
    }
    const op = word();
    if (!COMPARE.has(op))
      throw new FilterSyntaxError(`Invalid filter expression: operator '${op}' is not supported`);
    return { op: op as 'eq', property, value: literal() };
  };
  const and = (): FilterExpr => {
    let left = primary();
    while (peekWord() === 'and') {
      word();
      left = { op: 'and', left, right: primary() };
    }
    return left;
  };
  function or(): FilterExpr {
    let left = and();
    while (peekWord() === 'or') {
      word();
      left = { op: 'or', left, right: and() };
    }
    return left;
  }
  const e = or();
  ws();
  if (i < text.length)
    throw new FilterSyntaxError(`Invalid filter expression at position ${i}: '${text.slice(i, i + 20)}'`);
  return e;
}

/** Properties a filter names (to check them against the entity type). */
export function filterProperties(e: FilterExpr): string[] {
  if (e.op === 'and' || e.op === 'or') return [...filterProperties(e.left), ...filterProperties(e.right)];
  if (e.op === 'not') return filterProperties(e.expr);
  return [(e as { property: string }).property];
}

function compare(a: unknown, b: FilterValue): number | null {
  if (b === null) return a === null || a === undefined ? 0 : null;
  if (typeof b === 'object') {
    if (typeof a !== 'number') return null;
    return a - b.datetime;
  }
  if (typeof b === 'number') return Number(a) - b;
  if (typeof b === 'boolean') return a === b ? 0 : 1;
  const x = String(a ?? '');
  return x < b ? -1 : x > b ? 1 : 0;
}

/** Evaluates a filter against a row of typed values (dates as epoch ms). */
export function matchesFilter(e: FilterExpr, row: Record<string, unknown>): boolean {
  switch (e.op) {
    case 'and':
      return matchesFilter(e.left, row) && matchesFilter(e.right, row);
    case 'or':
      return matchesFilter(e.left, row) || matchesFilter(e.right, row);
    case 'not':
      return !matchesFilter(e.expr, row);
    case 'startswith':
      return String(row[e.property] ?? '').startsWith(e.value) === e.expect;
    case 'endswith':
      return String(row[e.property] ?? '').endsWith(e.value) === e.expect;
    case 'substringof':
      return String(row[e.property] ?? '').includes(e.value) === e.expect;
    default: {
      const c = compare(row[e.property], e.value);
      if (c === null) return e.op === 'ne';
      return { eq: c === 0, ne: c !== 0, gt: c > 0, ge: c >= 0, lt: c < 0, le: c <= 0 }[e.op];
    }
  }
}
