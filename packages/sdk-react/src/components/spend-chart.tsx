import { type CSSProperties, useId, useMemo } from 'react';
import { useOpenIssuing } from '../context.js';
import { formatAmount, formatCompactAmount, formatPeriod } from '../format.js';
import { type AsyncState, useAsync } from '../hooks/use-async.js';
import { useControllableState } from '../hooks/use-controllable.js';
import { niceScale, OTHER_SERIES, spendSeries } from '../spend-series.js';
import type { SpendReport } from '../types.js';
import { cx, ErrorMessage } from './shared.js';

/**
 * A spend report from a loader (your backend forwarding `GET /reports/spend`).
 *
 * @example
 * const { data } = useSpendReport(() => fetch('/api/reports/spend?group_by=dimension&dimension=department').then((r) => r.json()));
 */
export function useSpendReport(
  load: (() => Promise<SpendReport>) | undefined,
  deps: readonly unknown[] = [],
): AsyncState<SpendReport> {
  return useAsync(load, deps);
}

export interface SpendChartProps {
  /** A report you already have; takes precedence over `loadReport`. */
  report?: SpendReport;
  loadReport?: () => Promise<SpendReport>;
  /** Change to reload through `loadReport`. */
  refreshKey?: unknown;
  /** Heading; defaults to the localized "Spend over time". */
  title?: string;
  /** At most this many stacked series; the smallest groups are summed as "Other". @default 6 */
  maxSeries?: number;
  /** Show the data table instead of the chart (controlled). */
  showTable?: boolean;
  /** Initial table state (uncontrolled). @default false */
  defaultShowTable?: boolean;
  onShowTableChange?: (showTable: boolean) => void;
  className?: string;
  style?: CSSProperties;
}

const WIDTH = 640;
const HEIGHT = 240;
const PAD = { top: 12, right: 8, bottom: 28, left: 64 };
/** The kth series' colour: `--oi-bar` set to the theme's `--oi-chart-1…6`, round and round. */
const seriesColor = (k: number) => ({ '--oi-bar': `var(--oi-chart-${(k % 6) + 1})` }) as CSSProperties;

/**
 * Spend over time, stacked by group (dimension value, category, merchant, card or cardholder), in the
 * report's reporting currency. A plain SVG (no charting library: the smallest maintained ones would
 * take most of the package's size budget) that renders identically on the server. The same numbers
 * are always in a table: hidden visually but read by screen readers, and shown instead of the chart
 * with the toggle. Colours are the `--oi-chart-1…6` theme variables.
 *
 * @example
 * <SpendChart loadReport={() => api.reports.spend({ group_by: 'dimension', dimension: 'department', interval: 'month', created_gte, created_lt })} />
 */
