/** Turns a query object into URLSearchParams, dropping undefined and null values. */
export function toSearchParams(query: object): URLSearchParams {
  return new URLSearchParams(
    Object.entries(query)
      .filter(([, value]) => value != null)
      .map(([key, value]) => [key, String(value)]),
  );
}
