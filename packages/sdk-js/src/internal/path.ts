/**
 * Tagged template that percent-encodes every interpolated path segment, so an id can never
 * change the path (`path\`/cards/${id}/freeze\``).
 */
export function path(strings: TemplateStringsArray, ...values: string[]): string {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value !== 'string' || value === '') {
      throw new TypeError(`Expected an id string, got ${JSON.stringify(value)}.`);
    }
    out += encodeURIComponent(value) + (strings[i + 1] ?? '');
  }
  return out;
}
