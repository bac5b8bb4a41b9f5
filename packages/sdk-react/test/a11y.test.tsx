import { render, screen } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import {
  BalanceSummary,
  BudgetProgress,
  CardDisplay,
  CardList,
  FreezeCardToggle,
  IssueCardForm,
  OpenIssuingProvider,
  SpendChart,
  SpendControlsEditor,
  TransactionList,
} from '../src/index.js';
import { authorization, budget, card, pagedList, spendReport, transaction } from './fixtures.js';

async function seriousViolations(root: Element) {
  // jsdom has no layout, so colour contrast is checked in the browser tests instead.
  const result = await axe.run(root, { rules: { 'color-contrast': { enabled: false } } });
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
}

describe('axe-core on every widget (jsdom)', () => {
  for (const locale of ['en', 'zh-CN']) {
    it(`finds no serious or critical violation (${locale})`, async () => {
      const { loadPage } = pagedList([
        authorization({
          approved: false,
          decision: { reason: 'card_frozen', message: 'frozen', control: null },
        }),
        transaction(),
      ]);
      const { container } = render(
        <OpenIssuingProvider
          locale={locale}
          baseUrl="http://127.0.0.1:1"
          fetchEphemeralKey={async () => ({ secret: 'ek_x', expires_at: 0 })}
        >
          <main>
            <CardDisplay card={card()} />
            <CardList
              cards={[card(), card({ id: 'ic_2', last4: '1881', status: 'frozen' })]}
              defaultValue="ic_1"
            />
            <FreezeCardToggle card={card()} onToggle={async () => {}} />
            <IssueCardForm cardholders={[{ id: 'ich_1', name: 'Ada' }]} onSubmit={async () => card()} />
            <SpendControlsEditor
              defaultValue={{
                spending_limits: [{ amount: 5_000, interval: 'daily' }],
                blocked_categories: ['gambling'],
              }}
              onSave={async () => {}}
            />
            <TransactionList loadPage={loadPage} />
            <BalanceSummary balance={{ available: [{ amount: 100, currency: 'usd' }] }} />
            <BudgetProgress budget={budget()} />
            <SpendChart report={spendReport()} />
          </main>
        </OpenIssuingProvider>,
      );
      await screen.findAllByRole('row', { name: /Google Ads/ });
      expect(await seriousViolations(container)).toEqual([]);
    });
  }
});
