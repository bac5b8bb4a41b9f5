import type { SqlDriver } from './driver.js';
import { changeStatement, type ItemChange, statementsOf } from './item-changes.js';

type Exec = Pick<SqlDriver, 'query'>;

interface Waiting {
  changes: ItemChange[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Applies changes in order: one statement when no item repeats, else one database transaction. */
export async function applyChanges(
  db: Pick<SqlDriver, 'query' | 'transaction'>,
  changes: readonly ItemChange[],
): Promise<void> {
  const statements = statementsOf(changes);
  const run = async (tx: Exec) => {
    for (const group of statements) {
      const { sql, params } = changeStatement(group, null);
      await tx.query(sql, params);
    }
  };
  if (statements.length === 1) await run(db);
  else if (statements.length > 1) await db.transaction(run);
}

/**
 * Group commit of item changes: a write that arrives while another is being written waits for it and
 * is then written together with every other write that arrived meanwhile — one statement (or one
 * database transaction) for all of them. Each `write` resolves only once its changes are durable, so
 * callers keep their guarantees (an entry is durably in doubt before its request leaves; an outcome is
 * saved before the engine moves on); concurrent requests simply share the round trip. A write that
 * finds the store idle goes at once.
 *
 * @example
 * const writes = new GroupCommit(driver);
 * await writes.write(inDoubtChanges(refs, now, leaseUntil)); // durable when this resolves
 */
export class GroupCommit {
  private waiting: Waiting[] = [];
  private running: Promise<void> | null = null;

  constructor(private readonly db: Pick<SqlDriver, 'query' | 'transaction'>) {}

  /** Writes `changes` (atomically) and resolves once they are durable. */
  write(changes: ItemChange[]): Promise<void> {
    if (changes.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ changes, resolve, reject });
      this.running ??= this.drain();
    });
  }

  /** Resolves when every write handed in so far has been written (or has failed). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    // let this turn of the event loop finish first: writes handed in by the I/O callbacks that are
    // ready now (other requests' answers) join the group
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting;
        this.waiting = [];
        await this.commit(group);
        if (this.waiting.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.running = null;
    }
  }

  private async commit(group: Waiting[]): Promise<void> {
    try {
      await applyChanges(
        this.db,
        group.flatMap((w) => w.changes),
      );
      for (const w of group) w.resolve();
    } catch (err) {
      if (group.length === 1) {
        (group[0] as Waiting).reject(err);
        return;
      }
      // one write's failure must not fail its neighbours: each is tried again alone
      for (const w of group) await applyChanges(this.db, w.changes).then(w.resolve, w.reject);
    }
  }
}
