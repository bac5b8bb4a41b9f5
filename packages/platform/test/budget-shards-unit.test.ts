import { describe, expect, it } from 'vitest';
import type { StoredBudget } from '../src/budgets/budget';
import { fastBudgetStates, roomKey, shardRooms, thresholdAmount } from '../src/budgets/shards';

const budget = (over: Partial<StoredBudget> = {}): StoredBudget => ({
  id: 'ibgt_1',
  object: 'budget',
  name: 'Marketing',
  status: 'active',
  selector: { department: 'marketing' },
  currency: 'usd',
  limits: [{ amount: 10_000, interval: 'monthly' }],
  alert_threshold_percent: null,
  metadata: {},
  created_at: '2026-01-01T00:00:00.000Z',
  ...over,
});
const now = new Date('2026-12-01T10:00:00Z');
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('budget shard rooms', () => {
  it('split cap − used over the shards exactly, the remainder on the first ones', () => {
    const rooms = shardRooms(budget(), [2_997], {}, now);
    expect(rooms).toHaveLength(8);
    expect(sum(rooms.map((r) => r[0] as number))).toBe(7_003);
    expect(rooms.map((r) => r[0])).toEqual([876, 876, 876, 875, 875, 875, 875, 875]);
    expect(shardRooms(budget(), [12_000], {}, now).every((r) => r[0] === 0)).toBe(true);
  });

  it('stop one unit short of a threshold alert that is not sent yet in the window', () => {
    const b = budget({ alert_threshold_percent: 80 });
    expect(thresholdAmount(10_000, 80)).toBe(8_000);
    expect(thresholdAmount(10_001, 80)).toBe(8_001); // 8,000.8 → the first whole unit at or over it
    expect(sum(shardRooms(b, [1_000], {}, now).map((r) => r[0] as number))).toBe(6_999);
    const sentThisMonth = { '0': { window: '2026-12-01T00:00:00Z', threshold: true } };
    expect(sum(shardRooms(b, [8_500], sentThisMonth, now).map((r) => r[0] as number))).toBe(1_500);
    const sentLastMonth = { '0': { window: '2026-11-01T00:00:00Z', threshold: true } };
    expect(sum(shardRooms(b, [1_000], sentLastMonth, now).map((r) => r[0] as number))).toBe(6_999);
  });

  it('are valid under a key that changes with the window, the limits and the threshold', () => {
    const b = budget({ limits: [{ amount: 10_000, interval: 'daily' }] });
    const k = roomKey(b, now);
    expect(roomKey(b, new Date('2026-12-01T23:59:59Z'))).toBe(k);
    expect(roomKey(b, new Date('2026-12-02T00:00:00Z'))).not.toBe(k);
    expect(roomKey(budget({ limits: [{ amount: 10_001, interval: 'daily' }] }), now)).not.toBe(k);
    expect(roomKey({ ...b, alert_threshold_percent: 90 }, now)).not.toBe(k);
    const cats = (categories: string[]) =>
      roomKey(budget({ limits: [{ amount: 10_000, interval: 'daily', categories }] }), now);
    expect(cats(['software', 'travel'])).toBe(cats(['travel', 'software']));
  });

  it('show the engine a shard’s room as what it may still approve, or nothing when the key is void', () => {
    const b = budget();
    const row = { budget_id: b.id, key: roomKey(b, now), rooms: ['1250'] };
    expect(fastBudgetStates([b], [row], now)?.[0]?.usage?.limits).toEqual([8_750]);
    expect(fastBudgetStates([b], [{ ...row, key: '' }], now)).toBeNull();
    expect(fastBudgetStates([b], [], now)).toBeNull();
  });
});
