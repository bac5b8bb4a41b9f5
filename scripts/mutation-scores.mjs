// Prints the mutation score on covered code per group of stryker.groups.mjs from Stryker's JSON
// reports (reports/mutation/<group>.json, written by scripts/mutation.mjs), and exits 1 when a group
// is below its threshold or has no report.
//   node scripts/mutation-scores.mjs [group …]
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { groups } from '../stryker.groups.mjs';

const root = new URL('..', import.meta.url).pathname;
const names = process.argv.slice(2);
let failed = false;
console.log('\nmutation score on covered code (killed + timeout) / (killed + timeout + survived):');
for (const name of names.length ? names : Object.keys(groups)) {
  const group = groups[name];
  const path = new URL(`../reports/mutation/${name}.json`, import.meta.url);
  const report = await readFile(path, 'utf8')
    .then((text) => JSON.parse(text))
    .catch(() => null);
  if (!report) {
    console.log(
      `  LOW  ${name.padEnd(16)} no report at reports/mutation/${name}.json: run \`npm run mutation -- ${name}\``,
    );
    failed = true;
    continue;
  }
  const count = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, other: 0 };
  const survivors = [];
  for (const [file, result] of Object.entries(report.files)) {
    const rel = relative(root, file.startsWith('/') ? file : `${root}${file}`);
    // a group file may be a line range of a file, as Stryker's `mutate` takes it: `path:10-20`
    const ranges = group.files
      .map((f) => /^(.*?)(?::(\d+)-(\d+))?$/.exec(f))
      .filter((m) => m?.[1] === rel)
      .map((m) => [Number(m?.[2] ?? 1), Number(m?.[3] ?? Number.POSITIVE_INFINITY)]);
    if (ranges.length === 0) continue;
    const inRange = (line) => ranges.some(([from, to]) => line >= from && line <= to);
    for (const m of result.mutants) {
      if (!inRange(m.location.start.line)) continue;
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
