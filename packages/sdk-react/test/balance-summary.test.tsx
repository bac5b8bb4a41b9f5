import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BalanceSummary } from '../src/components/balance-summary.js';
import { OpenIssuingProvider } from '../src/context.js';

describe('<BalanceSummary>', () => {
  it('formats available and pending funds per currency with Intl', async () => {
    render(
      <BalanceSummary
        loadBalance={async () => ({
          available: [
            { amount: 1_234_567, currency: 'usd' },
            { amount: 50_000, currency: 'jpy' },
          ],
          pending: [{ amount: 2_500, currency: 'usd' }],
        })}
      />,
    );
    const region = screen.getByRole('region', { name: 'Balance' });
    expect(await screen.findByText('$12,345.67')).toBeInTheDocument();
    expect(region).toHaveTextContent('¥50,000');
    expect(region).toHaveTextContent('Pending$25.00');
    // Each currency under its own heading, with both figures (pending ¥0, not left out).
    const yen = screen.getByRole('region', { name: 'Japanese Yen (JPY)' });
    expect(yen).toHaveTextContent('Available¥50,000');
    expect(yen).toHaveTextContent('Pending¥0');
    expect(screen.getByRole('heading', { name: 'US Dollar (USD)' })).toBeInTheDocument();
  });

  it('shows a currency that has only pending funds', () => {
    render(<BalanceSummary balance={{ available: [], pending: [{ amount: 700, currency: 'eur' }] }} />);
    const euro = screen.getByRole('region', { name: 'Euro (EUR)' });
    expect(euro).toHaveTextContent('Available€0.00');
    expect(euro).toHaveTextContent('Pending€7.00');
  });

  it('uses the provider locale', () => {
    render(
      <OpenIssuingProvider locale="zh-CN">
        <BalanceSummary balance={{ available: [{ amount: 100_000, currency: 'cny' }] }} />
      </OpenIssuingProvider>,
    );
    expect(screen.getByRole('region', { name: '余额' })).toHaveTextContent('¥1,000.00');
    expect(screen.getByText('可用')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: '人民币 (CNY)' })).toBeInTheDocument();
  });
});
