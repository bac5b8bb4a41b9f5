import { queryError } from './faults.js';

export type QueryValue = string | number | boolean;

export interface QueryCondition {
  field: string;
  op: '=' | '<' | '>' | '<=' | '>=' | 'IN' | 'LIKE';
  value: QueryValue | QueryValue[];
}

export interface ParsedQuery {
  entity: string;
  count: boolean;
  where: QueryCondition[];
  orderBy: { field: string; desc: boolean } | null;
  startPosition: number;
  maxResults: number;
}

/** Largest `maxresults` QuickBooks Online accepts. */
export const MAX_RESULTS = 1000;

/**
 * Parses the QuickBooks query language subset the emulator supports:
 * `select * | count(*) from Entity [where F op V (and F op V)*] [orderby F [asc|desc]]
 *  [startposition n] [maxresults n]`, with `=, <, >, <=, >=, in (…), like '%x%'`.
 */
export function parseQuery(text: string): ParsedQuery {
  let i = 0;
  const s = text.trim();
  const ws = () => {
    while (i < s.length && /\s/.test(s[i] as string)) i++;
  };
  const word = (): string => {
    ws();
    const m = /^[A-Za-z_][\w.]*/.exec(s.slice(i));
    if (!m) throw queryError(`expected an identifier at position ${i + 1} of "${s}"`);
    i += m[0].length;
    return m[0];
  };
  const kw = (k: string): boolean => {
    ws();
    const re = new RegExp(`^${k.replace(/[()*]/g, '\\$&')}(?![\\w])`, 'i');
    const m = re.exec(s.slice(i));
    if (!m) return false;
    i += m[0].length;
    return true;
  };
  const value = (): QueryValue => {
    ws();
    if (s[i] === "'") {
      i++;
      let out = '';
      while (i < s.length && s[i] !== "'") {
        if (s[i] === '\\' && i + 1 < s.length) i++;
        out += s[i];
        i++;
      }
      if (s[i] !== "'") throw queryError(`unterminated string in "${s}"`);
      i++;
      return out;
    }
    const m = /^(-?\d+(?:\.\d+)?|true|false)/i.exec(s.slice(i));
    if (!m) throw queryError(`expected a value at position ${i + 1} of "${s}"`);
    i += m[0].length;
    const v = m[0].toLowerCase();
    return v === 'true' ? true : v === 'false' ? false : Number(m[0]);
  };
  if (!kw('select')) throw queryError('query must start with select');
  let count = false;
  if (kw('count(*)')) count = true;
  else if (!kw('*')) throw queryError('only "select *" and "select count(*)" are supported');
  if (!kw('from')) throw queryError('expected "from"');
  const entity = word();
  const where: QueryCondition[] = [];
  if (kw('where')) {
    do {
      const field = word();
      ws();
      let op: QueryCondition['op'];
      const m = /^(<=|>=|=|<|>)/.exec(s.slice(i));
      if (m) {
        op = m[0] as QueryCondition['op'];
        i += m[0].length;
        where.push({ field, op, value: value() });
      } else if (kw('in')) {
        ws();
        if (s[i] !== '(') throw queryError('expected "(" after IN');
        i++;
        const list: QueryValue[] = [];
        for (;;) {
          list.push(value());
          ws();
          if (s[i] === ',') {
            i++;
            continue;
          }
          if (s[i] === ')') {
            i++;
            break;
          }
          throw queryError('expected "," or ")" in IN list');
        }
        where.push({ field, op: 'IN', value: list });
      } else if (kw('like')) {
        where.push({ field, op: 'LIKE', value: value() });
      } else throw queryError(`unsupported operator after ${field}`);
    } while (kw('and'));
  }
  let orderBy: ParsedQuery['orderBy'] = null;
  let startPosition = 1;
  let maxResults = 100;
  for (;;) {
    if (kw('orderby') || kw('order by')) {
      const field = word();
      const desc = kw('desc');
      if (!desc) kw('asc');
      orderBy = { field, desc };
    } else if (kw('startposition')) startPosition = Number(value());
    else if (kw('maxresults')) maxResults = Number(value());
    else break;
  }
  ws();
  if (i < s.length) throw queryError(`unexpected "${s.slice(i, i + 20)}"`);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS) {
    throw queryError(`maxresults must be between 1 and ${MAX_RESULTS}, got ${maxResults}`);
  }
  if (!Number.isInteger(startPosition) || startPosition < 1)
    throw queryError('startposition must be 1 or more');
  return { entity, count, where, orderBy, startPosition, maxResults };
}

function get(obj: Record<string, unknown>, path: string): unknown {
  let v: unknown = obj;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    const rec = v as Record<string, unknown>;
    const key = Object.keys(rec).find((k) => k.toLowerCase() === part.toLowerCase());
    v = key === undefined ? undefined : rec[key];
  }
  // references compare by their value
  if (v && typeof v === 'object' && 'value' in (v as object)) return (v as { value: unknown }).value;
  return v;
}

function cmp(a: unknown, b: QueryValue): number {
  if (typeof b === 'number') return Number(a) - b;
  if (typeof b === 'boolean') return String(a) === String(b) ? 0 : 1;
  const x = String(a ?? '');
  return x < b ? -1 : x > b ? 1 : 0;
}

/** True when an entity satisfies every condition (string comparisons are case-insensitive for `=`/IN on names). */
export function matchesQuery(obj: Record<string, unknown>, where: QueryCondition[]): boolean {
  return where.every((c) => {
    const v = get(obj, c.field);
    switch (c.op) {
      case '=':
        return typeof c.value === 'string'
          ? String(v ?? '').toLowerCase() === c.value.toLowerCase()
          : cmp(v, c.value as QueryValue) === 0;
      case 'IN':
        return (c.value as QueryValue[]).some((x) =>
          typeof x === 'string' ? String(v ?? '').toLowerCase() === x.toLowerCase() : cmp(v, x) === 0,
        );
      case 'LIKE': {
        const pattern = String(c.value)
          .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
          .replace(/%/g, '.*');
        return new RegExp(`^${pattern}$`, 'i').test(String(v ?? ''));
      }
      case '<':
        return cmp(v, c.value as QueryValue) < 0;
      case '>':
        return cmp(v, c.value as QueryValue) > 0;
      case '<=':
        return cmp(v, c.value as QueryValue) <= 0;
      case '>=':
        return cmp(v, c.value as QueryValue) >= 0;
    }
    return false;
  });
}

export function sortBy(
  list: Record<string, unknown>[],
  order: ParsedQuery['orderBy'],
): Record<string, unknown>[] {
  if (!order) return list;
  const f = order.field;
  return [...list].sort((a, b) => {
    const x = get(a, f);
    const y = get(b, f);
    const r =
      typeof x === 'number' && typeof y === 'number' ? x - y : String(x ?? '').localeCompare(String(y ?? ''));
    return order.desc ? -r : r;
  });
}
