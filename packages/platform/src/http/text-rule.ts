import type { FieldError } from '../lib/errors';

/**
 * The one text rule for every string a request carries (body values and keys, query parameters,
 * headers the spec declares), as the spec's "Text" convention states it:
 *
 * - well-formed Unicode (no lone surrogate halves);
 * - no C0 control character (U+0000–U+001F) and no DEL (U+007F) — PostgreSQL cannot store U+0000
 *   at all, and the others break logs, CSV exports and ERP files;
 * - except tab, line feed and carriage return in free-text fields: a `description`, and the values
 *   of `metadata`.
 */
const LONE_SURROGATE = /\p{Cs}/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this rule's job.
const CONTROL = /[\u0000-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this rule's job.
const CONTROL_NOT_WHITESPACE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Whether the string at `path` (its keys, outermost first) is free text. */
function isFreeText(path: readonly string[]): boolean {
  const last = path[path.length - 1];
  return last === 'description' || path[path.length - 2] === 'metadata';
}

function fault(text: string, freeText: boolean): string | undefined {
  if (LONE_SURROGATE.test(text)) return 'holds a lone UTF-16 surrogate; send well-formed Unicode text';
  if ((freeText ? CONTROL_NOT_WHITESPACE : CONTROL).test(text)) {
    return freeText
      ? 'holds a control character; only tab, line feed and carriage return are allowed in free text'
      : 'holds a control character (U+0000–U+001F or U+007F); remove it';
  }
  return undefined;
}

function paramOf(path: readonly string[]): string {
  let out = '';
  for (const p of path) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

/**
 * Every string in `value` (a parsed JSON body, walked iteratively) that breaks the text rule, as a
 * field error naming its path (`metadata.note`). At most `max` errors.
 *
 * @example
 * textFaults({ name: 'Ada\u0000' }) // [{ param: 'name', code: 'parameter_invalid', detail: 'name holds a control character …' }]
 */
export function textFaults(value: unknown, prefix: readonly string[] = [], max = 10): FieldError[] {
  const out: FieldError[] = [];
  const stack: Array<{ value: unknown; path: readonly string[] }> = [{ value, path: prefix }];
  while (stack.length > 0 && out.length < max) {
    const { value: v, path } = stack.pop() as { value: unknown; path: readonly string[] };
    if (typeof v === 'string') {
      const why = fault(v, isFreeText(path));
      if (why) {
        const param = paramOf(path);
        out.push({ param, code: 'parameter_invalid', detail: `${param || 'body'} ${why}.` });
      }
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: [...path, String(i)] });
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i] as [string, unknown];
        const keyFault = fault(key, false);
        if (keyFault) {
          const param = paramOf(path);
          out.push({
            param,
            code: 'parameter_invalid',
            detail: `${param || 'body'} has a field name that ${keyFault}.`,
          });
          continue;
        }
        stack.push({ value: child, path: [...path, key] });
      }
    }
  }
  return out;
}
