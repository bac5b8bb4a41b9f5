// npm run demo:erp -- --erp quickbooks [--dry-run --out-dir DIR]
// A sandbox platform with demo spend, the ERP's emulator, openissuing-sync, and the reconciliation.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  formatMoney,
  loadErpEmulator,
  loadSyncConfig,
  openSync,
  reconcile,
  renderReconciliationHtml,
} from '@openissuing/connector-core';
import { startPlatform } from '@openissuing/platform';
import { OpenIssuing } from '@openissuing/sdk';
import { ERPS } from './erps.ts';
import { createDemoSpend } from './spend.ts';

const { values } = parseArgs({
  options: {
    erp: { type: 'string', default: 'quickbooks' },
    'dry-run': { type: 'boolean' },
    'out-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(`npm run demo:erp -- --erp ${ERPS.join('|')} [--dry-run --out-dir DIR]`);
  process.exit(0);
}
const erp = values.erp as string;
if (!(ERPS as readonly string[]).includes(erp)) {
  console.error(`--erp must be one of ${ERPS.join(', ')}; got "${erp}"`);
  process.exit(1);
}

const plugin = await loadErpEmulator(erp).catch((err: Error) => {
  console.error(`${err.message}\n(${erp} is not in this checkout yet)`);
  process.exit(1);
});
const dir = resolve(values['out-dir'] ?? (await mkdtemp(join(tmpdir(), `openissuing-demo-${erp}-`))));
await mkdir(dir, { recursive: true });

console.log(`Starting a sandbox platform with demo spend and the ${plugin.title} emulator…`);
const platform = await startPlatform();
const client = new OpenIssuing({ apiKey: platform.apiKey, baseUrl: platform.url });
await createDemoSpend(client);
const emulator = await plugin.start();
try {
  await writeFile(join(dir, 'mapping.json'), `${JSON.stringify(emulator.mapping, null, 2)}\n`);
  for (const [name, content] of Object.entries(emulator.files)) await writeFile(join(dir, name), content);
  await writeFile(
    join(dir, 'openissuing-sync.json'),
    `${JSON.stringify(
      {
        mapping: './mapping.json',
        source: { platform: { baseUrl: platform.url, apiKeyEnv: 'OPENISSUING_API_KEY' } },
        state: { dataDir: './state' },
        connector: emulator.connector,
      },
      null,
      2,
    )}\n`,
  );
  const env = { ...process.env, ...emulator.env, OPENISSUING_API_KEY: platform.apiKey };
  const sync = await openSync(await loadSyncConfig(join(dir, 'openissuing-sync.json')), { env });
  try {
    if (values['dry-run']) {
      const preview = await sync.engine.preview();
      for (const r of preview.requests) await writeFile(join(dir, r.fileName), r.body);
      console.log(
        `Dry run: ${preview.entries} entries in ${preview.requests.length} request(s), nothing posted:`,
      );
      for (const r of preview.requests) console.log(`  ${join(dir, r.fileName)} — ${r.description}`);
    } else {
      const report = await sync.engine.run();
      console.log(
        `Synced: ${report.posted} posted, ${report.foundExisting} already in ${plugin.title}, ${report.deadLettered} dead-lettered, in ${report.durationMs} ms.`,
      );
      const today = new Date().toISOString().slice(0, 10);
      const rec = await reconcile({
        source: sync.source,
        adapter: sync.adapter,
        mapping: sync.mapping,
        store: sync.store,
        from: today,
        to: today,
      });
      for (const t of rec.totals) {
        console.log(
          `  ${t.currency}: platform ${t.platformCount} tx ${formatMoney(t.platform, t.currency)} · ${plugin.title} ${t.erpCount} tx ${formatMoney(t.erp, t.currency)} · difference ${formatMoney(t.difference, t.currency)}`,
        );
      }
      for (const i of rec.issues) console.log(`  ${i.externalRef} ${i.kind}: ${i.reason}`);
      const html = join(dir, 'reconciliation.html');
      await writeFile(html, renderReconciliationHtml(rec));
      console.log(`${rec.matched ? 'Matched.' : `${rec.issues.length} issue(s).`} Report: ${html}`);
      process.exitCode = rec.matched ? 0 : 2;
    }
  } finally {
    await sync.close();
  }
  console.log(
    `\nThe config, mapping and state are in ${dir}. Try the CLI on them: npx openissuing-sync status --config ${join(dir, 'openissuing-sync.json')}`,
  );
} finally {
  await emulator.close();
  await platform.close();
}
