import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SpendChart } from '../src/components/spend-chart.js';
import { OpenIssuingProvider } from '../src/context.js';
import { niceScale, reportPeriods, spendSeries } from '../src/spend-series.js';
import type { SpendReport } from '../src/types.js';
import { spendReport } from './fixtures.js';

describe('spendSeries', () => {
  it('fills every period of the range, sums reporting amounts per group and folds the smallest into Other', () => {
    const t = spendSeries(spendReport());
    expect(t.periods).toEqual(['2026-09-01T00:00:00Z', '2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z']);
    expect(t.series.map((s) => [s.key, s.values])).toEqual([
      ['marketing', [1_530_000, 0, 216_000]],
      ['engineering', [812_000, 0, 0]],
      [null, [0, 0, 5_000]],
    ]);
    expect(t.totals).toEqual([2_342_000, 0, 221_000]);
    const folded = spendSeries(spendReport(), 2);
    expect(folded.series.map((s) => [s.key, s.total])).toEqual([
      ['marketing', 1_746_000],
      ['__other__', 817_000],
    ]);
  });

  it("puts the report's own other rows (groups beyond its limit) into the Other series", () => {
    const base = spendReport();
    const other = (period: string, amount: number) => ({
      ...(base.rows[0] as SpendReport['rows'][number]),
      period_start: period,
      group: null,
      other: true,
      label: null,
      amount,
      reporting_amount: amount,
    });
    const report = spendReport({
      rows: [...base.rows, other('2026-09-01T00:00:00Z', 2_000_000), other('2026-10-01T00:00:00Z', 7_000)],
      total_groups: 5,
      other_groups: 2,
    });
    // Larger than any group, the other rows still come last, as Other.
    expect(spendSeries(report).series.map((s) => [s.key, s.values])).toEqual([
      ['marketing', [1_530_000, 0, 216_000]],
      ['engineering', [812_000, 0, 0]],
      [null, [0, 0, 5_000]],
      ['__other__', [2_000_000, 7_000, 0]],
    ]);
    // Folded by the chart as well: one Other series holding both.
    expect(spendSeries(report, 2).series.map((s) => [s.key, s.total])).toEqual([
      ['marketing', 1_746_000],
      ['__other__', 812_000 + 5_000 + 2_007_000],
    ]);
    render(<SpendChart report={report} />);
    // Four series fit the default six, so one Other series: its legend entry and its table column.
    expect(screen.getAllByText('Other').map((el) => el.tagName)).toEqual(['LI', 'TH']);
  });

  it('starts weeks on Monday and days at 00:00 UTC', () => {
    expect(
      reportPeriods({
        interval: 'week',
        created_gte: '2026-11-04T10:00:00Z',
        created_lt: '2026-11-17T00:00:00Z',
      }),
    ).toEqual(['2026-11-02T00:00:00Z', '2026-11-09T00:00:00Z', '2026-11-16T00:00:00Z']);
    expect(
      reportPeriods({
        interval: 'day',
        created_gte: '2026-11-30T12:00:00Z',
        created_lt: '2026-12-02T00:00:00Z',
      }),
    ).toEqual(['2026-11-30T00:00:00Z', '2026-12-01T00:00:00Z']);
    expect(niceScale(2_342_000)).toEqual({ max: 3_000_000, step: 1_000_000 });
    expect(niceScale(0)).toEqual({ max: 1, step: 1 });
    expect(niceScale(180)).toEqual({ max: 200, step: 50 });
  });
});

describe('<SpendChart>', () => {
  it('draws one stacked bar per period with a titled SVG, and keeps the numbers in a table for screen readers', async () => {
    const { container } = render(<SpendChart loadReport={async () => spendReport()} />);
    const img = await screen.findByRole('img', { name: /Spend over time/ });
    expect(img).toHaveAccessibleName(expect.stringContaining('total $25,630.00'));
    expect(container.querySelectorAll('rect.oi-chart__bar')).toHaveLength(4);
    // The table is in the accessibility tree even while the chart is shown.
    const table = screen.getByRole('table');
    const rows = within(table).getAllByRole('row');
    expect(rows[0]).toHaveTextContent('PeriodmarketingengineeringNot assignedTotal');
    expect(rows[1]).toHaveTextContent('Sep 2026$15,300.00$8,120.00$0.00$23,420.00');
    expect(rows[3]).toHaveTextContent('Nov 2026$2,160.00$0.00$50.00$2,210.00');
    expect(table).toHaveClass('oi-visually-hidden');
  });

  it('labels the latest period on the axis when there are too many periods to label each', () => {
    // 14 days: every other day is labelled, counted from the last one (where today's spend is).
    const { container } = render(
      <SpendChart
        report={spendReport({
          interval: 'day',
          created_gte: '2026-11-18T00:00:00Z',
          created_lt: '2026-12-02T00:00:00Z',
          rows: [
            {
              period_start: '2026-12-01T00:00:00Z',
              group: 'marketing',
              label: 'marketing',
              currency: 'usd',
              amount: 6_000,
              capture_count: 1,
              refund_count: 0,
              reporting_amount: 6_000,
              other: false,
            },
          ],
          reporting_total: 6_000,
        })}
      />,
    );
    const labelled = [...container.querySelectorAll('g[data-period]')]
      .filter((g) => g.querySelector('text.oi-chart__axis'))
      .map((g) => g.getAttribute('data-period'));
    expect(labelled.at(-1)).toBe('2026-12-01T00:00:00Z');
    expect(labelled).toHaveLength(7);
  });

  it('shows the table instead of the chart with the toggle (uncontrolled and controlled)', () => {
    const seen: boolean[] = [];
    render(<SpendChart report={spendReport()} onShowTableChange={(v) => seen.push(v)} />);
    fireEvent.click(screen.getByRole('button', { name: 'Show as table' }));
    expect(screen.queryByRole('img')).toBeNull();
    expect(screen.getByRole('table')).not.toHaveClass('oi-visually-hidden');
    expect(screen.getByRole('button', { name: 'Show as chart' })).toHaveAttribute('aria-pressed', 'true');
    expect(seen).toEqual([true]);
  });

  it('says so when there is no spend, and speaks Simplified Chinese', () => {
    render(
      <OpenIssuingProvider locale="zh-CN">
        <SpendChart report={spendReport({ rows: [], reporting_total: 0 })} />
        <SpendChart report={spendReport()} title="部门消费" />
      </OpenIssuingProvider>,
    );
    expect(screen.getByText('此期间没有消费。')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /部门消费/ })).toHaveAccessibleName(
      expect.stringContaining('按月堆叠'),
    );
    expect(screen.getByRole('columnheader', { name: '未分配' })).toBeInTheDocument();
  });
});
