import { type CSSProperties, useId, useState } from 'react';
import { useOpenIssuing } from '../context.js';
import { formatAmount, formatDateTime } from '../format.js';
import { useAsync } from '../hooks/use-async.js';
import type { MessageKey } from '../i18n/index.js';
import type { Activity, ListPage } from '../types.js';
import { cx, ErrorMessage } from './shared.js';

export type LoadActivityPage = (params: { cursor?: string; limit: number }) => Promise<ListPage<Activity>>;

export interface UseTransactionsOptions {
  /** Loads one page (e.g. your backend forwarding `GET /authorizations` and `GET /transactions`). */
  loadPage: LoadActivityPage;
  /** @default 10 */
  pageSize?: number;
  /** Change to reload from the first page. */
  refreshKey?: unknown;
}

/**
 * Cursor pagination over a list endpoint: `next()`/`previous()` keep a stack of cursors so going
 * back re-reads the same page.
 *
 * @example
 * const { page, next, previous, hasNext } = useTransactions({ loadPage });
 */
export function useTransactions({ loadPage, pageSize = 10, refreshKey }: UseTransactionsOptions) {
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const [lastRefresh, setLastRefresh] = useState(refreshKey);
  if (lastRefresh !== refreshKey) {
    setLastRefresh(refreshKey);
    setCursors([undefined]);
  }
  const index = cursors.length - 1;
  const cursor = cursors[index];
  const state = useAsync(() => loadPage({ cursor, limit: pageSize }), [cursor, pageSize, refreshKey, index]);
  const page = state.data;
  const hasNext = Boolean(page?.has_more && page.next_cursor);
  return {
    ...state,
    page,
    pageNumber: index + 1,
    hasNext,
    hasPrevious: index > 0,
    next: () => {
      if (hasNext && page?.next_cursor) setCursors([...cursors, page.next_cursor]);
    },
    previous: () => {
      if (index > 0) setCursors(cursors.slice(0, -1));
    },
  };
}

export interface TransactionListProps extends UseTransactionsOptions {
  className?: string;
  style?: CSSProperties;
  /** Table caption. @default t('tx.title') */
  caption?: string;
  /**
   * What the empty table says, e.g. "No authorizations yet." when it lists authorizations.
   * @default t('tx.empty')
   */
  emptyText?: string;
}

function statusOf(item: Activity): { key: MessageKey; state: string } {
  if (item.object === 'transaction') {
    return { key: item.type === 'refund' ? 'tx.status.refund' : 'tx.status.capture', state: item.type };
  }
  if (!item.approved) return { key: 'tx.status.declined', state: 'declined' };
  return { key: `tx.status.${item.status}`, state: item.status };
}

function declineReason(item: Activity, t: ReturnType<typeof useOpenIssuing>['t']): string | undefined {
  if (item.object !== 'authorization' || item.approved) return undefined;
  const reason = item.decision?.reason;
  const known = reason ? (`decline.${reason}` as MessageKey) : undefined;
  const text = known ? t(known) : t('decline.unknown');
  return text === known ? (item.decision?.message ?? t('decline.unknown')) : text;
}

/**
 * Authorizations and transactions in a table: date, merchant, amount, status, and for declines the
 * reason. Paginates with the API's cursors.
 *
 * @example
 * <TransactionList loadPage={({ cursor, limit }) => api.activity(cardId, cursor, limit)} refreshKey={tick} />
 */
export function TransactionList({ className, style, caption, emptyText, ...options }: TransactionListProps) {
  const { t, locale } = useOpenIssuing();
  const list = useTransactions(options);
  const id = useId();
  const rows = list.page?.data ?? [];

  return (
    <div
      className={cx('oi-transactions', className)}
      style={style}
      data-state={list.loading ? 'loading' : 'idle'}
    >
      {list.error ? <ErrorMessage error={list.error} onRetry={list.reload} /> : null}
      <table className="oi-table" aria-busy={list.loading || undefined} aria-describedby={`${id}-page`}>
        <caption>{caption ?? t('tx.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('tx.date')}</th>
            <th scope="col">{t('tx.merchant')}</th>
            <th scope="col" className="oi-num">
              {t('tx.amount')}
            </th>
            <th scope="col">{t('tx.status')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((item) => {
            const status = statusOf(item);
            const reason = declineReason(item, t);
            const signed =
              item.object === 'transaction' && item.type === 'refund' ? -item.amount : item.amount;
            return (
              <tr key={item.id} data-state={status.state} data-id={item.id}>
                <td>{formatDateTime(item.created_at, locale)}</td>
                <td>{item.merchant_data?.name ?? t('tx.unknownMerchant')}</td>
                <td className="oi-num">
                  {formatAmount(signed, item.currency, locale)}
                  {item.merchant_currency &&
                  item.merchant_amount !== undefined &&
                  item.merchant_currency !== item.currency ? (
                    <span className="oi-muted oi-fx">
                      {formatAmount(item.merchant_amount, item.merchant_currency, locale)}
                    </span>
                  ) : null}
                </td>
                <td>
                  <span className="oi-badge" data-status={status.state}>
                    {t(status.key)}
                  </span>
                  {reason ? <span className="oi-reason"> — {reason}</span> : null}
                </td>
              </tr>
            );
          })}
          {!list.loading && rows.length === 0 ? (
            <tr>
              <td colSpan={4} className="oi-empty">
                {emptyText ?? t('tx.empty')}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {/* No pager for a list that has nothing to page through. */}
      {rows.length === 0 && !list.hasPrevious && !list.hasNext ? null : (
        <nav className="oi-pagination" aria-label={t('tx.title')}>
          <button
            type="button"
            className="oi-button"
            aria-disabled={!list.hasPrevious || list.loading}
            onClick={() => {
              if (list.hasPrevious && !list.loading) list.previous();
            }}
          >
            {t('tx.previous')}
          </button>
          {/* aria-disabled keeps focus on the button while a page loads or at either end. */}
          <span id={`${id}-page`} role="status">
            {list.loading ? t('tx.loading') : t('tx.page', { page: list.pageNumber })}
          </span>
          <button
            type="button"
            className="oi-button"
            aria-disabled={!list.hasNext || list.loading}
            onClick={() => {
              if (list.hasNext && !list.loading) list.next();
            }}
          >
            {t('tx.next')}
          </button>
        </nav>
      )}
    </div>
  );
}
