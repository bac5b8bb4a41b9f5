import { randomBytes, randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Id prefixes per resource type (ARCHITECTURE.md). */
export const ID_PREFIX = {
  cardholder: 'ich',
  card: 'ic',
  authorization: 'iauth',
  transaction: 'itxn',
  event: 'evt',
  webhook_endpoint: 'we',
  webhook_delivery: 'whd',
  topup: 'tu',
  ledger_entry: 'le',
  ephemeral_key: 'ek',
  program: 'prog',
  api_key: 'key',
  request: 'req',
  budget: 'ibgt',
  card_request: 'icr',
} as const;

let lastMs = 0;
let seq = 0;

// Random bytes for ids are drawn from a CSPRNG-filled pool: one randomFillSync per 512 ids instead
// of one randomBytes call (≈ 3 µs) per id — several ids are minted per authorization.
const POOL = Buffer.alloc(14 * 512);
let poolOffset = POOL.length;

/**
 * A new id: `<prefix>_` + 10 chars of millisecond time + 2 chars of sequence + 14 random chars,
 * Crockford base32, so ids created later sort after ids created earlier in one process.
 *
 * @example
 * newId('card') // 'ic_01JD2…'
 */
export function newId(type: keyof typeof ID_PREFIX): string {
  const now = Date.now();
  if (now === lastMs) seq = (seq + 1) % 1024;
  else {
    lastMs = now;
    seq = 0;
  }
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const s = (ALPHABET[(seq >> 5) & 31] ?? '0') + (ALPHABET[seq & 31] ?? '0');
  if (poolOffset + 14 > POOL.length) {
    randomFillSync(POOL);
    poolOffset = 0;
  }
  const head = time + s;
  const rand = randomChars(POOL.subarray(poolOffset, poolOffset + 14), trailingDigits(head));
  poolOffset += 14;
  return `${ID_PREFIX[type]}_${head}${rand}`;
}

/** Ids never hold this many digits in a row: such a run reads as a card number to log scanners. */
const MAX_DIGIT_RUN = 11;

function trailingDigits(text: string): number {
  let n = 0;
  while (n < text.length && /\d/.test(text[text.length - 1 - n] as string)) n++;
  return n;
}

/**
 * Crockford base32 characters for `bytes`, one per byte — except that a character which would make
 * the run of digits (`digitsBefore` of them end the text it follows) reach 12 is drawn from the
 * letters instead, so no id carries a card-number-like run of 12+ digits (issue #12: error bodies
 * and `Request-Id` never show one).
 *
 * @example
 * randomChars(new Uint8Array([3, 3, 3]), 10) // '3' then letters: '3W…'-like, never 12 digits
 */
export function randomChars(bytes: Uint8Array, digitsBefore = 0): string {
  let run = digitsBefore;
  let out = '';
  for (const byte of bytes) {
    let c = ALPHABET[byte & 31] as string;
    if (byte % 32 < 10) {
      if (run >= MAX_DIGIT_RUN) c = ALPHABET[10 + (byte % 22)] as string;
      else run++;
    }
    if (c >= 'A') run = 0;
    out += c;
  }
  return out;
}

/** A random url-safe token of `bytes` random bytes. */
export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}
