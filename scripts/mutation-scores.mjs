// Prints the mutation score on covered code per group of stryker.groups.mjs from Stryker's JSON
// report, and exits 1 when a group is below its threshold.
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { groups } from '../stryker.groups.mjs';

const report = JSON.parse(
  await readFile(new URL('../reports/mutation/mutation.json', import.meta.url), 'utf8'),
);
const root = new URL('..', import.meta.url).pathname;
let failed = false;
console.log('\nmutation score on covered code (killed + timeout) / (killed + timeout + survived):');
for (const [name, group] of Object.entries(groups)) {
  const count = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, other: 0 };
  const survivors = [];
  for (const [file, result] of Object.entries(report.files)) {
    const rel = relative(root, file.startsWith('/') ? file : `${root}${file}`);
    if (!group.files.includes(rel)) continue;
    for (const m of result.mutants) {
      if (m.status in count) count[m.status]++;
      else count.other++;
      if (m.status === 'Survived')
        survivors.push(`${rel}:${m.location.start.line} ${m.mutatorName} ${m.replacement ?? ''}`.trim());
    }
  }
  const detected = count.Killed + count.Timeout;
  const covered = detected + count.Survived;
  const score = covered ? (100 * detected) / covered : 100;
  const ok = score >= group.threshold;
  failed ||= !ok;
  console.log(
    `  ${ok ? 'ok  ' : 'LOW '} ${name.padEnd(16)} ${score.toFixed(1).padStart(5)} % (≥ ${group.threshold} %) — ${detected} killed, ${count.Survived} survived, ${count.NoCoverage} not covered`,
  );
  for (const s of survivors) console.log(`         survived: ${s}`);
}
process.exitCode = failed ? 1 : 0;
