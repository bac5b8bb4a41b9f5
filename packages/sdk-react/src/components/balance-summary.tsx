import { type CSSProperties, useId } from 'react';
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
  const id = useId();
  const loaded = useBalance(balanceProp ? undefined : loadBalance, [refreshKey]);
  const balance = balanceProp ?? loaded.data;
  const pendingByCurrency = new Map((balance?.pending ?? []).map((entry) => [entry.currency, entry.amount]));
  const availableByCurrency = new Map(
    (balance?.available ?? []).map((entry) => [entry.currency, entry.amount]),
  );
  // Every currency that has either figure, each under its own heading with both figures.
  const currencies = [...new Set([...availableByCurrency.keys(), ...pendingByCurrency.keys()])];
  const currencyName = (code: string) => {
    try {
      return (
        new Intl.DisplayNames([locale], { type: 'currency' }).of(code.toUpperCase()) ?? code.toUpperCase()
      );
    } catch {
      return code.toUpperCase();
    }
  };
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
      {balance && currencies.length === 0 ? <p className="oi-empty">{t('balance.empty')}</p> : null}
      {currencies.map((currency) => (
        <section
          key={currency}
          className="oi-balance__currency"
          data-currency={currency}
          aria-labelledby={`${id}-${currency}`}
        >
          <h3 id={`${id}-${currency}`} className="oi-balance__currency-name">
            {currencyName(currency)} ({currency.toUpperCase()})
          </h3>
          <dl className="oi-balance__figures">
            <div>
              <dt>{t('balance.available')}</dt>
              <dd className="oi-balance__amount">
                {formatAmount(availableByCurrency.get(currency) ?? 0, currency, locale)}
              </dd>
            </div>
            <div>
              <dt>{t('balance.pending')}</dt>
              <dd>{formatAmount(pendingByCurrency.get(currency) ?? 0, currency, locale)}</dd>
            </div>
          </dl>
        </section>
      ))}
    </section>
  );
}
