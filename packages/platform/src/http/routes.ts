import { SPENDING_CATEGORIES } from '../authorization/categories';
import { isSupportedCurrency } from '../authorization/fx';
import { registerBudgetRoutes } from '../budgets/routes';
import type { Context, ProgramSettings } from '../context';
import { sql } from '../db/sql';
import { ApiError, notFound } from '../lib/errors';
import {
  createAuthorization,
  getAuthorization,
  listAuthorizations,
  type RealtimeHook,
} from '../services/authorizations';
import { createCardholder, getCardholder, listCardholders, updateCardholder } from '../services/cardholders';
import {
  cancelCard,
  createCard,
  freezeCard,
  getCard,
  listCards,
  revealCard,
  unfreezeCard,
  updateCard,
} from '../services/cards';
import { createEphemeralKey, revokeEphemeralKey } from '../services/keys';
import { getBalance, listLedgerEntries } from '../services/ledger';
import { listRows } from '../services/list';
import { createTopup, getTopup, listTopups } from '../services/topups';
import {
  captureAuthorization,
  expireAuthorization,
  getTransaction,
  listTransactions,
  refundTransaction,
  reverseAuthorization,
} from '../services/transactions';
import type { AttemptOptions } from '../webhooks/attempt';
import {
  createEndpoint,
  deleteEndpoint,
  getEndpointRow,
  listDeliveries,
  listEndpoints,
  rotateEndpointSecret,
  updateEndpoint,
} from '../webhooks/endpoints';
import { retryDelivery } from '../webhooks/retry';
import type { createApp } from './app';
import { DISPLAY_CSS, DISPLAY_JS, renderDisplayPage } from './display-page';
import { checkProgramUpdate, registerAccessRoutes } from './routes-access';

type Op = ReturnType<typeof createApp>['op'];
type Raw = ReturnType<typeof createApp>['raw'];
// biome-ignore lint/suspicious/noExplicitAny: request bodies and queries are validated against the spec before they reach here.
type Any = any;

const ok = (body: unknown, status = 200) => ({ status, body });

export interface RouteDeps {
  ctx: Context;
  realtime: RealtimeHook & { invalidate(): void };
  saveProgram(p: ProgramSettings): Promise<void>;
  /** The delivery worker's attempt settings (timeout, schedule, shutdown signal), for manual retries. */
  attemptOptions(): Omit<AttemptOptions, 'manual'>;
}

