/** Prefix of every batch and journal name this connector writes. */
export const NAME_PREFIX = 'OI-';

/**
 * Batch name (`REFERENCE1`) and journal name (`REFERENCE4`) for a transaction: `OI-<transaction id>`.
 * Deterministic, so a lookup after a crash finds it again; 34 characters for platform ids, inside
 * the 100 the columns hold and the first 50 that Journal Import keeps when it derives the batch name
 * (`<name> <source> A <group id> <request id> N`).
 *
 * @example
 * batchNameFor('itxn_01JD2ZK9Q6W0000ABCDEFGHJKM'); // 'OI-itxn_01JD2ZK9Q6W0000ABCDEFGHJKM'
 */
export function batchNameFor(externalRef: string): string {
  return `${NAME_PREFIX}${externalRef}`;
}

/**
 * The transaction id a batch or journal name carries, or null when it is not one of ours. Accepts the
 * name as written (`OI-<id>`) and as Journal Import derives it (`OI-<id> <source> A <group> <request> N`).
 *
 * @example
 * refFromName('OI-itxn_1 OpenIssuing Card A 1700000000001 42 N'); // 'itxn_1'
 */
export function refFromName(name: string | null | undefined): string | null {
  if (!name?.startsWith(NAME_PREFIX)) return null;
  const rest = name.slice(NAME_PREFIX.length);
  const ref = rest.split(' ')[0] ?? '';
  return ref.length > 0 ? ref : null;
}

/**
 * True when a batch name was derived from our `REFERENCE1` for this transaction: exactly `OI-<id>`,
 * or `OI-<id>` followed by a space and Journal Import's suffix.
 */
export function nameMatches(name: string | null | undefined, externalRef: string): boolean {
  const base = batchNameFor(externalRef);
  return name === base || (typeof name === 'string' && name.startsWith(`${base} `));
}
