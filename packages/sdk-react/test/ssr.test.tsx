// @vitest-environment node
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BalanceSummary } from '../src/components/balance-summary.js';
import { BudgetProgress } from '../src/components/budget-progress.js';
import { CardDisplay } from '../src/components/card-display.js';
import { CardList } from '../src/components/card-list.js';
import { FreezeCardToggle } from '../src/components/freeze-card-toggle.js';
import { IssueCardForm } from '../src/components/issue-card-form.js';
import { SpendChart } from '../src/components/spend-chart.js';
import { SpendControlsEditor } from '../src/components/spend-controls-editor.js';
import { TransactionList } from '../src/components/transaction-list.js';
import { OpenIssuingProvider } from '../src/context.js';
import { budget, card, pagedList, spendReport } from './fixtures.js';

describe('server rendering', () => {
  it('renders every widget without window, document or network access', () => {
    expect(typeof window).toBe('undefined');
    const html = renderToString(
      <OpenIssuingProvider
        baseUrl="http://127.0.0.1:1"
        fetchEphemeralKey={() => {
          throw new Error('must not fetch during SSR');
        }}
      >
        <CardDisplay card={card()} secure defaultRevealed />
        <CardDisplay card={card({ id: 'ic_2', last4: '1881' })} />
        <CardList cards={[card()]} />
        <FreezeCardToggle card={card()} onToggle={async () => {}} />
        <IssueCardForm onSubmit={async () => card()} />
        <SpendControlsEditor defaultValue={{ blocked_categories: ['gambling'] }} onSave={async () => {}} />
        <TransactionList loadPage={pagedList([]).loadPage} />
        <BalanceSummary balance={{ available: [{ amount: 100, currency: 'eur' }] }} />
        <BudgetProgress budget={budget()} />
        <SpendChart report={spendReport()} />
      </OpenIssuingProvider>,
    );
    expect(html).toContain('•••• •••• •••• 1881');
    expect(html).toContain('<iframe');
    expect(html).toContain('role="switch"');
    expect(html).toContain('€1.00');
    expect(html).toContain('role="meter"');
    expect(html).toContain('<svg');
    expect(html).toContain('<table');
    // The live preview is computed during render, so it is in the server HTML too.
    expect(html).toContain('Would be declined');
    // The secure iframe gets its src only after hydration (it needs window.location.origin).
    expect(html).not.toContain('/display?origin=');
  });
});
