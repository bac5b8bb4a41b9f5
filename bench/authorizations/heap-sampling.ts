/**
 * Preload for `cpu.ts --alloc` (`node --import ./heap-sampling.ts cli.js serve`): the bytes the
 * platform allocates during a measured round, a load-independent figure (CPU time per operation moves
 * 2× with this VM's speed; the bytes an authorization allocates do not). Each SIGUSR2 toggles V8's
 * sampling heap profiler, counting every sampled allocation — also the objects collected since —
 * so the total is what was allocated, not what survived. On the second signal it writes
 * `{ bytes, top }` (the largest allocating functions) as JSON to `OPENISSUING_BENCH_ALLOC_FILE`.
 * Not a test; never loaded by the platform itself.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children?: ProfileNode[];
}

const out = process.env.OPENISSUING_BENCH_ALLOC_FILE;
const session = new Session();
session.connect();
let sampling = false;

/** Total sampled bytes and the functions that allocated most of them (self bytes). */
function summarize(head: ProfileNode): { bytes: number; top: Array<{ name: string; bytes: number }> } {
  const byFunction = new Map<string, number>();
  let bytes = 0;
  const stack = [head];
  for (let node = stack.pop(); node; node = stack.pop()) {
    bytes += node.selfSize;
    const f = node.callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').at(-1) ?? ''}:${f.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + node.selfSize);
    stack.push(...(node.children ?? []));
  }
  const top = [...byFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([name, b]) => ({ name, bytes: b }));
  return { bytes, top };
}

process.on('SIGUSR2', async () => {
  if (!sampling) {
    sampling = true;
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    return;
  }
  sampling = false;
  const { profile } = await session.post('HeapProfiler.stopSampling');
  if (out) writeFileSync(out, JSON.stringify(summarize(profile.head as ProfileNode)));
});