/** Every operation of openapi/openissuing.yaml, registered by its path template. */
export function registerRoutes(op: Op, raw: Raw, deps: RouteDeps): void {
  const { ctx, realtime } = deps;
  const p = (params: Record<string, string>, name: string) => params[name] as string;

  // Cardholders
  op('get', '/cardholders', {}, async ({ query }) => ok(await listCardholders(ctx, query as Any)));
  op('post', '/cardholders', {}, async ({ body }) => ok(await createCardholder(ctx, body as Any), 201));
  op('get', '/cardholders/{cardholder}', {}, async ({ params }) =>
    ok(await getCardholder(ctx.db, p(params, 'cardholder'))),
  );
  op('patch', '/cardholders/{cardholder}', {}, async ({ params, body }) =>
    ok(await updateCardholder(ctx, p(params, 'cardholder'), body as Any)),
  );

  // Cards
  op('get', '/cards', {}, async ({ query }) => ok(await listCards(ctx, query as Any)));
  op('post', '/cards', {}, async ({ body }) => ok(await createCard(ctx, body as Any), 201));
  op('get', '/cards/{card}', {}, async ({ params }) => ok(await getCard(ctx.db, p(params, 'card'))));
  op('patch', '/cards/{card}', {}, async ({ params, body }) =>
    ok(await updateCard(ctx, p(params, 'card'), body as Any)),
  );
  op('post', '/cards/{card}/freeze', {}, async ({ params }) => ok(await freezeCard(ctx, p(params, 'card'))));
  op('post', '/cards/{card}/unfreeze', {}, async ({ params }) =>
    ok(await unfreezeCard(ctx, p(params, 'card'))),
  );
  op('post', '/cards/{card}/cancel', {}, async ({ params, body }) =>
    ok(await cancelCard(ctx, p(params, 'card'), (body as Any).cancellation_reason ?? 'requested')),
  );
  op(
    'get',
    '/cards/{card}/details',
    { auth: 'ephemeral', cors: true, headers: { 'Cache-Control': 'no-store' } },
    async ({ params, principal }) => {
      const card = p(params, 'card');
      if (principal?.kind !== 'ephemeral' || principal.card !== card) {
        throw new ApiError(
          403,
          'ephemeral_key_scope',
          `Authorization: this ephemeral key belongs to another card; create one for '${card}'.`,
          'card',
        );
      }
      return ok(await revealCard(ctx, card));
    },
  );
  raw('get', '/cards/{card}/display', async (c, { params, query }) => {
    const origin = query.origin as string;
    if (!ctx.program().allowed_display_origins.includes(origin)) {
      throw new ApiError(
        403,
        'origin_not_allowed',
        `origin: '${origin}' is not in the program's allowed_display_origins; add it with PATCH /program.`,
        'origin',
      );
    }
    return c.html(renderDisplayPage(p(params, 'card'), origin), 200, {
      'Content-Security-Policy': `default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-ancestors ${origin}`,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    });
  });

  // Spending categories
  op('get', '/spending_categories', {}, async () =>
    ok({
      object: 'list',
      data: Object.entries(SPENDING_CATEGORIES).map(([name, c]) => ({
        name,
        description: c.description,
        mccs: c.mccs,
      })),
      has_more: false,
      next_cursor: null,
    }),
  );

  // Authorizations and transactions
  op('get', '/authorizations', {}, async ({ query }) => ok(await listAuthorizations(ctx, query as Any)));
  op('get', '/authorizations/{authorization}', {}, async ({ params }) =>
    ok(await getAuthorization(ctx.db, p(params, 'authorization'))),
  );
  op('get', '/transactions', {}, async ({ query }) => ok(await listTransactions(ctx, query as Any)));
  op('get', '/transactions/{transaction}', {}, async ({ params }) =>
    ok(await getTransaction(ctx.db, p(params, 'transaction'))),
  );

  // Balance, ledger, top-ups
  op('get', '/balance', {}, async () => ok(await getBalance(ctx)));
  op('get', '/ledger_entries', {}, async ({ query }) => ok(await listLedgerEntries(ctx, query as Any)));
  op('post', '/topups', {}, async ({ body }) => ok(await createTopup(ctx, body as Any), 201));
  op('get', '/topups', {}, async ({ query }) => ok(await listTopups(ctx, query as Any)));
  op('get', '/topups/{topup}', {}, async ({ params }) => ok(await getTopup(ctx, p(params, 'topup'))));

  // Budgets and the spend report
  registerBudgetRoutes(op, ctx);

  // Program
  op('get', '/program', {}, async () => ok(ctx.program()));
  op('patch', '/program', {}, async ({ body }) => {
    const currency = (body as Partial<ProgramSettings>).reporting_currency;
    if (currency !== undefined && !isSupportedCurrency(currency))
      throw new ApiError(
        400,
        'parameter_invalid',
        `reporting_currency: '${currency}' has no sandbox exchange rate; use e.g. usd, eur, gbp or jpy.`,
        'reporting_currency',
      );
    checkProgramUpdate(body);
    const next: ProgramSettings = { ...ctx.program(), ...(body as Partial<ProgramSettings>) };
    await deps.saveProgram(next);
    return ok(next);
  });

  // Events
  op('get', '/events', {}, async ({ query }) => {
    const where = query.type ? [sql`type = ${query.type as string}`] : [];
    return ok(await listRows(ctx.db, 'events', query as Any, where));
  });
  op('get', '/events/{event}', {}, async ({ params }) => {
    const rows = await ctx.db.rows<{ data: unknown }>(
      sql`SELECT data FROM events WHERE id = ${p(params, 'event')}`,
    );
    if (!rows[0]) throw notFound('event', p(params, 'event'));
    return ok(rows[0].data);
  });

  // Webhook endpoints
  op('post', '/webhook_endpoints', {}, async ({ body }) => {
    const ep = await createEndpoint(ctx, body as Any);
    realtime.invalidate();
    ctx.endpointsChanged?.();
    return ok(ep, 201);
  });
  op('get', '/webhook_endpoints', {}, async ({ query }) => ok(await listEndpoints(ctx, query as Any)));
  op('get', '/webhook_endpoints/{webhook_endpoint}', {}, async ({ params }) =>
    ok((await getEndpointRow(ctx.db, p(params, 'webhook_endpoint'), ctx.now())).data),
  );
  op('patch', '/webhook_endpoints/{webhook_endpoint}', {}, async ({ params, body }) => {
    const ep = await updateEndpoint(ctx, p(params, 'webhook_endpoint'), body as Any);
    realtime.invalidate();
    ctx.endpointsChanged?.();
    return ok(ep);
  });
  op('delete', '/webhook_endpoints/{webhook_endpoint}', {}, async ({ params }) => {
    const r = await deleteEndpoint(ctx, p(params, 'webhook_endpoint'));
    realtime.invalidate();
    return ok(r);
  });
  op('post', '/webhook_endpoints/{webhook_endpoint}/rotate_secret', {}, async ({ params, body }) => {
    const ep = await rotateEndpointSecret(ctx, p(params, 'webhook_endpoint'), body as Any);
    realtime.invalidate();
    return ok(ep);
  });
  op('get', '/webhook_endpoints/{webhook_endpoint}/deliveries', {}, async ({ params, query }) =>
    ok(await listDeliveries(ctx, p(params, 'webhook_endpoint'), query as Any)),
  );
  op('post', '/webhook_deliveries/{delivery}/retry', {}, async ({ params }) =>
    ok(await retryDelivery(ctx, deps.attemptOptions(), p(params, 'delivery'))),
  );

  // Ephemeral keys
  op('post', '/ephemeral_keys', {}, async ({ body }) => ok(await createEphemeralKey(ctx, body as Any), 201));
  op('delete', '/ephemeral_keys/{ephemeral_key}', {}, async ({ params }) =>
    ok(await revokeEphemeralKey(ctx, p(params, 'ephemeral_key'))),
  );

  // Card requests and restricted API keys
  registerAccessRoutes(op, ctx);

  // Test helpers (the card network)
  op('post', '/test_helpers/authorizations', {}, async ({ body }) =>
    ok(await createAuthorization(ctx, body as Any, realtime)),
  );
  op('post', '/test_helpers/authorizations/{authorization}/capture', {}, async ({ params, body }) =>
    ok(await captureAuthorization(ctx, p(params, 'authorization'), body as Any)),
  );
  op('post', '/test_helpers/authorizations/{authorization}/reverse', {}, async ({ params, body }) =>
    ok(await reverseAuthorization(ctx, p(params, 'authorization'), body as Any)),
  );
  op('post', '/test_helpers/authorizations/{authorization}/expire', {}, async ({ params }) =>
    ok(await expireAuthorization(ctx, p(params, 'authorization'))),
  );
  op('post', '/test_helpers/transactions/{transaction}/refund', {}, async ({ params, body }) =>
    ok(await refundTransaction(ctx, p(params, 'transaction'), body as Any)),
  );
}

/** Static assets of the hosted card-display page (CSP `script-src 'self'` forbids inline code). */
export function registerAssets(app: ReturnType<typeof createApp>['app']): void {
  app.get('/assets/card-display.js', (c) =>
    c.body(DISPLAY_JS, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=300',
    }),
  );
  app.get('/assets/card-display.css', (c) =>
    c.body(DISPLAY_CSS, 200, {
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control': 'public, max-age=300',
    }),
  );
}
