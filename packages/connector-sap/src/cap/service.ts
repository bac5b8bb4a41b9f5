import {
  type OpenedSync,
  openSync,
  reconcile,
  type SyncConfig,
  syncConfigSchema,
} from '@openissuing/connector-core';
import type { SapAdapter } from '../adapter.js';

/** The slice of a CAP service and runtime the handlers use. */
interface CapService {
  on(event: string, handler: (req: CapRequest) => unknown): unknown;
}
interface CapRequest {
  data: Record<string, unknown>;
  reject(code: number, message: string): never;
  error?(code: number, message: string): unknown;
}
interface Cds {
  root: string;
  env: { requires: Record<string, unknown> };
  on(event: string, fn: () => unknown): unknown;
  log(name: string): { warn(...a: unknown[]): void; info(...a: unknown[]): void };
}

/**
 * `cds.requires.openissuing`: the `openissuing-sync.json` settings (mapping, source, state, retry),
 * with `connector` holding the SAP connector options (or nothing: then the app's own
 * `cds.requires.API_OPLACCTGDOCITEMCUBE_SRV` / `JournalEntryCreateRequestConfirmation_In` apply).
 */
function configFrom(cds: Cds): SyncConfig {
  const raw = { ...((cds.env.requires.openissuing as Record<string, unknown> | undefined) ?? {}) };
  delete raw.model;
  delete raw.kind;
  const connector = (raw.connector as { options?: Record<string, unknown> } | undefined) ?? {};
  const parsed = syncConfigSchema.safeParse({
    ...raw,
    connector: { module: '@openissuing/connector-sap', options: connector.options ?? {} },
  });
  if (!parsed.success) {
    throw new Error(
      `cds.requires.openissuing is invalid:\n${parsed.error.issues
        .map((i) => `  cds.requires.openissuing.${i.path.join('.')}: ${i.message}`)
        .join('\n')}`,
    );
  }
  return { ...parsed.data, configDir: cds.root };
}

/**
 * Registers the `sync`, `reconcile` and `status` handlers of OpenIssuingSyncService on a CAP
 * service: one sync engine per application (opened on first use, closed on shutdown), runs
 * serialized.
 *
 * @example
 * // srv/openissuing-sync.js (shipped in the package)
 * module.exports = class extends cds.ApplicationService { init() { registerSyncHandlers(this, cds); return super.init(); } };
 */
export function registerSyncHandlers(srv: CapService, cds: Cds): void {
  let opened: Promise<OpenedSync> | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  const open = () => {
    opened ??= openSync(configFrom(cds)).catch((err) => {
      opened = null;
      throw err;
    });
    return opened;
  };
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };
  cds.on('shutdown', async () => {
    if (opened) await (await opened).close();
  });
  const fail = (req: CapRequest, err: unknown) =>
    req.reject(502, `OpenIssuing sync failed: ${err instanceof Error ? err.message : String(err)}`);

  srv.on('sync', (req) =>
    serial(async () => {
      try {
        const report = await (await open()).engine.run();
        const { counts, ...rest } = report;
        return { ...rest, counts };
      } catch (err) {
        return fail(req, err);
      }
    }),
  );

  srv.on('status', (req) =>
    serial(async () => {
      try {
        const sync = await open();
        const [counts, dead, cursor] = await Promise.all([
          sync.store.counts(),
          sync.store.deadLetters(),
          sync.store.getCursor(),
        ]);
        return {
          counts,
          cursor: cursor ? `${cursor.createdAt} ${cursor.id}` : null,
          deadLetters: dead.map((d) => ({
            externalRef: d.externalRef,
            code: d.errorCode,
            message: d.errorMessage,
            attempts: d.attempts,
          })),
        };
      } catch (err) {
        return fail(req, err);
      }
    }),
  );

  srv.on('reconcile', (req) =>
    serial(async () => {
      const from = String(req.data.from ?? '');
      const to = String(req.data.to ?? '');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to) || from > to)
        return req.reject(400, 'reconcile needs from and to as dates (YYYY-MM-DD), from ≤ to');
      try {
        const sync = await open();
        const report = await reconcile({
          source: sync.source,
          adapter: sync.adapter,
          mapping: sync.mapping,
          store: sync.store,
          from,
          to,
        });
        return {
          matched: report.matched,
          totals: report.totals,
          issues: report.issues.map((i) => ({ externalRef: i.externalRef, kind: i.kind, reason: i.reason })),
          reversed: (sync.adapter as Partial<SapAdapter>).lastReversed ?? [],
        };
      } catch (err) {
        return fail(req, err);
      }
    }),
  );
}
