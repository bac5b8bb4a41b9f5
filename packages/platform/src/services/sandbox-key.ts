import type { Database } from '../db/database';
import { sql } from '../db/sql';
import type { DataCipher } from '../lib/crypto';
import { generateSecretKey } from './keys';

/**
 * The sandbox's secret key when none is given (`apiKey`, `OPENISSUING_API_KEY`): generated once per
 * database and kept in it, encrypted with the data key, so `serve` on the same data folder (or a
 * second process on the same PostgreSQL) prints the same key on every start. If the data key changed
 * and the stored one cannot be read, a new key replaces it.
 *
 * @example
 * const apiKey = options.apiKey ?? process.env.OPENISSUING_API_KEY ?? (await sandboxSecretKey(db, cipher));
 */
export async function sandboxSecretKey(db: Database, cipher: DataCipher): Promise<string> {
  const candidate = generateSecretKey();
  const sealed = JSON.stringify({ secret_encrypted: cipher.encrypt(candidate) });
  const rows = await db.rows<{ data: { secret_encrypted: string } }>(sql`
    WITH ins AS (INSERT INTO program (id, data) VALUES ('sandbox_secret_key', ${sealed}::jsonb)
                 ON CONFLICT (id) DO NOTHING RETURNING data)
    SELECT data FROM ins UNION ALL SELECT data FROM program WHERE id = 'sandbox_secret_key' LIMIT 1`);
  const stored = rows[0]?.data.secret_encrypted;
  if (!stored) return candidate;
  try {
    return cipher.decrypt(stored);
  } catch {
    await db.rows(sql`UPDATE program SET data = ${sealed}::jsonb WHERE id = 'sandbox_secret_key'`);
    return candidate;
  }
}
