import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import {
  ApprovalInbox,
  type CardRequest,
  CardRequestForm,
  type CardRequestValues,
  OpenIssuingProvider,
} from '../src/index.js';

function request(overrides: Partial<CardRequest> = {}): CardRequest {
  return {
    id: 'icr_1',
    type: 'new_card',
    status: 'pending',
    cardholder: 'ich_ada',
    card: null,
    currency: 'usd',
    spending_controls: { spending_limits: [{ amount: 2_500_000, interval: 'monthly' }] },
    dimensions: { department: 'marketing' },
    reason: 'Google Ads budget',
    requested_amount: 2_500_000,
    approvals: [
      { step: 'department', status: 'pending', comment: null },
      { step: 'finance', status: 'pending', comment: null },
    ],
    ...overrides,
  };
}

describe('<CardRequestForm>', () => {
  it('validates, focuses the first invalid field, and submits the POST /card_requests body', async () => {
    const user = userEvent.setup();
    const sent: CardRequestValues[] = [];
    render(
      <CardRequestForm
        cardholders={[{ id: 'ich_ada', name: 'Ada Lovelace' }]}
        onSubmit={async (values) => {
          sent.push(values);
          return request();
        }}
      />,
    );
    await user.click(screen.getByRole('button', { name: 'Send request' }));
    const holder = screen.getByRole('combobox', { name: 'Cardholder' });
    expect(holder).toHaveFocus();
    expect(holder).toHaveAccessibleDescription('Cardholder is required.');
    expect(screen.getByRole('textbox', { name: 'Reason' })).toHaveAccessibleDescription(
      'Reason is required.',
    );
    expect(sent).toEqual([]);

    await user.selectOptions(holder, 'ich_ada');
    await user.type(screen.getByRole('textbox', { name: 'Monthly limit (USD)' }), '25000');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Only for' }), 'advertising');
    await user.type(screen.getByRole('textbox', { name: 'Reason' }), 'Google Ads budget');
    await user.click(screen.getByRole('button', { name: 'Send request' }));
    expect(sent).toEqual([
      {
        type: 'new_card',
        cardholder: 'ich_ada',
        currency: 'usd',
        spending_controls: {
          spending_limits: [{ amount: 2_500_000, interval: 'monthly' }],
          allowed_categories: ['advertising'],
        },
        reason: 'Google Ads budget',
      },
    ]);
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Request sent; waiting for approval by: Department approver, Finance.',
    );
  });

  it('asks for a higher limit on one of the given cards', async () => {
    const user = userEvent.setup();
    const sent: CardRequestValues[] = [];
    render(
      <CardRequestForm
        cards={[{ id: 'ic_1', label: 'Visa •••• 4242' }]}
        onSubmit={async (values) => {
          sent.push(values);
          return request({ type: 'limit_increase', status: 'approved', approvals: [] });
        }}
      />,
    );
    await user.click(screen.getByRole('radio', { name: 'A higher limit on a card' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Card' }), 'ic_1');
    await user.type(screen.getByRole('textbox', { name: 'Monthly limit (USD)' }), '400');
    await user.type(screen.getByRole('textbox', { name: 'Reason' }), 'Conference');
    await user.click(screen.getByRole('button', { name: 'Send request' }));
    expect(sent[0]).toEqual({
      type: 'limit_increase',
      card: 'ic_1',
      spending_controls: { spending_limits: [{ amount: 40_000, interval: 'monthly' }] },
      reason: 'Conference',
    });
    expect(await screen.findByRole('status')).toHaveTextContent('Approved at once');
  });
});

describe('<ApprovalInbox>', () => {
  it('approves with a comment, requires a comment to reject, and announces the outcome', async () => {
    const user = userEvent.setup();
    const calls: [string, string, string | undefined][] = [];
    render(
      <ApprovalInbox
        requests={[request(), request({ id: 'icr_2', reason: 'Offsite', cardholder: 'ich_alan' })]}
        cardholderNames={{ ich_ada: 'Ada Lovelace', ich_alan: 'Alan Turing' }}
        onDecide={async (id, decision, comment) => {
          calls.push([id, decision, comment]);
          return decision === 'approve'
            ? request({
                id,
                status: 'approved',
                approvals: [{ step: 'department', status: 'approved', comment: comment ?? null }],
              })
            : request({ id, status: 'rejected', reason: 'Offsite', cardholder: 'ich_alan' });
        }}
      />,
    );
    const ada = screen.getByRole('article', { name: 'New card for Ada Lovelace' });
    expect(within(ada).getByText('$25,000.00')).toBeInTheDocument();
    expect(within(ada).getByRole('list', { name: 'Approval steps' })).toHaveTextContent(
      'Department approver: waiting',
    );
    await user.type(within(ada).getByRole('textbox', { name: 'Comment' }), 'Within budget');
    await user.click(within(ada).getByRole('button', { name: 'Approve' }));
    expect(within(ada).getByRole('status')).toHaveTextContent(
      'Approved; the card has been issued or changed.',
    );
    expect(within(ada).queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(ada.closest('li')).toHaveAttribute('data-state', 'approved');

    const alan = screen.getByRole('article', { name: 'New card for Alan Turing' });
    await user.click(within(alan).getByRole('button', { name: 'Reject' }));
    const comment = within(alan).getByRole('textbox', { name: 'Comment' });
    expect(comment).toHaveFocus();
    expect(comment).toHaveAccessibleDescription('Say why you reject the request.');
    await user.type(comment, 'Use the shared card');
    await user.click(within(alan).getByRole('button', { name: 'Reject' }));
    expect(within(alan).getByRole('status')).toHaveTextContent('Rejected.');
    expect(calls).toEqual([
      ['icr_1', 'approve', 'Within budget'],
      ['icr_2', 'reject', 'Use the shared card'],
    ]);
  });

  it('shows a failed decision as an alert and keeps the request open', async () => {
    const user = userEvent.setup();
    render(
      <ApprovalInbox
        requests={[request()]}
        onDecide={async () => {
          throw new Error('no pending step of icr_1 can be decided by this key');
        }}
      />,
    );
    await user.click(screen.getByRole('button', { name: 'Approve' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('no pending step');
    expect(screen.getByRole('button', { name: 'Approve' })).toBeInTheDocument();
  });

  it('speaks Simplified Chinese and has no serious axe violation in either locale', async () => {
    for (const locale of ['en', 'zh-CN']) {
      const { container, unmount } = render(
        <OpenIssuingProvider locale={locale}>
          <main>
            <CardRequestForm cards={[{ id: 'ic_1', label: 'Visa 4242' }]} onSubmit={async () => request()} />
            <ApprovalInbox requests={[request()]} onDecide={async () => request()} />
            <ApprovalInbox requests={[]} onDecide={async () => request()} />
          </main>
        </OpenIssuingProvider>,
      );
      if (locale === 'zh-CN') {
        expect(screen.getByRole('button', { name: '批准' })).toBeInTheDocument();
        expect(screen.getByRole('heading', { name: '申请卡片' })).toBeInTheDocument();
        expect(screen.getByText('暂无待审批的申请。')).toBeInTheDocument();
      }
      const result = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
      const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious.map((v) => v.id)).toEqual([]);
      unmount();
    }
  });
});
