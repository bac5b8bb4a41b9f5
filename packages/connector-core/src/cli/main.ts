#!/usr/bin/env node
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../clock.js';
import type { SyncEvent } from '../engine.js';
import { formatMoney } from '../money.js';
import { renderReconciliationHtml } from '../reconcile/html.js';
import { reconcile } from '../reconcile/reconcile.js';
import { createWebhookConsumer, type PlatformEvent } from '../webhook.js';
import { loadSyncConfig, openSync } from './config.js';
import { COMMANDS, type Command, HELP } from './help.js';
import { platformUnreachable } from './platform-unreachable.js';
import { createProgress } from './progress.js';

async function version(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c', default: 'openissuing-sync.json' },
      progress: { type: 'boolean' },
      'no-progress': { type: 'boolean' },
      json: { type: 'boolean' },
      'out-json': { type: 'string' },
      'out-html': { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      interval: { type: 'string', default: '30' },
      'webhook-port': { type: 'string' },
      'webhook-secret-env': { type: 'string', default: 'OPENISSUING_WEBHOOK_SECRET' },
      'dry-run': { type: 'boolean' },
      'out-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  const command = positionals[0];
  if (values.version) {
    process.stdout.write(`openissuing-sync ${await version()}\n`);
    return 0;
  }
  if (values.help) {
    process.stdout.write(`${command && command in COMMANDS ? COMMANDS[command as Command] : HELP}\n`);
    return 0;
  }
  if (!command) {
    process.stderr.write(`${HELP}\n`);
    return 1;
  }
  if (!(command in COMMANDS)) {
    process.stderr.write(`unknown command "${command}"\n${HELP}\n`);
    return 1;
  }
  if (values['dry-run'] && (command !== 'run' || !values['out-dir'])) {
    throw new Error(
      '--dry-run goes with run and needs --out-dir DIR (where the request payloads are written)',
    );
  }
  const config = await loadSyncConfig(values.config as string);
  const showProgress = values['no-progress'] ? false : (values.progress ?? process.stderr.isTTY === true);
  const progress = showProgress && !values['dry-run'] ? createProgress() : null;
  const onEvent = (e: SyncEvent) => {
    progress?.update(e);
    if (e.type === 'dead') process.stderr.write(`dead-letter ${e.externalRef}: ${e.message}\n`);
  };
  const sync = await openSync(config, { onEvent });
  const abort = new AbortController();
  const stop = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    switch (command as Command) {
      case 'run': {
        if (values['dry-run']) {
          const dir = values['out-dir'] as string;
          const preview = await sync.engine.preview(abort.signal);
          await mkdir(dir, { recursive: true });
          for (const r of preview.requests) await writeFile(join(dir, r.fileName), r.body);
          await writeFile(
            join(dir, 'index.json'),
            JSON.stringify(
              {
                erp: sync.adapter.name,
                entries: preview.entries,
                alreadyInErp: preview.alreadyInErp,
                unmappable: preview.unmappable,
                requests: preview.requests.map((r) => ({
                  file: r.fileName,
                  description: r.description,
                  externalRefs: r.externalRefs,
                })),
              },
              null,
              2,
            ),
          );
          const summary = `dry run: ${preview.entries} entr${preview.entries === 1 ? 'y' : 'ies'} in ${preview.requests.length} request(s) written to ${dir}; nothing was posted${preview.unmappable.length ? `; ${preview.unmappable.length} transaction(s) cannot be mapped (see index.json)` : ''}`;
          process.stdout.write(
            values.json
              ? `${JSON.stringify({ ...preview, requests: preview.requests.map((r) => r.fileName) })}\n`
              : `${summary}\n`,
          );
          return 0;
        }
        const report = await sync.engine.run(abort.signal);
        progress?.stop();
        const line = `ingested ${report.ingested}, posted ${report.posted}, already in ERP ${report.foundExisting}, dead-lettered ${report.deadLettered}, retries ${report.retries} in ${report.durationMs} ms`;
        if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
        else process.stdout.write(`${line}\n`);
        return report.counts.dead > 0 ? 2 : 0;
      }
      case 'watch': {
        const seconds = Number(values.interval);
        if (!Number.isFinite(seconds) || seconds <= 0)
          throw new Error('--interval must be a positive number of seconds');
        let server: ReturnType<typeof createServer> | null = null;
        if (values['webhook-port']) {
          const secret = process.env[values['webhook-secret-env'] as string];
          const client = sync.client as {
            webhooks?: {
              unwrap(body: string, headers: Record<string, string>, secret?: string): PlatformEvent;
            };
          } | null;
          const webhooks = client?.webhooks;
          if (!secret || !webhooks) {
            throw new Error(
              `webhooks need a platform source and ${values['webhook-secret-env']} set to the endpoint's whsec_ secret`,
            );
          }
          const consume = createWebhookConsumer({
            engine: sync.engine,
            unwrap: (body, headers) => webhooks.unwrap(body, headers, secret),
          });
          server = createServer((req, res) => {
            const chunks: Buffer[] = [];
            req.on('data', (c: Buffer) => chunks.push(c));
            req.on('end', () => {
              consume(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>).then(
                () => res.writeHead(204).end(),
                (err: Error) => res.writeHead(400, { 'content-type': 'text/plain' }).end(err.message),
              );
            });
          });
          server.listen(Number(values['webhook-port']), '127.0.0.1');
        }
        while (!abort.signal.aborted) {
          const report = await sync.engine.run(abort.signal).catch((err: Error) => {
            if (abort.signal.aborted) return null;
            throw err;
          });
          if (report) {
            process.stdout.write(
              `${new Date().toISOString()} posted ${report.posted}, dead ${report.counts.dead}, pending ${report.counts.pending + report.counts.in_doubt}\n`,
            );
          }
          await systemClock.sleep(seconds * 1000, abort.signal).catch(() => undefined);
        }
        server?.close();
        return 0;
      }
      case 'status': {
        const counts = await sync.store.counts();
        const dead = await sync.store.deadLetters();
        const cursor = await sync.store.getCursor();
        if (values.json) {
          process.stdout.write(
            `${JSON.stringify({ counts, cursor, deadLetters: dead.map((d) => ({ externalRef: d.externalRef, code: d.errorCode, message: d.errorMessage, attempts: d.attempts })) })}\n`,
          );
        } else {
          process.stdout.write(
            `posted ${counts.posted} · pending ${counts.pending} · in doubt ${counts.in_doubt} · dead-lettered ${counts.dead}\ncursor: ${cursor ? `${cursor.createdAt} ${cursor.id}` : '(none)'}\n`,
          );
          for (const d of dead)
            process.stdout.write(`  ${d.externalRef}  [${d.errorCode}] ${d.errorMessage}\n`);
        }
        return counts.dead > 0 ? 2 : 0;
      }
      case 'reconcile': {
        if (!values.from || !values.to)
          throw new Error('reconcile needs --from YYYY-MM-DD and --to YYYY-MM-DD');
        const report = await reconcile({
          source: sync.source,
          adapter: sync.adapter,
          mapping: sync.mapping,
          store: sync.store,
          from: values.from,
          to: values.to,
        });
        if (values['out-json']) await writeFile(values['out-json'], JSON.stringify(report, null, 2));
        if (values['out-html']) await writeFile(values['out-html'], renderReconciliationHtml(report));
        if (values.json) {
          process.stdout.write(`${JSON.stringify(report)}\n`);
          return report.matched ? 0 : 2;
        }
        for (const t of report.totals) {
          process.stdout.write(
            `${t.currency}: platform ${t.platformCount} tx ${formatMoney(t.platform, t.currency)} · ERP ${t.erpCount} tx ${formatMoney(t.erp, t.currency)} · difference ${formatMoney(t.difference, t.currency)}\n`,
          );
        }
        for (const i of report.issues) process.stdout.write(`  ${i.externalRef} ${i.kind}: ${i.reason}\n`);
        process.stdout.write(report.matched ? 'matched\n' : `${report.issues.length} issue(s)\n`);
        return report.matched ? 0 : 2;
      }
      case 'retry-dead': {
        const n = await sync.store.requeueDead(positionals.length > 1 ? positionals.slice(1) : undefined);
        process.stdout.write(
          `requeued ${n} dead-lettered transaction(s); run \`openissuing-sync run\` to post them\n`,
        );
        return 0;
      }
      default:
        return 1;
    }
  } catch (err) {
    throw platformUnreachable(err, config, values.config as string);
  } finally {
    progress?.stop();
    await sync.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    process.stderr.write(`openissuing-sync: ${err.message}\n`);
    process.exitCode = 1;
  },
);
