import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from './helpers';

let platform: Awaited<ReturnType<typeof start>>['platform'];

beforeAll(async () => {
  ({ platform } = await start());
});
afterAll(async () => {
  await platform.close();
});

/** Resolves with the next complete HTTP response read from `socket` (status and body), or rejects on reset/close. */
function nextResponse(socket: Socket): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let data = '';
    const onData = (chunk: Buffer) => {
      data += chunk.toString('latin1');
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(data.slice(0, end))?.[1] ?? 0);
      if (data.length < end + 4 + length) return;
      done();
      resolve({ status: Number(data.slice(9, 12)), body: data.slice(end + 4, end + 4 + length) });
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const onClose = () => {
      done();
      reject(new Error(`connection closed before a response (read so far: ${JSON.stringify(data)})`));
    };
    const done = () => {
      socket.off('data', onData).off('error', onError).off('close', onClose);
    };
    socket.on('data', onData).on('error', onError).on('close', onClose);
  });
}

/** Blocks this thread (the server's and the client's event loop) without burning CPU. */
function stallEventLoop(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe('keep-alive connection across an event-loop stall', () => {
  it('answers a request sent on a reused connection while the server was stalled past the old 5 s keep-alive', async () => {
    const url = new URL(platform.url);
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const request = `GET /program HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${platform.apiKey}\r\n\r\n`;

    const first = nextResponse(socket);
    socket.write(request);
    expect((await first).status).toBe(200);
    await new Promise((resolve) => setImmediate(resolve)); // the server has armed its keep-alive timer

    // The client reuses the idle connection at once (well inside any client's idle timeout); the bytes
    // reach the kernel, then the process stalls — as a GC pause, a long synchronous query or a starved
    // CPU does. The server must read the waiting request, not time the connection out before reading it.
    const second = nextResponse(socket);
    socket.write(request);
    stallEventLoop(6_500); // over Node's default keepAliveTimeout (5 s) + keepAliveTimeoutBuffer (1 s)
    const answer = await second;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ object: 'program' });
    socket.destroy();
  });
});
