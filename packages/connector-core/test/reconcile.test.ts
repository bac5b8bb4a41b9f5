import { afterAll, describe, expect, it } from 'vitest';
import {
  ArraySource,
  MemoryErp,
  openPGlite,
  reconcile,
  renderReconciliationHtml,
  StateStore,
  SyncEngine,
} from '../src/index.js';
import { at, makeTransactions, mapping, must } from './helpers.js';

const db = openPGlite();
afterAll(async () => (await db).close());

describe('reconcile', () => {
  it('matches after a clean sync, then explains every difference', async () => {
    const txs = makeTransactions(60, 21);
    const source = new ArraySource(txs);
    const store = new StateStore(await db);
    await store.init();
    const bad = at(txs, 5).id;
    const erp = new MemoryErp({
      reject: (e) => (e.externalRef === bad ? 'Object Not Found: account inactive' : null),
    });
    await new SyncEngine({ adapter: erp, store, mapping, source, retry: { baseMs: 1, maxMs: 2 } }).run();

    const range = { from: '2026-11-01', to: '2026-11-30' };
    const report = await reconcile({ source, adapter: erp, mapping, store, ...range });
    expect(report.matched).toBe(false);
    expect(report.issues).toEqual([
      expect.objectContaining({
        externalRef: bad,
        kind: 'missing_in_erp',
        reason: expect.stringMatching(/dead-lettered: Object Not Found/),
      }),
    ]);

    // someone deletes one booking in the ERP and double-books another by hand
    erp.remove(at(txs, 10).id);
    const dup = must(erp.all().find((e) => e.externalRef === at(txs, 20).id));
    await erp.post([dup]);
    const later = await reconcile({ source, adapter: erp, mapping, store, ...range });
    const kinds = Object.fromEntries(later.issues.map((i) => [i.externalRef, i.kind]));
    expect(kinds[at(txs, 10).id]).toBe('missing_in_erp');
    expect(kinds[at(txs, 20).id]).toBe('duplicate_in_erp');
    expect(must(later.issues.find((i) => i.externalRef === at(txs, 10).id)).reason).toMatch(
      /recorded it as posted/,
    );

    // totals: platform total minus what is missing, plus the duplicate
    const usd = must(later.totals.find((t) => t.currency === 'USD'));
    const signed = (id: string) => {
      const t = must(txs.find((x) => x.id === id));
      return t.type === 'refund' ? -t.amount : t.amount;
    };
    expect(usd.platform).toBe(txs.reduce((s, t) => s + signed(t.id), 0));
    expect(usd.erp).toBe(usd.platform - signed(bad) - signed(at(txs, 10).id) + signed(at(txs, 20).id));
    expect(later.rows.some((r) => r.difference !== 0)).toBe(true);

    const html = renderReconciliationHtml(later);
    expect(html).toContain('<svg role="img"');
    expect(html).toContain(at(txs, 20).id);
    expect(html).toMatch(/duplicate in erp/);
  });

  it('explains account and amount differences', async () => {
    const txs = makeTransactions(20, 22).map((t) => ({
      ...t,
      merchant_data: { name: 'Google Ads', mcc: '7311', category: 'advertising' },
      card: 'ic_general',
      type: 'capture' as const,
    }));
    const source = new ArraySource(txs);
    const erp = new MemoryErp();
    const store = new StateStore({ ...(await db), close: async () => {} }, { tablePrefix: 'rec2' });
    await store.init();
    await new SyncEngine({ adapter: erp, store, mapping, source }).run();
    // the rules changed after posting: advertising now maps elsewhere
    const changed = { ...mapping, rules: [{ category: 'advertising', account: 'Brand Marketing' }] };
    const report = await reconcile({
      source,
      adapter: erp,
      mapping: changed,
      store,
      from: '2026-11-01',
      to: '2026-11-30',
    });
    expect(report.issues).toHaveLength(20);
    expect(at(report.issues, 0)).toMatchObject({
      kind: 'account_differs',
      reason: expect.stringMatching(/mapped to "Brand Marketing" but booked to "Advertising"/),
    });
    // someone edits an amount in the ERP
    const edited = must(erp.all()[0]);
    for (const line of edited.lines) line.amount += 100;
    const again = await reconcile({
      source,
      adapter: erp,
      mapping,
      store,
      from: '2026-11-01',
      to: '2026-11-30',
    });
    expect(again.issues).toEqual([
      expect.objectContaining({
        externalRef: edited.externalRef,
        kind: 'amount_differs',
        reason: expect.stringMatching(/edited in the ERP/),
      }),
    ]);
    expect(again.rows.filter((r) => r.difference !== 0)).toEqual([
      expect.objectContaining({ account: 'Advertising', difference: 100 }),
    ]);
  });
});
