import { describe, expect, it } from 'vitest';
import { settleJob, settleOutcomes } from '../src/engine/settle.js';
import { ErpError } from '../src/errors.js';
import type { ItemRecord } from '../src/state/store.js';

// settleOutcomes / settleJob are pure: the store changes each ERP answer leads to, checked exactly.
const NOW = 1_000_000;
const item = (externalRef: string, attempts = 1): ItemRecord => ({
  externalRef,
  status: 'in_doubt',
  attempts,
  nextAttemptAt: 0,
  erpId: null,
  errorCode: null,
  errorMessage: null,
  entry: null,
  txCreatedAt: '2026-11-04T00:00:00.000Z',
  updatedAt: 0,
  jobId: null,
  batchKey: null,
});
/** Backoff that shows which attempt and error it was asked about. */
const delays: { attempt: number; kind: string }[] = [];
const delayFor = (attempt: number, err: ErpError) => {
  delays.push({ attempt, kind: err.kind });
  return err.kind === 'rate_limited' ? 60_000 : 1_000 * attempt;
};
const ok = (externalRef: string, erpId = `erp_${externalRef}`) => ({ externalRef, ok: true as const, erpId });
const failed = (externalRef: string, error: ErpError) => ({ externalRef, ok: false as const, error });
const transient = new ErpError('timeout talking to the ERP', { kind: 'transient', code: 'ETIMEDOUT' });
const permanent = new ErpError('Account is inactive (code 610)', { kind: 'permanent', code: '610' });

describe('settleOutcomes', () => {
  it('posts ok outcomes, dead-letters permanent ones with the ERP message and code', () => {
    const out = settleOutcomes([item('a'), item('b')], [ok('a'), failed('b', permanent)], NOW, delayFor);
    expect(out).toEqual({
      settlement: {
        posted: [{ externalRef: 'a', erpId: 'erp_a' }],
        dead: [{ externalRef: 'b', code: '610', message: 'Account is inactive (code 610)' }],
        retry: [],
      },
      posted: 1,
      dead: [{ externalRef: 'b', code: '610', message: 'Account is inactive (code 610)' }],
      retried: [],
      fatal: null,
    });
  });

  it("a permanent outcome without a code is 'rejected'", () => {
    const out = settleOutcomes(
      [item('a')],
      [failed('a', new ErpError('bad', { kind: 'permanent' }))],
      NOW,
      delayFor,
    );
    expect(out.dead).toEqual([{ externalRef: 'a', code: 'rejected', message: 'bad' }]);
  });

  it('keeps transient outcomes in doubt, grouped by error, with the backoff of their highest attempt', () => {
    delays.length = 0;
    const other = new ErpError('connection reset', { kind: 'transient' });
    const out = settleOutcomes(
      [item('a', 1), item('b', 3), item('c', 2)],
      [failed('a', transient), failed('b', transient), failed('c', other)],
      NOW,
      delayFor,
    );
    expect(out.settlement.retry).toEqual([
      {
        refs: ['a', 'b'],
        status: 'in_doubt',
        at: NOW + 3_000,
        error: { code: 'ETIMEDOUT', message: 'timeout talking to the ERP' },
      },
      { refs: ['c'], status: 'in_doubt', at: NOW + 2_000, error: { message: 'connection reset' } },
    ]);
    expect(out.retried).toEqual([
      { count: 2, error: transient, delayMs: 3_000 },
      { count: 1, error: other, delayMs: 2_000 },
    ]);
    expect(delays).toEqual([
      { attempt: 3, kind: 'transient' },
      { attempt: 2, kind: 'transient' },
    ]);
  });

  it('asks the backoff for attempt 1 at least (an entry not yet counted)', () => {
    delays.length = 0;
    settleOutcomes([item('a', 0)], [failed('a', transient)], NOW, delayFor);
    expect(delays).toEqual([{ attempt: 1, kind: 'transient' }]);
  });

  it('puts rate-limited entries back to pending after the backoff, uncounted', () => {
    const limited = new ErpError('Throttled', { kind: 'rate_limited', retryAfterMs: 60_000 });
    const out = settleOutcomes([item('a')], [failed('a', limited)], NOW, delayFor);
    expect(out.settlement.retry).toEqual([
      { refs: ['a'], status: 'pending', at: NOW + 60_000, error: { message: 'Throttled' }, uncount: true },
    ]);
    expect(out.fatal).toBeNull();
  });

  it('puts fatal entries back to pending at once, uncounted, and reports the first fatal error', () => {
    const fatal = new ErpError('invalid_client', { kind: 'fatal', code: 'invalid_client' });
    const fatal2 = new ErpError('token revoked', { kind: 'fatal' });
    const out = settleOutcomes(
      [item('a'), item('b'), item('c')],
      [failed('a', fatal), failed('b', fatal2), ok('c')],
      NOW,
      delayFor,
    );
    expect(out.fatal).toBe(fatal);
    expect(out.settlement.retry).toEqual([
      {
        refs: ['a'],
        status: 'pending',
        at: NOW,
        error: { code: 'invalid_client', message: 'invalid_client' },
        uncount: true,
      },
      { refs: ['b'], status: 'pending', at: NOW, error: { message: 'token revoked' }, uncount: true },
    ]);
    expect(out.posted).toBe(1);
  });

  it('keeps entries the ERP gave no outcome for in doubt, and ignores outcomes for other or repeated entries', () => {
    const out = settleOutcomes(
      [item('a'), item('b', 2)],
      [ok('a'), ok('a', 'erp_again'), ok('zz'), failed('a', permanent)],
      NOW,
      delayFor,
    );
    expect(out.settlement.posted).toEqual([{ externalRef: 'a', erpId: 'erp_a' }]);
    expect(out.posted).toBe(1);
    expect(out.dead).toEqual([]);
    expect(out.settlement.retry).toEqual([
      {
        refs: ['b'],
        status: 'in_doubt',
        at: NOW + 2_000,
        error: { message: 'the ERP returned no outcome for this entry' },
      },
    ]);
    expect(out.retried[0]?.error.kind).toBe('transient');
  });
});

