import type {
  Activity,
  ApprovalDecision,
  Balance,
  Card,
  CardRequest,
  CardRequestValues,
  EphemeralKey,
  IssueCardValues,
  ListPage,
  SpendingControls,
} from '@openissuing/react';

/** Calls this app's own backend (server/backend.ts), which holds the secret key. */
async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`/api${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as { detail?: string } & T;
  if (!response.ok) throw new Error(json.detail ?? `${method} ${path} failed with HTTP ${response.status}`);
  return json;
}

export interface Cardholder {
  id: string;
  name: string;
}

export interface Approver {
  id: 'marketing' | 'finance';
  name: string;
}

export interface AppConfig {
  platformUrl: string;
}

export interface SimulatedPurchase {
  card: string;
  amount: number;
  merchant: { name: string; mcc: string; country: string };
}

export const api = {
  config: () => call<AppConfig>('GET', '/config'),
  ephemeralKey: (card: string) => call<EphemeralKey>('POST', '/ephemeral-keys', { card }),
  cards: () => call<ListPage<Card>>('GET', '/cards').then((list) => list.data),
  cardholders: () => call<ListPage<Cardholder>>('GET', '/cardholders').then((list) => list.data),
  issueCard: (values: IssueCardValues) => call<Card>('POST', '/cards', values),
  setFrozen: (card: string, frozen: boolean) =>
    call<Card>('POST', `/cards/${card}/${frozen ? 'freeze' : 'unfreeze'}`),
  updateControls: (card: string, controls: SpendingControls) =>
    call<Card>('PATCH', `/cards/${card}`, { spending_controls: controls }),
  authorizations: (card: string, cursor: string | undefined, limit: number) =>
    call<ListPage<Activity>>(
      'GET',
      `/authorizations?card=${card}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    ),
  transactions: (card: string, cursor: string | undefined, limit: number) =>
    call<ListPage<Activity>>(
      'GET',
      `/transactions?card=${card}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    ),
  balance: () => call<Balance>('GET', '/balance'),
  approvers: () => call<{ data: Approver[] }>('GET', '/approvers').then((list) => list.data),
  cardRequests: (as: Approver['id']) =>
    call<ListPage<CardRequest>>('GET', `/card-requests?as=${as}`).then((list) => list.data),
  requestCard: (values: CardRequestValues) => call<CardRequest>('POST', '/card-requests', values),
  decide: (as: Approver['id'], id: string, decision: ApprovalDecision, comment?: string) =>
    call<CardRequest>('POST', `/card-requests/${id}/${decision}?as=${as}`, comment ? { comment } : {}),
  simulate: (purchase: SimulatedPurchase) => call<Activity>('POST', '/simulate/authorization', purchase),
};
