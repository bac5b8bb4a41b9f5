/**
 * The approvals part of `npm run demo`: a marketing employee asks for a card, the marketing approver
 * and finance approve it with their own restricted keys, an engineering-scoped key cannot even see
 * the request, and the card is issued only on the last approval. Returns the lines to print.
 */
import type { Platform } from './start';

// biome-ignore lint/suspicious/noExplicitAny: the demo reads API responses loosely; the tests check them against the spec.
type Json = Record<string, any>;

function keyCall(url: string, secret: string) {
  return async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> => {
    const res = await fetch(url + path, {
      method,
      headers: {
        Authorization: `Bearer ${secret}`,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
}

/** Runs the story against `platform`; `cardholder` is a marketing cardholder. */
export async function runApprovalStory(
  platform: Pick<Platform, 'url' | 'apiKey'>,
  cardholder: string,
): Promise<{ lines: string[]; ok: boolean }> {
  const admin = keyCall(platform.url, platform.apiKey);
  const key = async (name: string, permissions: string[], dimension_scope?: Record<string, string>) => {
    const res = await admin('POST', '/api_keys', {
      name,
      permissions,
      ...(dimension_scope ? { dimension_scope } : {}),
    });
    if (res.status !== 201) throw new Error(`POST /api_keys → ${res.status}: ${res.body.detail}`);
    return { id: res.body.id as string, call: keyCall(platform.url, res.body.secret as string) };
  };
  const requester = await key('Mia (requests cards)', ['card_requests:write', 'cardholders:read'], {
    department: 'marketing',
  });
  const approver = await key('Marketing approver', ['card_requests:read', 'card_requests:approve'], {
    department: 'marketing',
  });
  const finance = await key('Finance approver', ['card_requests:read', 'card_requests:approve']);
  const engineering = await key('Engineering approver', ['card_requests:read', 'card_requests:approve'], {
    department: 'engineering',
  });

  const lines: string[] = [];
  const created = await requester.call('POST', '/card_requests', {
    type: 'new_card',
    cardholder,
    spending_controls: {
      spending_limits: [{ amount: 2_500_000, interval: 'monthly' }],
      allowed_categories: ['advertising'],
    },
    dimensions: { project: 'spring-launch' },
    reason: 'Google Ads budget for the spring launch',
  });
  const r = created.body;
  if (created.status !== 201) throw new Error(`POST /card_requests → ${created.status}: ${r.detail}`);
  lines.push(
    ` Card request ${r.id}: $25,000.00/month for advertising, by a marketing-scoped key.`,
    `   Policy requires: ${r.approvals.map((a: Json) => a.step).join(' + ')} (above $0 → department, above $10,000.00 → finance).`,
  );
  const foreign = await engineering.call('POST', `/card_requests/${r.id}/approve`, {});
  lines.push(
    `   Engineering approver tries to approve → ${foreign.status} ${foreign.body.code} (it cannot see marketing's requests).`,
  );
  const half = await approver.call('POST', `/card_requests/${r.id}/approve`, {
    comment: 'Within the campaign budget',
  });
  lines.push(
    `   Marketing approver approves → ${half.body.status}; card issued yet: ${half.body.card ? 'yes' : 'no'}.`,
  );
  const done = await finance.call('POST', `/card_requests/${r.id}/approve`, { comment: 'OK for Q2' });
  lines.push(
    `   Finance approves → ${done.body.status}; card ${done.body.card} issued on the last approval.`,
  );
  lines.push(
    `   History: ${done.body.history.map((h: Json) => h.action + (h.step ? `(${h.step})` : '')).join(' → ')}`,
  );
  const ok = foreign.status === 404 && half.body.status === 'pending' && done.body.status === 'approved';
  return { lines, ok };
}
