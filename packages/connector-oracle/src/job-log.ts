import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/** One upload as the connector records it, before it is waited on. */
export interface UploadRecord {
  groupId: string;
  /** References in the file, in file order. */
  refs: string[];
  /** CSV records per reference (parallel to refs), to map SQL*Loader record numbers back. */
  lines: number[];
  /** When the upload was about to be sent (ms). */
  at: number;
  /** ESS request id, once Oracle answered; absent when the answer was lost. */
  requestId?: string;
  /** Terminal ESS status, once seen. */
  status?: string;
}

type Event =
  | { t: 'intent'; groupId: string; refs: string[]; lines: number[]; at: number }
  | { t: 'submitted'; groupId: string; requestId: string }
  | { t: 'finished'; groupId: string; status: string };

/**
 * Durable record of uploads: each is written (and synced to disk) before it is sent, its request id
 * as soon as Oracle answers, and its end once seen. After a crash this is what tells the connector that
 * a reference is held by a job that may still run — so it is reported "still unknown", never "absent",
 * and never uploaded twice while that job runs.
 */
export interface JobLog {
  intent(record: Omit<UploadRecord, 'requestId' | 'status'>): Promise<void>;
  submitted(groupId: string, requestId: string): Promise<void>;
  finished(groupId: string, status: string): Promise<void>;
  /** Uploads not known to have finished that hold any of `refs`. */
  unfinished(refs?: string[]): Promise<UploadRecord[]>;
  get(groupId: string): Promise<UploadRecord | undefined>;
}

function apply(map: Map<string, UploadRecord>, e: Event): void {
  if (e.t === 'intent') map.set(e.groupId, { groupId: e.groupId, refs: e.refs, lines: e.lines, at: e.at });
  else {
    const r = map.get(e.groupId);
    if (!r) return;
    if (e.t === 'submitted') r.requestId = e.requestId;
    else r.status = e.status;
  }
}

abstract class BaseJobLog implements JobLog {
  protected abstract load(): Promise<Map<string, UploadRecord>>;
  protected abstract write(e: Event): Promise<void>;
  async intent(record: Omit<UploadRecord, 'requestId' | 'status'>) {
    await this.write({ t: 'intent', ...record });
  }
  async submitted(groupId: string, requestId: string) {
    await this.write({ t: 'submitted', groupId, requestId });
  }
  async finished(groupId: string, status: string) {
    await this.write({ t: 'finished', groupId, status });
  }
  async unfinished(refs?: string[]) {
    const want = refs ? new Set(refs) : null;
    return [...(await this.load()).values()].filter(
      (r) => r.status === undefined && (!want || r.refs.some((x) => want.has(x))),
    );
  }
  async get(groupId: string) {
    return (await this.load()).get(groupId);
  }
}

/** In-memory job log (tests, library use inside one process). */
export class MemoryJobLog extends BaseJobLog {
  private readonly records = new Map<string, UploadRecord>();
  protected async load() {
    return this.records;
  }
  protected async write(e: Event) {
    apply(this.records, e);
  }
}

/**
 * Job log in a JSON-lines file, appended and fsynced per event; finished uploads are dropped when the
 * file is compacted on open.
 *
 * @example
 * const log = await FileJobLog.open('.oracle-jobs.jsonl');
 */
export class FileJobLog extends BaseJobLog {
  private constructor(
    private readonly path: string,
    private readonly records: Map<string, UploadRecord>,
  ) {
    super();
  }

  static async open(path: string): Promise<FileJobLog> {
    const records = new Map<string, UploadRecord>();
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        apply(records, JSON.parse(line) as Event);
      } catch {
        // a torn last line from a crash mid-append: the event before it is what counts
      }
    }
    await mkdir(dirname(path), { recursive: true });
    const log = new FileJobLog(path, records);
    await log.compact();
    return log;
  }

  private async compact(): Promise<void> {
    const live = [...this.records.values()].filter((r) => r.status === undefined);
    const lines = live.flatMap((r) => {
      const out: Event[] = [{ t: 'intent', groupId: r.groupId, refs: r.refs, lines: r.lines, at: r.at }];
      if (r.requestId) out.push({ t: 'submitted', groupId: r.groupId, requestId: r.requestId });
      return out.map((e) => JSON.stringify(e));
    });
    const tmp = `${this.path}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(lines.length ? `${lines.join('\n')}\n` : '');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.path);
  }

  protected async load() {
    return this.records;
  }

  protected async write(e: Event) {
    const fh = await open(this.path, 'a');
    try {
      await fh.write(`${JSON.stringify(e)}\n`);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    apply(this.records, e);
  }
}
