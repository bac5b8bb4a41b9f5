import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/lib/logger';

function capture(isTTY: boolean) {
  const lines: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    }),
    { isTTY },
  );
  return { stream, lines };
}

describe('platform logger', () => {
  it('writes one readable line per record to a terminal, JSON otherwise', () => {
    const tty = capture(true);
    createLogger({ stream: tty.stream, level: 'info' }).info({ method: 'GET', status: 200 }, 'request');
    expect(tty.lines[0]).toMatch(
      /^\d\d:\d\d:\d\d INFO {2}request {2}service=openissuing-platform method=GET status=200\n$/,
    );
    const pipe = capture(false);
    createLogger({ stream: pipe.stream, level: 'info' }).info({ method: 'GET' }, 'request');
    expect(JSON.parse(pipe.lines[0] as string)).toMatchObject({ level: 30, msg: 'request', method: 'GET' });
  });

  it('redacts keys and card data even when a caller passes them', () => {
    const pipe = capture(false);
    const log = createLogger({ stream: pipe.stream, level: 'debug' });
    log.info(
      { card: { number: '4242424242424242', cvc: '123', last4: '4242' }, apiKey: 'sk_test_abcdefgh' },
      'oops',
    );
    log.info({ headers: { authorization: 'Bearer sk_test_abcdefgh' }, secret: 'whsec_x' }, 'oops');
    const out = pipe.lines.join('');
    for (const s of ['4242424242424242', '"123"', 'sk_test_abcdefgh', 'whsec_x'])
      expect(out).not.toContain(s);
    expect(out).toContain('"last4":"4242"');
    expect(out).toContain('[redacted]');
  });

  it('honours the level and rejects an unknown one', () => {
    const pipe = capture(false);
    const log = createLogger({ stream: pipe.stream, level: 'warn' });
    log.info('hidden');
    log.warn('shown');
    expect(pipe.lines.map((l) => JSON.parse(l).msg)).toEqual(['shown']);
    expect(() => createLogger({ level: 'chatty' })).toThrow(
      /LOG_LEVEL: 'chatty' is not a level; use one of trace/,
    );
  });
});
