import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../src/cli/trigger';
import { type Client, start } from './helpers';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const version = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  .version as string;
let platform: Awaited<ReturnType<typeof start>>['platform'];
let api: Client;
const env = () => ({ ...process.env, OPENISSUING_API_KEY: platform.apiKey, LOG_LEVEL: 'warn' });

beforeAll(async () => {
  ({ platform, api } = await start({ apiKey: 'sk_test_cli_suite_key' }));
});
afterAll(async () => {
  await platform.close();
});

async function exit(args: string[], options: { env?: NodeJS.ProcessEnv } = {}) {
  return run(process.execPath, [cli, ...args], { env: options.env ?? env() }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );
}

/** Starts a long-running command and resolves once its stdout matches. */
function startUntil(args: string[], ready: RegExp, extraEnv: Record<string, string> = {}) {
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...env(), ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => {
    output.stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    output.stderr += d.toString();
  });
  const matched = new Promise<RegExpExecArray>((resolve, reject) => {
    const check = () => {
      const m = ready.exec(output.stdout);
      if (m) resolve(m);
    };
    child.stdout.on('data', check);
    child.once('exit', (code) =>
      reject(new Error(`exited ${code} before ready:\n${output.stdout}\n${output.stderr}`)),
    );
  });
  const stop = () =>
    new Promise<number | null>((resolve) => {
      if (child.exitCode !== null) return resolve(child.exitCode);
      child.once('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    });
  return { child, output, matched, stop };
}

describe('openissuing CLI', () => {
  it('has a build to run (npm run build -w @openissuing/platform)', () => {
    expect(existsSync(cli)).toBe(true);
  });

  it('answers --help/-h and --version/-v with exit 0, at the top and for every command', async () => {
    const top = await exit(['--help']);
    expect(top.code).toBe(0);
    const commands = [...top.stdout.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1] as string);
    expect(commands).toEqual(['serve', 'seed', 'listen', 'trigger']);
    for (const prefix of [[], ...commands.map((c) => [c])]) {
      for (const flag of ['--help', '-h']) {
        const out = await exit([...prefix, flag]);
        expect(out.code, `${prefix.join(' ')} ${flag}`).toBe(0);
        expect(out.stdout).toMatch(
          prefix[0] ? new RegExp(`^Usage: openissuing ${prefix[0]}`) : /Usage: openissuing <command>/,
        );
      }
      for (const flag of ['--version', '-v']) {
        const out = await exit([...prefix, flag]);
        expect(out.code, `${prefix.join(' ')} ${flag}`).toBe(0);
        expect(out.stdout.trim()).toBe(`openissuing ${version} (@openissuing/platform, API 2026-11-01)`);
      }
    }
    expect((await exit(['help', 'listen'])).stdout).toMatch(/^Usage: openissuing listen/);
  });

  it('explains bad usage with exit 2 and names the fix', async () => {
    const port = await exit(['serve', '--port', 'abc']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain("--port: 'abc' is not a port number");
    expect(port.stderr).toContain('openissuing serve --help');
    const unknown = await exit(['--hlep']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown command '--hlep'");
    const flag = await exit(['seed', '--colour']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/Unknown option '--colour'/);
    const noKey = await exit(['trigger', 'card.created'], {
      env: { ...process.env, OPENISSUING_API_KEY: '' },
    });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('Set OPENISSUING_API_KEY');
    const badType = await exit(['trigger', 'card.exploded', '--url', platform.url]);
    expect(badType.code).toBe(2);
    expect(badType.stderr).toContain("'card.exploded' is not an event type");
    const noTarget = await exit(['listen']);
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toContain('--forward-to is required');
  });

  it('a bad key is a clear error that names the variable', async () => {
    const out = await exit(['serve', '--memory', '--port', '0'], {
      env: { ...process.env, OPENISSUING_API_KEY: 'sk_test_short' },
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('OPENISSUING_API_KEY');
    expect(out.stderr).toContain('sk_test_local_sandbox_key');
  });

  it('seed loads the demo data set into a running platform', async () => {
    const { stdout } = await run(process.execPath, [cli, 'seed', '--url', platform.url], { env: env() });
    const seeded = JSON.parse(stdout) as { cards: Record<string, string> };
    expect(Object.keys(seeded.cards)).toHaveLength(6);
    const cards = (await api.get('/cards?limit=100')).body.data;
    expect(cards.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining(Object.values(seeded.cards)),
    );
  });
});

describe('openissuing listen and trigger', () => {
  let receiver: Server;
  let receiverUrl: string;
  let secret = '';
  let answer: (type: string) => { status: number; body: string } = () => ({ status: 204, body: '' });
  const received: { type: string; verified: boolean }[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        let verified = false;
        let type = '?';
        try {
          type = (new Webhook(secret).verify(body, req.headers as Record<string, string>) as { type: string })
            .type;
          verified = true;
        } catch {}
        received.push({ type, verified });
        const { status, body: out } = answer(type);
        res.writeHead(status, { 'content-type': 'application/json' }).end(out);
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks`;
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it('listen forwards signed deliveries of every triggered event type, prints each, and removes its endpoint', async () => {
    const listen = startUntil(
      ['listen', '--url', platform.url, '--forward-to', receiverUrl],
      /signing secret: (whsec_\S+)\s+\(endpoint (we_\w+)/,
    );
    let endpointId = '';
    try {
      const [, printedSecret, id] = await listen.matched;
      secret = printedSecret as string;
      endpointId = id as string;
      const endpoint = (await api.get(`/webhook_endpoints/${endpointId}`)).body;
      expect(endpoint.status).toBe('enabled');
      const deliverable = EVENT_TYPES.filter((t) => t !== 'authorization.request');
      for (const type of deliverable) {
        const out = await exit(['trigger', type, '--url', platform.url]);
        expect(out.code, `${type}: ${out.stderr}`).toBe(0);
        expect(out.stdout).toContain(`Triggered ${type}`);
        expect(out.stdout).toMatch(new RegExp(`^ {2}${type.replace('.', '\\.')} +evt_`, 'm'));
      }
      // Deliveries are asynchronous (the outbox); wait until each type has arrived, bounded.
      for (let i = 0; i < 200 && !deliverable.every((t) => received.some((r) => r.type === t)); i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      for (const type of deliverable)
        expect(
          received.some((r) => r.type === type && r.verified),
          type,
        ).toBe(true);
      expect(received.every((r) => r.verified)).toBe(true);
      expect(listen.output.stdout).toMatch(/transaction\.created +evt_\w+ +→ 204/);
    } finally {
      expect(await listen.stop()).toBe(0);
    }
    expect(listen.output.stdout).toContain(`Removed endpoint ${endpointId}`);
    const gone = await api.get(`/webhook_endpoints/${endpointId}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({
      code: 'resource_missing',
      param: 'webhook_endpoint',
      detail: `webhook_endpoint: no webhook endpoint '${endpointId}' exists.`,
    });
  }, 90_000);

  it("relays the receiver's answer: a real-time authorization.request decision, and failures the platform retries", async () => {
    answer = (type) =>
      type === 'authorization.request'
        ? { status: 200, body: JSON.stringify({ approved: false, reason: 'Declined by the local handler' }) }
        : { status: 503, body: '{}' };
    received.length = 0;
    const listen = startUntil(
      [
        'listen',
        '--url',
        platform.url,
        '--forward-to',
        receiverUrl,
        '--events',
        'authorization.request,card.created',
      ],
      /signing secret: (whsec_\S+)/,
    );
    try {
      secret = (await listen.matched)[1] as string;
      const out = await exit(['trigger', 'authorization.request', '--url', platform.url]);
      expect(out.code, out.stderr).toBe(0);
      const auth = (await api.get('/authorizations?limit=1')).body.data[0];
      expect(auth.approved).toBe(false);
      expect(auth.decision.reason).toBe('webhook_declined');
      for (let i = 0; i < 100 && !/card\.created +evt_\w+ +→ 503/.test(listen.output.stdout); i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(listen.output.stdout).toMatch(/card\.created +evt_\w+ +→ 503/);
      expect(listen.output.stdout).toMatch(/authorization\.request +evt_\w+ +→ 200/);
    } finally {
      answer = () => ({ status: 204, body: '' });
      expect(await listen.stop()).toBe(0);
    }
  }, 60_000);
});

describe('serve logs', () => {
  let serve: ReturnType<typeof startUntil> | undefined;
  let child: ChildProcess | undefined;
  afterAll(async () => {
    await serve?.stop();
    child?.kill();
  });

  it('writes JSON lines to stderr when it is not a terminal, at LOG_LEVEL, without keys or card data', async () => {
    serve = startUntil(['serve', '--memory', '--port', '0'], /listening on (http:\/\/\S+)/, {
      LOG_LEVEL: 'info',
    });
    const url = (await serve.matched)[1] as string;
    const headers = { authorization: `Bearer ${platform.apiKey}`, 'content-type': 'application/json' };
    await fetch(`${url}/topups`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ amount: 5000, currency: 'usd' }),
    });
    const holder = await (
      await fetch(`${url}/cardholders`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ type: 'individual', name: 'Log Test', email: 'log@example.com' }),
      })
    ).json();
    const card = await (
      await fetch(`${url}/cards`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ cardholder: holder.id, type: 'virtual', currency: 'usd' }),
      })
    ).json();
    const key = await (
      await fetch(`${url}/ephemeral_keys`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ card: card.id }),
      })
    ).json();
    const details = await (
      await fetch(`${url}/cards/${card.id}/details`, { headers: { authorization: `Bearer ${key.secret}` } })
    ).json();
    await fetch(`${url}/cards/${card.id}?expand=nothing`, { headers });
    for (let i = 0; i < 50 && !serve.output.stderr.includes('/details'); i++)
      await new Promise((r) => setTimeout(r, 50));

    const lines = serve.output.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ level: 30, msg: 'listening', url });
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests.map((r) => `${r.method} ${r.status}`)).toEqual(
      expect.arrayContaining(['POST 201', 'GET 200']),
    );
    const detailsLine = requests.find((r) => String(r.path).endsWith('/details'));
    expect(detailsLine).toMatchObject({
      method: 'GET',
      status: 200,
      request_id: expect.stringMatching(/^req_/),
    });
    expect(typeof detailsLine?.ms).toBe('number');
    const all = serve.output.stdout + serve.output.stderr;
    for (const secret of [platform.apiKey, key.secret, details.number, 'expand=nothing']) {
      expect(all).not.toContain(secret);
    }
    // A 3-digit CVC also occurs inside ports and timestamps by chance: look for it as a number of its own.
    expect(all).not.toMatch(new RegExp(`(?<![0-9])${details.cvc}(?![0-9])`));
  }, 60_000);

  it('LOG_LEVEL=warn keeps request lines out; a bad LOG_LEVEL is a clear error', async () => {
    const quiet = startUntil(['serve', '--memory', '--port', '0'], /listening on (http:\/\/\S+)/, {
      LOG_LEVEL: 'warn',
    });
    try {
      const url = (await quiet.matched)[1] as string;
      await fetch(`${url}/balance`, { headers: { authorization: `Bearer ${platform.apiKey}` } });
      await new Promise((r) => setTimeout(r, 200));
      expect(quiet.output.stderr).toBe('');
    } finally {
      await quiet.stop();
    }
    const bad = await exit(['serve', '--memory', '--port', '0'], { env: { ...env(), LOG_LEVEL: 'loud' } });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("LOG_LEVEL: 'loud' is not a level");
  }, 60_000);
});
