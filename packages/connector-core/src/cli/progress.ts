import cliProgress from 'cli-progress';
import type { SyncEvent } from '../engine.js';

/** Counts of a run, as progress reporters show them. */
class Tally {
  total = 0;
  done = 0;
  retries = 0;
  dead = 0;
  jobs = 0;
  update(e: SyncEvent): void {
    if (e.type === 'ingested') this.total += e.count;
    else if (e.type === 'posted' || e.type === 'found_existing') this.done += e.count;
    else if (e.type === 'dead') {
      this.dead++;
      this.done++;
    } else if (e.type === 'retry') this.retries += e.count;
    else if (e.type === 'job_submitted') this.jobs++;
    else if (e.type === 'job_ended') this.jobs--;
  }
  line(): string {
    return `synced ${this.done}/${this.total} · dead ${this.dead} · retries ${this.retries}${this.jobs ? ` · jobs running ${this.jobs}` : ''}`;
  }
}

/**
 * Progress for long runs on stderr: a bar on a terminal; on anything else (a log file, CI) a plain
 * line every `intervalMs` and one at the end.
 */
export function createProgress(
  options: { tty?: boolean; intervalMs?: number; write?: (s: string) => void } = {},
): { update(e: SyncEvent): void; stop(): void } {
  const tally = new Tally();
  let stopped = false;
  if (options.tty ?? process.stderr.isTTY === true) {
    const bar = new cliProgress.SingleBar(
      { clearOnComplete: false, hideCursor: true, format: ' synced |{bar}| {value}/{total} {extra}' },
      cliProgress.Presets.shades_classic,
    );
    bar.start(0, 0, { extra: '' });
    return {
      update(e) {
        if (stopped) return;
        tally.update(e);
        bar.setTotal(tally.total);
        bar.update(tally.done, { extra: `dead ${tally.dead} · retries ${tally.retries}` });
      },
      stop() {
        if (stopped) return;
        stopped = true;
        bar.stop();
      },
    };
  }
  const write = options.write ?? ((s: string) => process.stderr.write(s));
  const timer = setInterval(() => write(`${tally.line()}\n`), options.intervalMs ?? 5000);
  timer.unref();
  return {
    update(e) {
      if (!stopped) tally.update(e);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      write(`${tally.line()}\n`);
    },
  };
}
