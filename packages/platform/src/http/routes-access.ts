import { isSupportedCurrency } from '../authorization/fx';
import type { Context } from '../context';
import { invalid } from '../lib/errors';
import { createApiKey, getApiKey, listApiKeys, revokeApiKey } from '../services/api-keys';
import {
  type Actor,
  approveCardRequest,
  cancelCardRequest,
  createCardRequest,
  getCardRequest,
  listCardRequests,
  rejectCardRequest,
} from '../services/card-requests';
import type { Principal } from '../services/keys';
import type { createApp } from './app';

type Op = ReturnType<typeof createApp>['op'];
// biome-ignore lint/suspicious/noExplicitAny: request bodies and queries are validated against the spec before they reach here.
type Any = any;

const ok = (body: unknown, status = 200) => ({ status, body });

const actorOf = (principal: Principal | null): Actor => {
  if (principal?.kind !== 'secret') return { keyId: principal?.keyId ?? 'anonymous' };
  return { keyId: principal.keyId, restricted: principal.restricted };
};

/** Refuses a `card_request_policy` whose currency the sandbox cannot convert to (PATCH /program). */
export function checkProgramUpdate(body: Record<string, unknown>): void {
  const policy = body.card_request_policy as { currency?: string } | undefined;
  if (policy?.currency && !isSupportedCurrency(policy.currency)) {
    throw invalid(
      'card_request_policy.currency',
      `card_request_policy.currency: '${policy.currency}' is not supported by the sandbox; use e.g. usd, eur or gbp.`,
    );
  }
}

/** Card requests with approvals, and restricted API keys. */
export function registerAccessRoutes(op: Op, ctx: Context): void {
  const id = (params: Record<string, string>, name: string) => params[name] as string;

  op('post', '/card_requests', {}, async ({ body, principal }) =>
    ok(await createCardRequest(ctx, body as Any, actorOf(principal)), 201),
  );
  op('get', '/card_requests', {}, async ({ query }) => ok(await listCardRequests(ctx, query as Any)));
  op('get', '/card_requests/{card_request}', {}, async ({ params }) =>
    ok(await getCardRequest(ctx, id(params, 'card_request'))),
  );
  op('post', '/card_requests/{card_request}/approve', {}, async ({ params, body, principal }) =>
    ok(await approveCardRequest(ctx, id(params, 'card_request'), actorOf(principal), (body as Any).comment)),
  );
  op('post', '/card_requests/{card_request}/reject', {}, async ({ params, body, principal }) =>
    ok(await rejectCardRequest(ctx, id(params, 'card_request'), actorOf(principal), (body as Any).comment)),
  );
  op('post', '/card_requests/{card_request}/cancel', {}, async ({ params, body, principal }) =>
    ok(await cancelCardRequest(ctx, id(params, 'card_request'), actorOf(principal), (body as Any).comment)),
  );

  op('post', '/api_keys', {}, async ({ body }) => ok(await createApiKey(ctx, body as Any), 201));
  op('get', '/api_keys', {}, async ({ query }) => ok(await listApiKeys(ctx, query as Any)));
  op('get', '/api_keys/{api_key}', {}, async ({ params }) => ok(await getApiKey(ctx, id(params, 'api_key'))));
  op('post', '/api_keys/{api_key}/revoke', {}, async ({ params }) =>
    ok(await revokeApiKey(ctx, id(params, 'api_key'))),
  );
}
