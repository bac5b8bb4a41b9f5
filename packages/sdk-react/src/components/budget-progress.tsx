import type { CSSProperties } from 'react';
import { useOpenIssuing } from '../context.js';
import { formatAmount, formatPeriod } from '../format.js';
import { type AsyncState, useAsync } from '../hooks/use-async.js';
import type { Budget } from '../types.js';
import { cx, ErrorMessage } from './shared.js';

type LimitUsage = Budget['usage'][number];

/**
 * A budget from a loader (your backend forwarding `GET /budgets/{budget}`).
 *
 * @example
 * const { data: budget } = useBudget(() => fetch('/api/budgets/ibgt_123').then((r) => r.json()));
 */
export function useBudget(
  load: (() => Promise<Budget>) | undefined,
  deps: readonly unknown[] = [],
): AsyncState<Budget> {
  return useAsync(load, deps);
}

/** `exceeded` once nothing remains or the budget declined a purchase, `warning` past the threshold. */
export function budgetLimitState(
  usage: LimitUsage,
  thresholdPercent: number | null,
): 'ok' | 'warning' | 'exceeded' {
  const used = usage.spent + usage.held;
  if (usage.exceeded || (usage.amount > 0 ? usage.remaining === 0 : used > 0)) return 'exceeded';
  if (usage.threshold_reached || (thresholdPercent !== null && used * 100 >= usage.amount * thresholdPercent))
    return 'warning';
  return 'ok';
}

export interface BudgetProgressProps {
  /** A budget you already have; takes precedence over `loadBudget`. */
  budget?: Budget;
  loadBudget?: () => Promise<Budget>;
  /** Change to reload through `loadBudget`. */
  refreshKey?: unknown;
  className?: string;
  style?: CSSProperties;
}

const share = (part: number, whole: number) =>
  whole > 0 ? Math.min(100, (part / whole) * 100) : part > 0 ? 100 : 0;

/**
 * Spent, held and remaining for each limit of a budget, as a meter with the alert threshold marked
 * and the same figures as text (which is what screen readers read). `data-state` on each limit is
 * `ok`, `warning` (past the threshold) or `exceeded`.
 *
 * @example
 * <BudgetProgress loadBudget={() => api.budgets.retrieve('ibgt_123')} />
 */
export function BudgetProgress({
  budget: budgetProp,
  loadBudget,
  refreshKey,
  className,
  style,
}: BudgetProgressProps) {
  const { t, locale } = useOpenIssuing();
  const loaded = useBudget(budgetProp ? undefined : loadBudget, [refreshKey]);
  const budget = budgetProp ?? loaded.data;
  const money = (amount: number) => formatAmount(amount, budget?.currency ?? 'usd', locale);
  const threshold = budget?.alert_threshold_percent ?? null;
  return (
    <section
      aria-label={budget ? t('budget.label', { name: budget.name }) : undefined}
      aria-busy={loaded.loading || undefined}
      className={cx('oi-budget', className)}
      style={style}
      data-status={budget?.status}
    >
      {loaded.error ? <ErrorMessage error={loaded.error} onRetry={loaded.reload} /> : null}
      {budget ? <h2 className="oi-heading">{budget.name}</h2> : null}
      {budget?.status === 'inactive' ? <p className="oi-empty">{t('budget.inactive')}</p> : null}
      {budget?.usage.map((usage) => {
        const used = usage.spent + usage.held;
        const state = budgetLimitState(usage, threshold);
        const interval = t(`controls.interval.${usage.interval}`);
        const heading = t('budget.limit', { interval, amount: money(usage.amount) });
        const percent = Math.round(share(used, usage.amount));
        return (
          <section key={usage.limit} className="oi-budget__limit" data-state={state} aria-label={heading}>
            <h3 className="oi-budget__limit-name">{heading}</h3>
            <p className="oi-muted">
              {usage.window_end
                ? t('budget.window', {
                    start: formatPeriod(usage.window_start, 'day', locale),
                    end: formatPeriod(
                      new Date(Date.parse(usage.window_end) - 1).toISOString(),
                      'day',
                      locale,
                    ),
                  })
                : t('budget.windowOpen', { start: formatPeriod(usage.window_start, 'day', locale) })}
            </p>
            {/* biome-ignore lint/a11y/useSemanticElements: a native <meter> cannot show spent and held as two segments with a threshold mark. */}
            <div
              role="meter"
              className="oi-budget__meter"
              aria-label={heading}
              aria-valuemin={0}
              aria-valuemax={usage.amount}
              aria-valuenow={Math.min(used, usage.amount)}
              aria-valuetext={t('budget.meter', { used: money(used), amount: money(usage.amount), percent })}
            >
              <span className="oi-budget__spent" style={{ width: `${share(usage.spent, usage.amount)}%` }} />
              <span
                className="oi-budget__held"
                style={{
                  width: `${Math.max(0, share(used, usage.amount) - share(usage.spent, usage.amount))}%`,
                }}
              />
              {threshold !== null ? (
                <span className="oi-budget__threshold" style={{ left: `${threshold}%` }} aria-hidden="true" />
              ) : null}
            </div>
            <dl className="oi-budget__figures">
              <div>
                <dt>{t('budget.spent')}</dt>
                <dd>{money(usage.spent)}</dd>
              </div>
              <div>
                <dt>{t('budget.held')}</dt>
                <dd>{money(usage.held)}</dd>
              </div>
              <div>
                <dt>{t('budget.remaining')}</dt>
                <dd className="oi-budget__remaining">{money(usage.remaining)}</dd>
              </div>
            </dl>
            <p className="oi-budget__status">
              {/* Exceeded with money left: a purchase bigger than the rest was declined, so "exhausted" would be wrong. */}
              {t(
                state === 'exceeded' && usage.remaining > 0
                  ? 'budget.status.declined'
                  : `budget.status.${state}`,
              )}
              {threshold !== null ? ` · ${t('budget.threshold', { percent: threshold })}` : null}
            </p>
          </section>
        );
      })}
    </section>
  );
}
