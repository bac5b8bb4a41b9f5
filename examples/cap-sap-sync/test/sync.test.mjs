// Runs the example CAP app with cds.test against the SAP emulator: sync, status and reconcile
// through OpenIssuingSyncService, exactly as a CAP developer would call them.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startSapEmulator } from '@openissuing/connector-sap/testing';
import cds from '@sap/cds';

const sap = await startSapEmulator({ latencyMs: 5 });
// a BTP destination, resolved by CAP from the `destinations` environment variable (no secret in a file)
process.env.destinations = JSON.stringify([
  { name: 'S4HANA', url: sap.url, username: sap.emulator.username, password: sap.emulator.password },
]);
process.env.CDS_LOG_LEVELS_REMOTE = 'error';
const { POST, GET } = cds.test(join(dirname(fileURLToPath(import.meta.url)), '..'));
const auth = { auth: { username: 'finance', password: 'finance' } };
after(() => sap.close());

test('sync books the demo spend into SAP; status and reconcile agree', async () => {
  // keep the example folder clean: state in memory for the test
  cds.env.requires.openissuing.state = { memory: true };
  const { data: run } = await POST('/openissuing-sync/sync', {}, auth);
  assert.equal(run.ingested, 24);
  assert.equal(run.posted, 24);
  assert.equal(run.counts.dead, 0);
  assert.equal(sap.emulator.documents().length, 24);
  const doc = sap.emulator.documents()[0];
  assert.equal(doc.companyCode, '1010');
  assert.equal(doc.documentType, 'SA');
  assert.ok(doc.items.some((i) => i.costCenter === '10101101' || i.costCenter === '10101301'));

  const { data: again } = await POST('/openissuing-sync/sync', {}, auth);
  assert.equal(again.posted, 0);
  assert.equal(sap.emulator.documents().length, 24);

  const { data: status } = await GET('/openissuing-sync/status()', auth);
  assert.deepEqual(status.counts, { pending: 0, in_doubt: 0, posted: 24, dead: 0 });

  const { data: rec } = await POST(
    '/openissuing-sync/reconcile',
    { from: '2026-11-01', to: '2026-11-30' },
    auth,
  );
  assert.equal(rec.matched, true);
  assert.equal(rec.totals[0].platformCount, 24);
  assert.equal(rec.totals[0].difference, 0);

  // an accountant reverses one document: reconciliation reports it as missing, and why
  sap.emulator.reverse(doc.companyCode, doc.accountingDocument, doc.fiscalYear);
  const { data: after } = await POST(
    '/openissuing-sync/reconcile',
    { from: '2026-11-01', to: '2026-11-30' },
    auth,
  );
  assert.equal(after.matched, false);
  assert.equal(after.reversed.length, 1);
  assert.equal(after.reversed[0].erpId, `${doc.accountingDocument}/${doc.companyCode}/${doc.fiscalYear}`);
  assert.equal(after.issues[0].kind, 'missing_in_erp');
});

test('reconcile rejects bad dates with a message that says how to fix them', async () => {
  await assert.rejects(
    POST('/openissuing-sync/reconcile', { from: '2026-11-30', to: '2026-11-01' }, auth),
    (err) => {
      assert.equal(err.status ?? err.response?.status, 400);
      assert.match(err.message, /from and to as dates \(YYYY-MM-DD\), from ≤ to/);
      return true;
    },
  );
});

test('the service needs an authenticated user', async () => {
  await assert.rejects(
    POST('/openissuing-sync/sync', {}),
    (err) => (err.status ?? err.response?.status) === 401,
  );
});
