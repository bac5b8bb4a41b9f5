import { createHash } from 'node:crypto';

/** Length of `DocumentReferenceID` (XBLNR) in SAP's schema. */
export const DOCUMENT_REFERENCE_MAX = 16;
/** Length of each of `Reference1InDocumentHeader` / `Reference2InDocumentHeader`. */
export const HEADER_REFERENCE_MAX = 20;
/** Length of `MessageHeader/ID`. */
export const MESSAGE_ID_MAX = 35;

const B32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(digest: Buffer, chars: number): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length >= chars) break;
  }
  return out;
}

/**
 * The 16-character `DocumentReferenceID` for a transaction id: `OI` + 14 base32 characters of its
 * SHA-256 (70 bits — collisions among a program's transactions are negligible, and the marker in
 * Reference1/2 is checked on every lookup anyway). Deterministic, upper case (the cube stores XBLNR
 * upper case), and the same on every run, so a lookup after a crash finds the document again.
 *
 * @example
 * documentReferenceIdFor('itxn_01JD2ZK9Q6W0000ABCDEFGHJKM'); // 'OI…' (16 chars)
 */
export function documentReferenceIdFor(externalRef: string): string {
  return `OI${base32(createHash('sha256').update(externalRef).digest(), DOCUMENT_REFERENCE_MAX - 2)}`;
}

/**
 * The confirming marker: the full transaction id over `Reference1InDocumentHeader` (first 20
 * characters) and `Reference2InDocumentHeader` (the rest). Ids longer than 40 characters keep their
 * first 20 characters and a 20-character hash in Reference2.
 *
 * @example
 * headerReferencesFor('itxn_01JD2ZK9Q6W0000ABCDEFGHJKM'); // ['itxn_01JD2ZK9Q6W0000', 'ABCDEFGHJKM']
 */
export function headerReferencesFor(externalRef: string): [string, string] {
  const first = externalRef.slice(0, HEADER_REFERENCE_MAX);
  const rest = externalRef.slice(HEADER_REFERENCE_MAX);
  if (rest.length <= HEADER_REFERENCE_MAX) return [first, rest];
  return [first, `#${base32(createHash('sha256').update(externalRef).digest(), HEADER_REFERENCE_MAX - 1)}`];
}

/**
 * True when a document's Reference1/Reference2 carry this transaction id — the proof that a
 * document found by `DocumentReferenceID` is ours and not another document with the same reference.
 */
export function confirmsReference(
  externalRef: string,
  reference1: string | null | undefined,
  reference2: string | null | undefined,
): boolean {
  const [r1, r2] = headerReferencesFor(externalRef);
  return (reference1 ?? '').trim() === r1 && (reference2 ?? '').trim() === r2;
}

/**
 * The transaction id a document's Reference1/Reference2 spell, for `list` (null when the document does
 * not look like ours, or its id was hashed because it was longer than 40 characters).
 */
export function referenceFromHeader(
  reference1: string | null | undefined,
  reference2: string | null | undefined,
): string | null {
  const r1 = (reference1 ?? '').trim();
  const r2 = (reference2 ?? '').trim();
  if (!r1 || r2.startsWith('#')) return null;
  return `${r1}${r2}`;
}

/** `MessageHeader/ID` for one entry: the transaction id (≤ 35 characters), else its reference hash. */
export function messageIdFor(externalRef: string): string {
  return externalRef.length <= MESSAGE_ID_MAX ? externalRef : documentReferenceIdFor(externalRef);
}
