/**
 * The load generator: raw HTTP/1.1 keep-alive sockets (fetch or node:http would cost ten times the
 * CPU per request, on the same two cores the platform runs on). Closed loop (n requests in flight)
 * or open loop (n requests/s at fixed due times). Each response's `approved` and `decision.reason`
 * are read from its body with a substring scan, not a JSON parse.
 */
import net from 'node:net';

export interface LoadResult {
  seconds: number;
  /** Latencies (ms) of 2xx responses, sorted. */
  latencies: number[];
  errors: number;
  approved: number;
  reasons: Record<string, number>;
  /** With `timeline`: [due time since start (ms), latency (ms)] of each 2xx response, in answer order. */
  timeline?: Array<[number, number]>;
}

export interface LoadTarget {
  url: string;
  apiKey: string;
  nextBody: () => unknown;
}

interface Conn {
  socket: net.Socket;
  buf: Buffer;
  end: number;
  bodyStart: number;
  status: number;
  due: number;
  busy: boolean;
}

const REASON = /"reason":"([a-z_]+)"/;

/**
 * Drives POST /test_helpers/authorizations. `rate` undefined: closed loop, every connection sends
 * its next request when the previous one is answered, for `seconds`. `rate` n: open loop, request
 * i is due at start + i/n whatever happened to earlier ones; it goes out on a free connection or
 * waits for one, and its latency runs from the due time, so a stall shows in p99 instead of
 * silently lowering the offered load (no coordinated omission).
 */
export async function drive(
  target: LoadTarget,
  connections: number,
  seconds: number,
  rate?: number,
  timeline = false,
): Promise<LoadResult> {
  const u = new URL(target.url);
  const head = `POST /test_helpers/authorizations HTTP/1.1\r\nHost: ${u.host}\r\nAuthorization: Bearer ${target.apiKey}\r\nContent-Type: application/json\r\n`;
  const result: LoadResult = { seconds: 0, latencies: [], errors: 0, approved: 0, reasons: {} };
  if (timeline) result.timeline = [];
  const total = rate === undefined ? Number.POSITIVE_INFINITY : Math.round(rate * seconds);
  const idle: Conn[] = [];
  const waiting: number[] = [];
  const all = new Set<Conn>();
  let completed = 0;
  let stopping = false;
  let start = 0;
  let endAt = Number.POSITIVE_INFINITY;
  let inFlight = 0;
  let finish: () => void = () => {};
  let fail: (e: Error) => void = () => {};
  const finished = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const send = (c: Conn, due: number) => {
    c.due = due;
    c.busy = true;
    inFlight++;
    const body = JSON.stringify(target.nextBody());
    c.socket.write(`${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  const closedDone = () => rate === undefined && performance.now() >= endAt;
  const ready = (c: Conn) => {
    if (rate === undefined) {
      if (start === 0) idle.push(c);
      else if (closedDone()) {
        if (inFlight === 0) finish();
      } else send(c, performance.now());
      return;
    }
    const next = waiting.shift();
    if (next === undefined) idle.push(c);
    else send(c, next);
  };
  const complete = (c: Conn, ok: boolean, body: Buffer | null) => {
    c.busy = false;
    inFlight--;
    completed++;
    if (ok && body) {
      const latency = performance.now() - c.due;
      result.latencies.push(latency);
      result.timeline?.push([c.due - start, latency]);
      const text = body.toString('latin1', 0, Math.min(body.length, 4096));
      if (text.includes('"approved":true')) result.approved++;
      const reason = REASON.exec(text)?.[1] ?? 'unknown';
      result.reasons[reason] = (result.reasons[reason] ?? 0) + 1;
    } else result.errors++;
    if (completed === total) finish();
  };
  const onData = (c: Conn, chunk: Buffer) => {
    c.buf = c.buf.length ? Buffer.concat([c.buf, chunk]) : chunk;
    for (;;) {
      if (c.end < 0) {
        const h = c.buf.indexOf('\r\n\r\n');
        if (h < 0) return;
        const headers = c.buf.subarray(0, h).toString('latin1');
        const len = /\r\ncontent-length:\s*(\d+)/i.exec(headers);
        if (!len?.[1]) return fail(new Error(`load: response without Content-Length: ${headers}`));
        c.status = Number(headers.slice(9, 12));
        c.bodyStart = h + 4;
        c.end = h + 4 + Number(len[1]);
      }
      if (c.buf.length < c.end) return;
      const body = c.buf.subarray(c.bodyStart, c.end);
      c.buf = c.buf.subarray(c.end);
      c.end = -1;
      complete(c, c.status >= 200 && c.status < 300, body);
      if (completed < total) ready(c);
    }
  };
  // A connection the server closes fails its request, if any, and is replaced.
  const open = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const socket = net.connect({ host: u.hostname, port: Number(u.port), noDelay: true });
      const c: Conn = { socket, buf: Buffer.alloc(0), end: -1, bodyStart: 0, status: 0, due: 0, busy: false };
      all.add(c);
      socket.on('connect', () => {
        resolve();
        ready(c);
      });
      socket.on('data', (d: Buffer) => onData(c, d));
      socket.on('error', reject);
      socket.on('close', () => {
        all.delete(c);
        const i = idle.indexOf(c);
        if (i >= 0) idle.splice(i, 1);
        if (stopping) return;
        if (c.busy) complete(c, false, null);
        if (completed < total && !closedDone()) open().catch(fail);
      });
    });
  await Promise.all(Array.from({ length: connections }, open));
  start = performance.now();
  if (rate === undefined) {
    endAt = start + seconds * 1_000;
    for (const c of idle.splice(0)) send(c, performance.now());
  } else {
    let sent = 0;
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1_000) + 1);
      while (sent < due) {
        const at = start + (sent * 1_000) / rate;
        sent++;
        const c = idle.shift();
        if (c) send(c, at);
        else waiting.push(at);
      }
      if (sent < total) setTimeout(tick, Math.max(0, start + (sent * 1_000) / rate - performance.now()));
    };
    tick();
  }
  try {
    await finished;
  } finally {
    stopping = true;
    for (const c of all) c.socket.destroy();
  }
  result.seconds = (performance.now() - start) / 1_000;
  result.latencies.sort((a, b) => a - b);
  return result;
}

/** The q-quantile (0–1) of sorted latencies. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}