describe('settleJob', () => {
  const items = ['a', 'b', 'c', 'd', 'e'].map((r) => item(r));

  it('settles a succeeded job like a synchronous request', () => {
    const out = settleJob('job_1', items.slice(0, 2), { state: 'succeeded' }, [ok('a')], NOW, delayFor);
    expect(out.settlement.posted).toEqual([{ externalRef: 'a', erpId: 'erp_a' }]);
    expect(out.settlement.retry?.map((r) => [r.refs, r.status])).toEqual([[['b'], 'in_doubt']]);
  });

  it('a failed job that names its bad entries: those are dead, the rest go again once together, uncounted', () => {
    const out = settleJob(
      'job_1',
      items,
      { state: 'failed', message: 'completed with errors', code: 'EP01' },
      [
        failed('b', permanent),
        failed('b', permanent),
        ok('c'),
        failed('d', transient),
        failed('zz', permanent),
      ],
      NOW,
      delayFor,
    );
    expect(out.dead).toEqual([{ externalRef: 'b', code: '610', message: 'Account is inactive (code 610)' }]);
    expect(out.settlement.dead).toEqual(out.dead);
    expect(out.settlement.posted).toEqual([{ externalRef: 'c', erpId: 'erp_c' }]);
    expect(out.posted).toBe(1);
    expect(out.settlement.retry).toEqual([
      {
        refs: ['a', 'd', 'e'],
        status: 'pending',
        at: NOW,
        error: { code: 'EP01', message: 'job job_1 failed: completed with errors' },
        uncount: true,
        batchKey: 'job_1:rest',
      },
    ]);
    expect(out.retried.map((r) => [r.count, r.error.kind, r.error.code])).toEqual([[3, 'transient', 'EP01']]);
  });

  it('a failed job that names none: the group splits in two halves (the first one larger), uncounted', () => {
    const out = settleJob('job_1', items, { state: 'failed', message: 'rejected' }, [], NOW, delayFor);
    expect(out.dead).toEqual([]);
    expect(out.settlement.retry).toEqual([
      {
        refs: ['a', 'b', 'c'],
        status: 'pending',
        at: NOW,
        error: { message: 'job job_1 failed: rejected' },
        uncount: true,
        batchKey: 'job_1:a',
      },
      {
        refs: ['d', 'e'],
        status: 'pending',
        at: NOW,
        error: { message: 'job job_1 failed: rejected' },
        uncount: true,
        batchKey: 'job_1:b',
      },
    ]);
    const two = settleJob(
      'job_2',
      items.slice(0, 2),
      { state: 'failed', message: 'rejected' },
      [],
      NOW,
      delayFor,
    );
    expect(two.settlement.retry?.map((r) => [r.refs, r.batchKey])).toEqual([
      [['a'], 'job_2:a'],
      [['b'], 'job_2:b'],
    ]);
  });

  it('a failed job of one entry dead-letters it with the job message and code', () => {
    const out = settleJob(
      'job_1',
      [item('a')],
      { state: 'failed', message: 'rejected', code: 'EP02' },
      [],
      NOW,
      delayFor,
    );
    expect(out.dead).toEqual([{ externalRef: 'a', code: 'EP02', message: 'rejected' }]);
    expect(out.settlement.retry).toEqual([]);
    const uncoded = settleJob(
      'job_1',
      [item('a')],
      { state: 'failed', message: 'rejected' },
      [],
      NOW,
      delayFor,
    );
    expect(uncoded.dead).toEqual([{ externalRef: 'a', code: 'job_failed', message: 'rejected' }]);
  });

  it('a failed job whose outcomes post everything leaves nothing to retry', () => {
    const out = settleJob(
      'job_1',
      [item('a'), item('b')],
      { state: 'failed', message: 'x' },
      [ok('a'), ok('b')],
      NOW,
      delayFor,
    );
    expect(out.posted).toBe(2);
    expect(out.settlement.retry).toEqual([]);
    expect(out.dead).toEqual([]);
  });
});
