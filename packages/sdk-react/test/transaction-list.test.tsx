import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { TransactionList } from '../src/components/transaction-list.js';
import { OpenIssuingProvider } from '../src/context.js';
import type { Activity } from '../src/types.js';
import { authorization, pagedList, transaction } from './fixtures.js';

const activity: Activity[] = [
  authorization({
    id: 'iauth_declined',
    approved: false,
    status: 'closed',
    amount: 5000,
    merchant_data: { name: 'Lucky Casino', mcc: '7995', country: 'MT' },
    decision: { reason: 'card_frozen', message: 'The card is frozen.', control: 'card.status' },
  }),
  transaction({ id: 'itxn_refund', type: 'refund', amount: 300, merchant_data: { name: 'Figma' } }),
  authorization({
    id: 'iauth_pending',
    status: 'pending',
    amount: 99_999,
    merchant_amount: 92_000,
    merchant_currency: 'eur',
    merchant_data: { name: 'AWS' },
  }),
  ...Array.from({ length: 9 }, (_, index) =>
    transaction({ id: `itxn_${index}`, merchant_data: { name: `Shop ${index}` } }),
  ),
];

describe('<TransactionList>', () => {
  it('says "Over budget" for a budget decline, which can leave money in the budget', async () => {
    const { loadPage } = pagedList([
      authorization({
        id: 'iauth_budget',
        approved: false,
        status: 'closed',
        amount: 6000,
        merchant_data: { name: 'Google Ads', mcc: '7311', country: 'IE' },
        decision: {
          reason: 'budget_exceeded',
          message:
            "Budget 'Marketing' (ibgt_1) has 20.00 USD left of its monthly limit of 200.00 USD; 60.00 USD would exceed it.",
          control: 'budget.ibgt_1.limits[0]',
        },
      }),
    ]);
    render(<TransactionList loadPage={loadPage} />);
    const row = await screen.findByRole('row', { name: /Google Ads/ });
    expect(row).toHaveTextContent('Over budget');
    expect(row).not.toHaveTextContent('exhausted');
  });

  it('shows a table with amounts, statuses and decline reasons', async () => {
    const { loadPage } = pagedList(activity);
    render(<TransactionList loadPage={loadPage} pageSize={5} />);
    const table = screen.getByRole('table', { name: 'Transactions' });
    const declined = await within(table).findByRole('row', { name: /Lucky Casino/ });
    expect(declined).toHaveAttribute('data-state', 'declined');
    expect(within(declined).getByText('Declined')).toBeInTheDocument();
    expect(declined).toHaveTextContent('Card frozen');
    expect(declined).toHaveTextContent('$50.00');
    const refund = within(table).getByRole('row', { name: /Figma/ });
    expect(refund).toHaveTextContent('-$3.00');
    expect(refund).toHaveTextContent('Refunded');
    expect(within(table).getByRole('row', { name: /AWS/ })).toHaveTextContent('$999.99');
    expect(within(table).getByRole('row', { name: /AWS/ })).toHaveTextContent('Pending');
    // Foreign-currency spend also shows what the merchant charged.
    expect(within(table).getByRole('row', { name: /AWS/ })).toHaveTextContent('€920.00');
    // header row + 5 data rows
    expect(within(table).getAllByRole('row')).toHaveLength(6);
  });

  it('paginates with the API cursors, forwards and back, keeping focus on the button', async () => {
    const user = userEvent.setup();
    const { loadPage, calls } = pagedList(activity);
    render(<TransactionList loadPage={loadPage} pageSize={5} />);
    await screen.findByRole('row', { name: /Lucky Casino/ });
    const next = screen.getByRole('button', { name: 'Next page' });
    const previous = screen.getByRole('button', { name: 'Previous page' });
    expect(previous).toHaveAttribute('aria-disabled', 'true');
    await user.click(next);
    expect(await screen.findByRole('row', { name: /Shop 2/ })).toBeInTheDocument();
    expect(screen.queryByRole('row', { name: /Lucky Casino/ })).not.toBeInTheDocument();
    expect(screen.getByText('Page 2')).toBeInTheDocument();
    expect(next).toHaveFocus();
    await user.click(next);
    expect(await screen.findByRole('row', { name: /Shop 8/ })).toBeInTheDocument();
    expect(next).toHaveAttribute('aria-disabled', 'true');
    await user.click(next); // no-op at the end
    await user.click(previous);
    expect(await screen.findByRole('row', { name: /Shop 2/ })).toBeInTheDocument();
    expect(calls.map((call) => call.cursor)).toEqual([undefined, 'itxn_1', 'itxn_6', 'itxn_1']);
  });

  it('reloads from the first page when refreshKey changes', async () => {
    const items = [...activity];
    const { loadPage } = pagedList(items);
    const { rerender } = render(<TransactionList loadPage={loadPage} refreshKey={1} />);
    await screen.findByRole('row', { name: /Lucky Casino/ });
    items.unshift(
      authorization({
        id: 'iauth_new',
        approved: false,
        merchant_data: { name: 'New Merchant' },
        decision: { reason: 'spending_limit', message: 'over', control: null },
      }),
    );
    rerender(<TransactionList loadPage={loadPage} refreshKey={2} />);
    const row = await screen.findByRole('row', { name: /New Merchant/ });
    expect(row).toHaveTextContent('Spending limit reached');
  });

  it('speaks Simplified Chinese and formats amounts for the locale', async () => {
    const { loadPage } = pagedList(activity.slice(0, 2));
    render(
      <OpenIssuingProvider locale="zh-CN">
        <TransactionList loadPage={loadPage} />
      </OpenIssuingProvider>,
    );
    const table = screen.getByRole('table', { name: '交易记录' });
    const declined = await within(table).findByRole('row', { name: /Lucky Casino/ });
    expect(declined).toHaveTextContent('已拒绝');
    expect(declined).toHaveTextContent('卡片已冻结');
    expect(declined).toHaveTextContent('US$50.00');
    expect(screen.getByRole('button', { name: '下一页' })).toBeInTheDocument();
  });

  it('shows an empty state and load errors', async () => {
    render(<TransactionList loadPage={async () => ({ data: [], has_more: false, next_cursor: null })} />);
    expect(await screen.findByText('No transactions yet.')).toBeInTheDocument();
    // Nothing to page through: no pager.
    expect(screen.queryByRole('navigation')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Next' })).not.toBeInTheDocument();
  });

  it('says what an empty table of authorizations lacks (emptyText)', async () => {
    render(
      <TransactionList
        caption="Authorizations"
        emptyText="No authorizations yet."
        loadPage={async () => ({ data: [], has_more: false, next_cursor: null })}
      />,
    );
    const table = screen.getByRole('table', { name: 'Authorizations' });
    expect(await within(table).findByText('No authorizations yet.')).toBeInTheDocument();
    expect(within(table).queryByText('No transactions yet.')).not.toBeInTheDocument();
  });
});
