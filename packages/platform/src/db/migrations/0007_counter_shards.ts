/** How many rows a shared scope's counter (a cardholder's, a budget's) is spread over. */
export const COUNTER_SHARDS = 8;

/**
 * Usage counters of scopes shared by many cards (a company cardholder with hundreds of cards) would
 * be one hot row per bucket: every approval of every card updates it. Each such write now goes to
 * one of {@link COUNTER_SHARDS} shards (chosen by the card), and a read sums the shards. Card
 * counters keep shard 0. Existing rows become shard 0.
 */
export const sql = /* sql */ `
ALTER TABLE usage_counters ADD COLUMN shard smallint NOT NULL DEFAULT 0;
ALTER TABLE usage_counters DROP CONSTRAINT usage_counters_pkey;
ALTER TABLE usage_counters ADD PRIMARY KEY (scope_kind, scope_id, currency, period, period_start, category, shard);
`;
