import type { Context } from '../context';
import type { createApp } from '../http/app';
import { spendReport } from '../reports/spend-report';
import { createBudget, getBudget, listBudgets, updateBudget } from './service';

type Op = ReturnType<typeof createApp>['op'];
// biome-ignore lint/suspicious/noExplicitAny: bodies and queries are validated against the spec before they reach here.
type Any = any;

/** The budgets and spend-report operations of openapi/openissuing.yaml. */
export function registerBudgetRoutes(op: Op, ctx: Context): void {
  op('get', '/budgets', {}, async ({ query }) => ({
    status: 200,
    body: await listBudgets(ctx, query as Any),
  }));
  op('post', '/budgets', {}, async ({ body }) => ({
    status: 201,
    body: await createBudget(ctx, body as Any),
  }));
  op('get', '/budgets/{budget}', {}, async ({ params }) => ({
    status: 200,
    body: await getBudget(ctx, params.budget as string),
  }));
  op('patch', '/budgets/{budget}', {}, async ({ params, body }) => ({
    status: 200,
    body: await updateBudget(ctx, params.budget as string, body as Any),
  }));
  op('get', '/reports/spend', {}, async ({ query }) => ({
    status: 200,
    body: await spendReport(ctx, query as Any),
  }));
}
