#!/usr/bin/env node
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadErpEmulator } from '../testing/plugin.js';

const HELP = `openissuing-emulator — run an ERP emulator on loopback and print the openissuing-sync config for it

Usage:
  openissuing-emulator <erp> [--port 4300] [--host 127.0.0.1] [--write DIR] [--platform-url URL]

  <erp>            quickbooks, sap, oracle, … — any installed @openissuing/connector-<erp> whose
                   ./testing export provides erpEmulator
  --port P         port to listen on (default: a free one)
  --write DIR      also write DIR/openissuing-sync.json, DIR/mapping.json and the files the connector
                   needs (tokens), ready for "openissuing-sync run --config DIR/openissuing-sync.json"
  --platform-url   the platform the written config pulls from (default http://127.0.0.1:4100, npm run sandbox)
  -h, --help       this help;  -v, --version  the version

Stops on Ctrl-C. The emulator keeps its ledger in memory.`;

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
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      write: { type: 'string' },
      'platform-url': { type: 'string', default: 'http://127.0.0.1:4100' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (values.version) {
    process.stdout.write(`openissuing-emulator ${await version()}\n`);
    return 0;
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const erp = positionals[0];
  if (!erp) {
    process.stderr.write(`${HELP}\n`);
    return 1;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error('--port must be a port number (0–65535)');
  const plugin = await loadErpEmulator(erp);
  const running = await plugin.start({ port, host: values.host as string });
  const config = {
    mapping: './mapping.json',
    source: { platform: { baseUrl: values['platform-url'], apiKeyEnv: 'OPENISSUING_API_KEY' } },
    state: { dataDir: '.openissuing-sync' },
    connector: running.connector,
  };
  if (values.write) {
    const dir = resolve(values.write);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'openissuing-sync.json'), `${JSON.stringify(config, null, 2)}\n`);
    await writeFile(join(dir, 'mapping.json'), `${JSON.stringify(running.mapping, null, 2)}\n`);
    for (const [name, content] of Object.entries(running.files)) await writeFile(join(dir, name), content);
  }
  const env = Object.entries(running.env)
    .map(([k, v]) => `export ${k}=${v}`)
    .join('\n');
  process.stdout.write(
    `${plugin.title} emulator listening on ${running.url}

"connector" for openissuing-sync.json:
${JSON.stringify({ connector: running.connector }, null, 2)}

environment (the emulator's own credentials):
${env || '(none)'}
${Object.keys(running.files).length ? `\nfiles next to openissuing-sync.json: ${Object.keys(running.files).join(', ')}${values.write ? '' : ' (use --write DIR to create them)'}\n` : ''}${values.write ? `\nwrote ${resolve(values.write)}/openissuing-sync.json, mapping.json${Object.keys(running.files).length ? `, ${Object.keys(running.files).join(', ')}` : ''}\n` : ''}
Press Ctrl-C to stop.
`,
  );
  await new Promise<void>((r) => {
    process.once('SIGINT', r);
    process.once('SIGTERM', r);
  });
  await running.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    process.stderr.write(`openissuing-emulator: ${err.message}\n`);
    process.exitCode = 1;
  },
);
