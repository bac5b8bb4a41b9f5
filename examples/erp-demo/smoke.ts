// npm test: the demo works end to end for every ERP installed in this checkout, and --dry-run too.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadErpEmulator } from '@openissuing/connector-core';
import { ERPS } from './erps.ts';

let failed = 0;
let passed = 0;
for (const erp of ERPS) {
  if (
    !(await loadErpEmulator(erp).then(
      () => true,
      () => false,
    ))
  )
    continue; // not in this checkout yet
  const run = spawnSync(process.execPath, ['demo.ts', '--erp', erp], { encoding: 'utf8', timeout: 300_000 });
  const ok = run.status === 0 && /Matched\. Report: .*reconciliation\.html/.test(run.stdout);
  console.log(`${ok ? 'ok' : 'FAIL'} demo:erp --erp ${erp}${ok ? '' : `\n${run.stdout}\n${run.stderr}`}`);
  ok ? passed++ : failed++;
  const out = mkdtempSync(join(tmpdir(), `oi-demo-dry-${erp}-`));
  const dry = spawnSync(process.execPath, ['demo.ts', '--erp', erp, '--dry-run', '--out-dir', out], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  const files = readdirSync(out).filter((f) => /^\d{4}-/.test(f));
  const dryOk = dry.status === 0 && files.length > 0 && /nothing posted/.test(dry.stdout);
  console.log(
    `${dryOk ? 'ok' : 'FAIL'} demo:erp --erp ${erp} --dry-run (${files.length} payload files)${dryOk ? '' : `\n${dry.stdout}\n${dry.stderr}`}`,
  );
  dryOk ? passed++ : failed++;
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
