/**
 * Indexes on the spend rollups by kind and GROUP, then day or period, so a report that keeps its
 * top N groups (reports/spend-top.ts) reads only those groups' rows: a year by card and day with the
 * default 100 groups reads 36,500 day rows through 100 index ranges instead of all 730,000 of the
 * year (the primary keys lead with the day or period, so a group list is only a filter there).
 * Neither index holds amount or the counts, so the rollup job's updates of a row stay heap-only.
 */
export const sql = /* sql */ `
CREATE INDEX spend_rollups_group ON spend_rollups (kind, grp, day);
CREATE INDEX spend_period_rollups_group ON spend_period_rollups (grain, kind, grp, period_start);
`;
