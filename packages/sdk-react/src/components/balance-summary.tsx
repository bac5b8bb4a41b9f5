import type { CSSProperties } from 'react';
import { useOpenIssuing } from '../context.js';
import { formatAmount } from '../format.js';
import { type AsyncState, useAsync } from '../hooks/use-async.js';
import type { Balance } from '../types.js';
import { cx, ErrorMessage } from './shared.js';

/**
 * The program's balance from a loader (your backend forwarding `GET /balance`).
 *
 * @example
 * const { data: balance } = useBalance(() => fetch('/api/balance').then((r) => r.json()));
 */
export function useBalance(
  load: (() => Promise<Balance>) | undefined,
  deps: readonly unknown[] = [],
): AsyncState<Balance> {
  return useAsync(load, deps);
}

export interface BalanceSummaryProps {
  /** A balance you already have; takes precedence over `loadBalance`. */
  balance?: Balance;
  loadBalance?: () => Promise<Balance>;
  /** Change to reload through `loadBalance`. */
  refreshKey?: unknown;
  className?: string;
  style?: CSSProperties;
}

/**
 * Available (and pending) funds per currency, formatted with `Intl`.
 *
 * @example
 * <BalanceSummary loadBalance={api.balance} />
 */
export function BalanceSummary({
  balance: balanceProp,
  loadBalance,
  refreshKey,
  className,
  style,
}: BalanceSummaryProps) {
  const { t, locale } = useOpenIssuing();
  const loaded = useBalance(balanceProp ? undefined : loadBalance, [refreshKey]);
  const balance = balanceProp ?? loaded.data;
  const pendingByCurrency = new Map((balance?.pending ?? []).map((entry) => [entry.currency, entry.amount]));
  return (
    <section
      aria-label={t('balance.title')}
      aria-busy={loaded.loading || undefined}
      className={cx('oi-balance', className)}
      style={style}
      data-state={loaded.loading ? 'loading' : 'idle'}
    >
      <h2 className="oi-heading">{t('balance.title')}</h2>
      {loaded.error ? <ErrorMessage error={loaded.error} onRetry={loaded.reload} /> : null}
      {balance && balance.available.length === 0 ? <p className="oi-empty">{t('balance.empty')}</p> : null}
      {balance?.available.map((entry) => {
        const pending = pendingByCurrency.get(entry.currency);
        return (
          <dl key={entry.currency} className="oi-balance__currency" data-currency={entry.currency}>
            <div>
              <dt>{t('balance.available')}</dt>
              <dd className="oi-balance__amount">{formatAmount(entry.amount, entry.currency, locale)}</dd>
            </div>
            {pending ? (
              <div>
                <dt>{t('balance.pending')}</dt>
                <dd>{formatAmount(pending, entry.currency, locale)}</dd>
              </div>
            ) : null}
          </dl>
        );
      })}
    </section>
  );
}
