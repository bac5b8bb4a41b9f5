import { type Budget, BudgetProgress, SpendChart } from '@openissuing/react';
import { useEffect, useState } from 'react';
import { api } from './api';
import type { AppStrings } from './strings';

/** The Budgets view: every budget's usage, and spend by department over the last two weeks. */
export function BudgetsView({ strings: s, refreshKey }: { strings: AppStrings; refreshKey: unknown }) {
  const [budgets, setBudgets] = useState<Budget[]>();
  useEffect(() => {
    void refreshKey;
    api.budgets().then(setBudgets);
  }, [refreshKey]);
  return (
    <section className="budgets" aria-label={s.budgetsTitle}>
      <SpendChart
        title={s.spendTitle}
        loadReport={() => api.spendReport('department')}
        refreshKey={refreshKey}
      />
      <h2>{s.budgetsTitle}</h2>
      {budgets?.length === 0 ? <p>{s.noBudgets}</p> : null}
      <div className="budgets__list">
        {budgets?.map((budget) => (
          <BudgetProgress key={budget.id} budget={budget} />
        ))}
      </div>
    </section>
  );
}
