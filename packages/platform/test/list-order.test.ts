import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, authorize, type Client, seedCard, start } from './helpers';

let platform: Awaited<ReturnType<typeof start>>['platform'];
let api: Client;
let cardId: string;
const created: string[] = [];

type Row = { id: string; created_at: string };

/** Walks a list page by page, checking every page against the previous ones. */
async function walk(path: string, limit: number): Promise<{ rows: Row[]; pages: number }> {
  const rows: Row[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res: ApiResponse = await api.get(
      `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.length).toBeLessThanOrEqual(limit);
    rows.push(...res.body.data);
    cursor = res.body.next_cursor;
    expect(cursor === null).toBe(!res.body.has_more);
    pages++;
  } while (cursor);
  return { rows, pages };
}

function key(r: Row): [number, string] {
  return [Date.parse(r.created_at), r.id];
}
function ascending(a: Row, b: Row): number {
  const [ta, ia] = key(a);
  const [tb, ib] = key(b);
  return ta !== tb ? ta - tb : ia < ib ? -1 : ia > ib ? 1 : 0;
}

beforeAll(async () => {
  ({ platform, api } = await start());
  const { card } = await seedCard(api);
  cardId = card.id;
  for (let i = 0; i < 7; i++) {
    const auth = await authorize(api, cardId, 100 + i);
    expect(auth.status).toBe(200);
    expect(auth.body.approved, JSON.stringify(auth.body)).toBe(true);
    const cap = await api.post(`/test_helpers/authorizations/${auth.body.id}/capture`);
    expect(cap.status).toBe(200);
    expect(cap.body.transactions).toHaveLength(1);
    created.push(cap.body.transactions[0]);
  }
});
afterAll(async () => {
  await platform.close();
});

describe('list order', () => {
  it('lists transactions oldest first with order=asc, newest first by default', async () => {
    const asc = await api.get(`/transactions?card=${cardId}&order=asc&limit=100`);
    expect(asc.body.data.map((t: Row) => t.id)).toEqual(created);
    const desc = await api.get(`/transactions?card=${cardId}&limit=100`);
    expect(desc.body.data.map((t: Row) => t.id)).toEqual([...created].reverse());
    const explicit = await api.get(`/transactions?card=${cardId}&order=desc&limit=100`);
    expect(explicit.body.data).toEqual(desc.body.data);
  });

  it('pages forward across pages without duplicates or gaps, in both orders', async () => {
    for (const limit of [1, 2, 3, 7]) {
      const asc = await walk(`/transactions?card=${cardId}&order=asc`, limit);
      expect(asc.rows.map((r) => r.id)).toEqual(created);
      expect(asc.pages).toBe(Math.ceil(created.length / limit));
      const desc = await walk(`/transactions?card=${cardId}`, limit);
      expect(desc.rows.map((r) => r.id)).toEqual([...created].reverse());
    }
  });

  it('breaks ties on creation time by id (events share timestamps)', async () => {
    const asc = await walk('/events?order=asc', 4);
    const desc = await walk('/events?order=desc', 5);
    expect(asc.rows.length).toBeGreaterThan(10);
    expect(new Set(asc.rows.map((r) => r.id)).size).toBe(asc.rows.length);
    expect(asc.rows).toEqual([...asc.rows].sort(ascending));
    expect(asc.rows.map((r) => r.id)).toEqual(desc.rows.map((r) => r.id).reverse());
  });

  it('pages authorizations forward from created_gte', async () => {
    const all = await walk(`/authorizations?card=${cardId}&order=asc`, 100);
    const from = all.rows[3] as Row;
    const rest = await walk(
      `/authorizations?card=${cardId}&order=asc&created_gte=${encodeURIComponent(from.created_at)}`,
      2,
    );
    expect(rest.rows.map((r) => r.id)).toEqual(
      all.rows.filter((r) => Date.parse(r.created_at) >= Date.parse(from.created_at)).map((r) => r.id),
    );
    expect(rest.rows.map((r) => r.id)).toContain(from.id);
  });

  it('refuses a cursor used with the other order, naming cursor', async () => {
    const asc = await api.get(`/transactions?card=${cardId}&order=asc&limit=2`);
    const ascCursor = encodeURIComponent(asc.body.next_cursor);
    const mismatched = await api.get(`/transactions?card=${cardId}&limit=2&cursor=${ascCursor}`);
    expect(mismatched.status).toBe(400);
    expect(mismatched.body).toMatchObject({ code: 'parameter_invalid', param: 'cursor' });
    expect(mismatched.body.detail).toMatch(/order=asc/);

    const desc = await api.get(`/transactions?card=${cardId}&limit=2`);
    const descCursor = encodeURIComponent(desc.body.next_cursor);
    const back = await api.get(`/transactions?card=${cardId}&order=asc&limit=2&cursor=${descCursor}`);
    expect(back.status).toBe(400);
    expect(back.body).toMatchObject({ code: 'parameter_invalid', param: 'cursor' });
    expect(back.body.detail).toMatch(/order=desc/);
  });

  it('refuses an unknown order value and a forged cursor', async () => {
    const bad = await api.get('/transactions?order=sideways');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'parameter_invalid', param: 'order' });
    const forged = await api.get(
      `/transactions?order=asc&cursor=${Buffer.from('{"o":"up"}').toString('base64url')}`,
    );
    expect(forged.status).toBe(400);
    expect(forged.body).toMatchObject({ code: 'parameter_invalid', param: 'cursor' });
    const gone = await api.get(
      `/transactions?order=asc&cursor=${Buffer.from('{"o":"asc","id":"itx_missing"}').toString('base64url')}`,
    );
    expect(gone.status).toBe(400);
    expect(gone.body).toMatchObject({ code: 'parameter_invalid', param: 'cursor' });
  });

  it('still accepts a bare id as a newest-first cursor', async () => {
    const page = await api.get(`/transactions?card=${cardId}&limit=100&cursor=${created[3]}`);
    expect(page.status).toBe(200);
    expect(page.body.data.map((t: Row) => t.id)).toEqual(created.slice(0, 3).reverse());
  });
});
