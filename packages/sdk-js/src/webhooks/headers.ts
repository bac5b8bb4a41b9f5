/** Anything that carries request headers: a Fetch `Headers`, or Node's `IncomingHttpHeaders`-like record. */
export type HeadersLike =
  | Headers
  | { get(name: string): string | null }
  | Record<string, string | string[] | undefined>;

/** Reads one header case-insensitively from any {@link HeadersLike}. */
export function readHeader(headers: HeadersLike, name: string): string | undefined {
  if (typeof headers.get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  let value = record[name]; // node:http lower-cases header names already
  if (value === undefined) {
    for (const key in record) if (key.toLowerCase() === name) value = record[key];
  }
  return Array.isArray(value) ? value.join(' ') : value;
}
