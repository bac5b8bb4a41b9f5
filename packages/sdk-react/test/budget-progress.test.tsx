import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BudgetProgress } from '../src/components/budget-progress.js';
import { OpenIssuingProvider } from '../src/context.js';
import { budget } from './fixtures.js';

describe('<BudgetProgress>', () => {
  it('shows spent, held and remaining with a meter whose value text says how much is used', async () => {
    render(<BudgetProgress loadBudget={async () => budget()} />);
    const limit = await screen.findByRole('region', { name: 'Monthly limit of $20,000.00' });
    expect(limit).toHaveAttribute('data-state', 'ok');
    expect(limit).toHaveTextContent('Spent$14,500.00');
    expect(limit).toHaveTextContent('Held$500.00');
    expect(limit).toHaveTextContent('Remaining$5,000.00');
    expect(limit).toHaveTextContent('Nov 1, 2026 – Nov 30, 2026');
    const meter = within(limit).getByRole('meter');
    expect(meter).toHaveAttribute('aria-valuenow', '1500000');
    expect(meter).toHaveAttribute('aria-valuemax', '2000000');
    expect(meter).toHaveAttribute('aria-valuetext', '$15,000.00 of $20,000.00 used (75%)');
    expect(limit).toHaveTextContent('Within budget · Alert at 80%');
  });

  it('turns to warning past the threshold and to exceeded when nothing remains or it declined', () => {
    const { rerender } = render(
      <BudgetProgress budget={budget({}, { spent: 1_600_000, held: 0, remaining: 400_000 })} />,
    );
    expect(screen.getByRole('region', { name: /Monthly limit/ })).toHaveAttribute('data-state', 'warning');
    expect(screen.getByText(/Past the alert threshold/)).toBeInTheDocument();
    rerender(
      <BudgetProgress
        budget={budget({}, { spent: 1_900_000, held: 60_000, remaining: 40_000, exceeded: true })}
      />,
    );
    expect(screen.getByRole('region', { name: /Monthly limit/ })).toHaveAttribute('data-state', 'exceeded');
    // $400 are left: the budget is not used up, a purchase over what remains was declined.
    expect(screen.getByText(/A purchase over what remains was declined/)).toBeInTheDocument();
    expect(screen.queryByText(/Budget exhausted/)).toBeNull();
    rerender(<BudgetProgress budget={budget({}, { spent: 2_000_000, held: 0, remaining: 0 })} />);
    expect(screen.getByText(/Budget exhausted/)).toBeInTheDocument();
  });

  it('speaks Simplified Chinese and formats for zh-CN', () => {
    render(
      <OpenIssuingProvider locale="zh-CN">
        <BudgetProgress budget={budget({ status: 'inactive' })} />
      </OpenIssuingProvider>,
    );
    expect(screen.getByRole('region', { name: '预算 Marketing' })).toBeInTheDocument();
    expect(screen.getByText('已停用：此预算不限制任何消费。')).toBeInTheDocument();
    expect(screen.getByRole('meter')).toHaveAttribute(
      'aria-valuetext',
      '已使用 US$15,000.00 / US$20,000.00（75%）',
    );
  });

  it('reports a failed load with a retry', async () => {
    let calls = 0;
    render(
      <BudgetProgress
        loadBudget={async () => {
          calls++;
          if (calls === 1) throw new Error('network down');
          return budget();
        }}
      />,
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('network down');
    within(alert).getByRole('button').click();
    expect(await screen.findByRole('meter')).toBeInTheDocument();
  });
});
