/**
 * The Approvals view's backend routes. At start it creates two restricted keys, one per approver:
 * the marketing department's approver (scoped to department=marketing) and finance (the whole
 * program). Each inbox lists only what its key can see, and each decision is made with that key, so
 * the platform enforces who may approve what. A real app would pick the key of the signed-in user.
 */
import type { IncomingMessage } from 'node:http';
import { apiKey, type CardRequestCreateParams, OpenIssuing } from '@openissuing/sdk';
import { HttpError } from './backend.ts';

export interface Approver {
  id: 'marketing' | 'finance';
  name: string;
}

export const APPROVERS: Approver[] = [
  { id: 'marketing', name: 'Marketing approver' },
  { id: 'finance', name: 'Finance' },
];

/** Creates the approvers' keys and returns a handler for `/api/approvers` and `/api/card-requests…`. */
export async function approvalRoutes(client: OpenIssuing, platformUrl: string) {
  const keys: Record<Approver['id'], OpenIssuing> = {
    marketing: await approverClient(client, platformUrl, 'Dashboard · marketing approver', {
      department: 'marketing',
    }),
    finance: await approverClient(client, platformUrl, 'Dashboard · finance approver'),
  };
  const as = (url: URL) => {
    const who = url.searchParams.get('as') as Approver['id'] | null;
    const key = who ? keys[who] : undefined;
    if (!key) throw new HttpError(400, `Query "as" must be one of ${APPROVERS.map((a) => a.id).join(', ')}.`);
    return key;
  };

  /** Answers the route, or returns undefined when it is not one of these. */
  return async function route(
    req: IncomingMessage,
    url: URL,
    readJson: () => Promise<Record<string, unknown>>,
  ): Promise<unknown> {
    const path = url.pathname;
    if (req.method === 'GET' && path === '/api/approvers') return { data: APPROVERS };
    if (req.method === 'GET' && path === '/api/card-requests') {
      const page = await as(url).cardRequests.list({ status: 'pending', limit: 50 });
      return { data: page.data, has_more: page.hasMore, next_cursor: page.nextCursor };
    }
    // Requests are made with the dashboard's secret key on behalf of the requester.
    if (req.method === 'POST' && path === '/api/card-requests') {
      return client.cardRequests.create((await readJson()) as unknown as CardRequestCreateParams);
    }
    const decision = /^\/api\/card-requests\/([\w-]+)\/(approve|reject)$/.exec(path);
    if (req.method === 'POST' && decision?.[1]) {
      const { comment } = (await readJson()) as { comment?: string };
      const body = comment ? { comment } : {};
      return decision[2] === 'approve'
        ? as(url).cardRequests.approve(decision[1], body)
        : as(url).cardRequests.reject(decision[1], { comment: comment ?? '' });
    }
    return undefined;
  };
}

async function approverClient(
  client: OpenIssuing,
  baseUrl: string,
  name: string,
  dimension_scope?: Record<string, string>,
): Promise<OpenIssuing> {
  const params = apiKey(name).allow('cardRequests.list', 'cardRequests.approve', 'cardRequests.reject');
  if (dimension_scope) params.scope(dimension_scope);
  const key = await client.apiKeys.create(params.build());
  return new OpenIssuing({ apiKey: key.secret as string, baseUrl, maxRetries: 0 });
}
