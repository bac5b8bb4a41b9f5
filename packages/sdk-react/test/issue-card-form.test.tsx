import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { IssueCardForm, type IssueCardValues } from '../src/components/issue-card-form.js';
import { card } from './fixtures.js';

const people = [
  { id: 'ich_ada', name: 'Ada Lovelace' },
  { id: 'ich_alan', name: 'Alan Turing' },
];

describe('<IssueCardForm>', () => {
  it('validates, ties errors to fields and focuses the first invalid one', async () => {
    const user = userEvent.setup();
    const submitted: IssueCardValues[] = [];
    render(
      <IssueCardForm
        cardholders={people}
        onSubmit={async (v) => {
          submitted.push(v);
          return card();
        }}
      />,
    );
    expect(screen.getByRole('form', { name: 'Issue a card' })).toBeInTheDocument();
    await user.type(screen.getByRole('textbox', { name: 'Monthly limit (USD)' }), '12.345');
    await user.click(screen.getByRole('button', { name: 'Issue card' }));
    const holder = screen.getByRole('combobox', { name: 'Cardholder' });
    expect(holder).toHaveFocus();
    expect(holder).toHaveAttribute('aria-invalid', 'true');
    expect(holder).toHaveAccessibleDescription('Cardholder is required.');
    expect(screen.getByRole('textbox', { name: 'Monthly limit (USD)' })).toHaveAccessibleDescription(
      /must be a positive amount/,
    );
    expect(submitted).toEqual([]);
  });

  it('submits the POST /cards body through the callback and announces the new card', async () => {
    const user = userEvent.setup();
    const submitted: IssueCardValues[] = [];
    const issued: string[] = [];
    render(
      <IssueCardForm
        cardholders={people}
        currencies={['usd', 'jpy']}
        onSubmit={async (values) => {
          submitted.push(values);
          return card({ id: 'ic_new', last4: '9876' });
        }}
        onIssued={(c) => issued.push(c.id)}
      />,
    );
    await user.selectOptions(screen.getByRole('combobox', { name: 'Cardholder' }), 'Alan Turing');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Currency' }), 'JPY');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Usage' }), 'single_use');
    await user.type(screen.getByRole('textbox', { name: 'Monthly limit (JPY)' }), '50000');
    await user.type(screen.getByRole('textbox', { name: 'Nickname' }), 'Team offsite');
    await user.click(screen.getByRole('button', { name: 'Issue card' }));
    expect(await screen.findByText('Card ending in 9876 issued.')).toBeInTheDocument();
    expect(submitted).toEqual([
      {
        cardholder: 'ich_alan',
        type: 'virtual',
        usage: 'single_use',
        currency: 'jpy',
        spending_controls: { spending_limits: [{ amount: 50000, interval: 'monthly' }] },
        metadata: { nickname: 'Team offsite' },
      },
    ]);
    expect(issued).toEqual(['ic_new']);
  });

  it('shows the backend error', async () => {
    const user = userEvent.setup();
    render(
      <IssueCardForm
        onSubmit={async () => {
          throw new Error('cardholder: no such cardholder ich_x');
        }}
      />,
    );
    await user.type(screen.getByRole('textbox', { name: 'Cardholder' }), 'ich_x');
    await user.click(screen.getByRole('button', { name: 'Issue card' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('no such cardholder ich_x');
  });
});