export function SpendChart({
  report: reportProp,
  loadReport,
  refreshKey,
  title,
  maxSeries = 6,
  showTable: showTableProp,
  defaultShowTable = false,
  onShowTableChange,
  className,
  style,
}: SpendChartProps) {
  const { t, locale } = useOpenIssuing();
  const id = useId();
  const loaded = useSpendReport(reportProp ? undefined : loadReport, [refreshKey]);
  const report = reportProp ?? loaded.data;
  const [showTable, setShowTable] = useControllableState(showTableProp, defaultShowTable, onShowTableChange);
  const table = useMemo(() => (report ? spendSeries(report, maxSeries) : null), [report, maxSeries]);
  const currency = report?.reporting_currency ?? 'usd';
  const money = (amount: number) => formatAmount(amount, currency, locale);
  const heading = title ?? t('chart.title');
  const interval = report?.interval ?? 'month';
  const seriesName = (key: string | null, label: string | null) =>
    key === OTHER_SERIES
      ? t('chart.other')
      : key === null
        ? report?.group_by === 'none'
          ? t('chart.none')
          : t('chart.unassigned')
        : (label ?? key);
  const empty = Boolean(table && table.series.length === 0);
  const scale = niceScale(Math.max(0, ...(table?.totals ?? [0])));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const n = table?.periods.length ?? 0;
  const band = n > 0 ? plotW / n : plotW;
  const barW = Math.max(1, band * 0.7);
  const y = (v: number) => PAD.top + plotH - (v / scale.max) * plotH;
  const labelEvery = Math.max(1, Math.ceil(n / 8));
  const compact = (v: number) => {
    try {
      return formatCompactAmount(v, currency, locale);
    } catch {
      return money(v);
    }
  };
  const summary =
    report && table
      ? t('chart.summary', {
          interval: t(`chart.interval.${interval}`),
          from: formatPeriod(report.created_gte, 'day', locale),
          to: formatPeriod(new Date(Date.parse(report.created_lt) - 1).toISOString(), 'day', locale),
          currency: currency.toUpperCase(),
          total: money(report.reporting_total),
        })
      : '';

  return (
    <figure
      className={cx('oi-chart', className)}
      style={style}
      aria-labelledby={`${id}-title`}
      aria-busy={loaded.loading || undefined}
      data-state={showTable ? 'table' : 'chart'}
    >
      <figcaption className="oi-chart__header">
        <h2 id={`${id}-title`} className="oi-heading">
          {heading}
        </h2>
        {table && !empty ? (
          <button
            type="button"
            className="oi-button oi-button--link"
            aria-pressed={showTable}
            onClick={() => setShowTable(!showTable)}
          >
            {showTable ? t('chart.hideTable') : t('chart.showTable')}
          </button>
        ) : null}
      </figcaption>
      {loaded.error ? <ErrorMessage error={loaded.error} onRetry={loaded.reload} /> : null}
      {empty ? <p className="oi-empty">{t('chart.empty')}</p> : null}
      {table && !empty && !showTable ? (
        <>
          <svg
            className="oi-chart__svg"
            viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
            role="img"
            aria-labelledby={`${id}-svgtitle ${id}-desc`}
          >
            <title id={`${id}-svgtitle`}>{heading}</title>
            <desc id={`${id}-desc`}>{summary}</desc>
            {Array.from({ length: Math.round(scale.max / scale.step) + 1 }, (_, i) => {
              const v = i * scale.step;
              return (
                <g key={v} className="oi-chart__grid">
                  <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(v)} y2={y(v)} />
                  <text x={PAD.left - 6} y={y(v)} dy="0.32em" textAnchor="end">
                    {compact(v)}
                  </text>
                </g>
              );
            })}
            {table.periods.map((period, i) => {
              let base = 0;
              const x = PAD.left + i * band + (band - barW) / 2;
              return (
                <g key={period} data-period={period}>
                  {table.series.map((s, k) => {
                    const v = Math.max(0, s.values[i] ?? 0);
                    if (v === 0) return null;
                    const top = y(base + v);
                    const h = y(base) - top;
                    base += v;
                    return (
                      <rect
                        key={String(s.key)}
                        className="oi-chart__bar"
                        style={seriesColor(k)}
                        x={x}
                        y={top}
                        width={barW}
                        height={h}
                      >
                        <title>{`${seriesName(s.key, s.label)} · ${formatPeriod(period, interval, locale)}: ${money(s.values[i] ?? 0)}`}</title>
                      </rect>
                    );
                  })}
                  {/* Counted from the end, so the latest period (today, this week) always has its label. */}
                  {(table.periods.length - 1 - i) % labelEvery === 0 ? (
                    <text
                      className="oi-chart__axis"
                      x={x + barW / 2}
                      y={HEIGHT - PAD.bottom + 16}
                      textAnchor="middle"
                    >
                      {formatPeriod(period, interval, locale)}
                    </text>
                  ) : null}
                </g>
              );
            })}
          </svg>
          <ul className="oi-chart__legend" aria-hidden="true">
            {table.series.map((s, k) => (
              <li key={String(s.key)}>
                <span className="oi-chart__swatch" style={seriesColor(k)} />
                {seriesName(s.key, s.label)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {table && !empty ? (
        <table className={cx('oi-chart__table', !showTable && 'oi-visually-hidden')}>
          <caption className="oi-visually-hidden">{summary}</caption>
          <thead>
            <tr>
              <th scope="col">{t('chart.period')}</th>
              {table.series.map((s) => (
                <th scope="col" key={String(s.key)}>
                  {seriesName(s.key, s.label)}
                </th>
              ))}
              <th scope="col">{t('chart.total')}</th>
            </tr>
          </thead>
          <tbody>
            {table.periods.map((period, i) => (
              <tr key={period}>
                <th scope="row">{formatPeriod(period, interval, locale)}</th>
                {table.series.map((s) => (
                  <td key={String(s.key)}>{money(s.values[i] ?? 0)}</td>
                ))}
                <td>{money(table.totals[i] ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </figure>
  );
}
