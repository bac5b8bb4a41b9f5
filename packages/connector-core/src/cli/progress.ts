import cliProgress from 'cli-progress';
import type { SyncEvent } from '../engine.js';

/** Progress bars for long runs: transactions ingested and transactions settled (posted or dead). */
export function createProgress(): { update(e: SyncEvent): void; stop(): void } {
  const multi = new cliProgress.MultiBar(
    { clearOnComplete: false, hideCursor: true, format: ' {name} |{bar}| {value}/{total} {extra}' },
    cliProgress.Presets.shades_classic,
  );
  const settled = multi.create(0, 0, { name: 'synced  ', extra: '' });
  let total = 0;
  let done = 0;
  let retries = 0;
  let dead = 0;
  let stopped = false;
  return {
    update(e) {
      if (stopped) return;
      if (e.type === 'ingested') {
        total += e.count;
        settled.setTotal(total);
      } else if (e.type === 'posted' || e.type === 'found_existing') done += e.count;
      else if (e.type === 'dead') {
        dead++;
        done++;
      } else if (e.type === 'retry') retries += e.count;
      settled.update(done, { extra: `dead ${dead} · retries ${retries}` });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      multi.stop();
    },
  };
}
