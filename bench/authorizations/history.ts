/**
 * Seeds realistic history straight in SQL (generate_series: seconds, not hours, for a million
 * rows): `total` approved, closed authorizations spread over the past year across `cards`, plus
 * `busyToday` authorizations created today on each of `busy`, and the usage counters those rows
 * imply (the platform keeps them in the authorization's own transaction; a bulk insert has to
 * write them itself — same keys as `authorization/counters.ts`, shard 0).
 */
import type pg from 'pg';

/** The MCCs the seed uses, with their catalog categories (checked against the spec's catalog). */
const SEED_MCCS: ReadonlyArray<[string, string]> = [
  ['7311', 'advertising'],
  ['4816', 'cloud_computing'],
  ['5734', 'software'],
  ['5814', 'restaurants'],
];

export interface HistoryPlan {
  cards: ReadonlyArray<{ id: string; cardholder: string }>;
  busy: ReadonlyArray<{ id: string; cardholder: string }>;
  total: number;
  busyToday: number;
  /** A real authorization object (its JSON is stored on every seeded row, for a realistic row size). */
  sample: unknown;
}

export async function seedHistory(
  c: pg.Client,
  plan: HistoryPlan,
): Promise<{ rows: number; seconds: number }> {
  const t0 = performance.now();
  const mccs = `ARRAY[${SEED_MCCS.map(([m]) => `'${m}'`).join(', ')}]`;
  const categoryOf = `CASE a.mcc ${SEED_MCCS.map(([m, cat]) => `WHEN '${m}' THEN '${cat}'`).join(' ')} END`;
  await c.query('BEGIN');
  await c.query(
    'CREATE TEMP TABLE seed_cards (n int PRIMARY KEY, id text, cardholder text, busy boolean) ON COMMIT DROP',
  );
  const all = [
    ...plan.busy.map((x) => ({ ...x, busy: true })),
    ...plan.cards.map((x) => ({ ...x, busy: false })),
  ];
  await c.query(
    'INSERT INTO seed_cards SELECT (i - 1)::int, id, holder, busy FROM unnest($1::text[], $2::text[], $3::boolean[]) WITH ORDINALITY AS u(id, holder, busy, i)',
    [all.map((x) => x.id), all.map((x) => x.cardholder), all.map((x) => x.busy)],
  );
  const data = JSON.stringify(plan.sample);
  // The year's history: day g mod 365 + 1 before today, over every card.
  await c.query(
    `INSERT INTO authorizations (id, card_id, cardholder_id, status, approved, currency, amount, mcc, spend_amount, created_at, data)
     SELECT 'iauth_hist' || g, s.id, s.cardholder, 'closed', true, 'usd', 100 + g % 4900, (${mccs})[1 + g % 4], 100 + g % 4900,
            (date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') - ((1 + g % 365) * interval '1 day') + ((g::bigint * 7919) % 86400) * interval '1 second', $1::jsonb
     FROM generate_series(1, $2::int) AS g JOIN seed_cards s ON s.n = g % $3::int`,
    [data, plan.total - plan.busy.length * plan.busyToday, all.length],
  );
  // Today, on the busy cards: spread over the part of the day that has passed.
  await c.query(
    `INSERT INTO authorizations (id, card_id, cardholder_id, status, approved, currency, amount, mcc, spend_amount, created_at, data)
     SELECT 'iauth_today' || s.n || '_' || g, s.id, s.cardholder, 'closed', true, 'usd', 100, (${mccs})[1 + g % 4], 100,
            (date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') + (now() - (date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')) * (g::float8 / ($2::int + 1)), $1::jsonb
     FROM seed_cards s CROSS JOIN generate_series(1, $2::int) AS g WHERE s.busy`,
    [data, plan.busyToday],
  );
  await c.query(
    `INSERT INTO usage_counters (scope_kind, scope_id, currency, period, period_start, category, spent)
     SELECT k.kind, k.id, 'usd', p.period, p.start, ${categoryOf}, sum(a.spend_amount)
     FROM authorizations a
     CROSS JOIN LATERAL (VALUES ('card', a.card_id), ('cardholder', a.cardholder_id)) AS k(kind, id)
     CROSS JOIN LATERAL (VALUES ('day', (a.created_at AT TIME ZONE 'UTC')::date),
                                ('month', date_trunc('month', a.created_at AT TIME ZONE 'UTC')::date),
                                ('all', DATE '1970-01-01')) AS p(period, start)
     WHERE a.id LIKE 'iauth_hist%' OR a.id LIKE 'iauth_today%'
     GROUP BY 1, 2, 4, 5, 6
     ON CONFLICT (scope_kind, scope_id, currency, period, period_start, category, shard)
     DO UPDATE SET spent = usage_counters.spent + EXCLUDED.spent`,
  );
  await c.query('COMMIT');
  await c.query('ANALYZE authorizations; ANALYZE usage_counters');
  const seconds = (performance.now() - t0) / 1_000;
  // The seed dirties ~1 GB of pages. Without a checkpoint here, the server's next timed checkpoint
  // writes them out during the measured rounds (spread over minutes), stalling some rounds of the
  // platform and of pgbench but not others. Flushed now, every round starts from the same state.
  try {
    await c.query('CHECKPOINT');
  } catch (error) {
    console.warn(
      `history: CHECKPOINT refused (${(error as Error).message}); grant pg_checkpoint to the bench's role, or expect the first rounds to share the disk with the seed's write-out`,
    );
  }
  return { rows: plan.total, seconds };
}
