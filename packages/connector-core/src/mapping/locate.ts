/** Line and column (1-based) of a value inside a JSON document. */
export interface JsonPosition {
  line: number;
  column: number;
}

/**
 * Parses JSON text and records where every value starts, keyed by its path (`rules.3.account`),
 * so configuration errors can name the line at fault. Throws a SyntaxError with the line on bad JSON.
 */
export function parseJsonWithPositions(text: string): {
  value: unknown;
  positions: Map<string, JsonPosition>;
} {
  const positions = new Map<string, JsonPosition>();
  let i = 0;
  let line = 1;
  let lineStart = 0;

  const fail = (what: string): never => {
    throw new SyntaxError(`line ${line}, column ${i - lineStart + 1}: ${what}`);
  };
  const ws = () => {
    while (i < text.length) {
      const c = text[i];
      if (c === '\n') {
        line++;
        i++;
        lineStart = i;
      } else if (c === ' ' || c === '\t' || c === '\r') i++;
      else break;
    }
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      if (text[i] === '\n') fail('unterminated string');
      i++;
    }
    if (i >= text.length) fail('unterminated string');
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const val = (path: string): unknown => {
    ws();
    positions.set(path, { line, column: i - lineStart + 1 });
    const c = text[i];
    const child = (k: string | number) => (path ? `${path}.${k}` : String(k));
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a "quoted" property name');
        const key = str();
        ws();
        if (text[i] !== ':') fail(`expected ':' after "${key}"`);
        i++;
        obj[key] = val(child(key));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail("expected ',' or '}' (a trailing comma or a missing comma?)");
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(val(child(arr.length)));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!m) return fail(`unexpected ${c === undefined ? 'end of file' : `'${c}'`}`);
    i += m[0].length;
    return JSON.parse(m[0]);
  };
  const value = val('');
  ws();
  if (i < text.length) fail('unexpected content after the end of the document');
  return { value, positions };
}

/** Finds the position of the deepest known ancestor of a path. */
export function positionOf(positions: Map<string, JsonPosition>, path: (string | number)[]): JsonPosition {
  for (let n = path.length; n >= 0; n--) {
    const p = positions.get(path.slice(0, n).join('.'));
    if (p) return p;
  }
  return { line: 1, column: 1 };
}
