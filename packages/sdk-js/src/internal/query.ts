/** Turns a query object into URLSearchParams, dropping undefined values and expanding arrays. */
export function toSearchParams(query: object | undefined): URLSearchParams | undefined {
  if (!query) return undefined;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else if (value instanceof Date) params.append(key, value.toISOString());
    else params.append(key, String(value));
  }
  return params;
}
