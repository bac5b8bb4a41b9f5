import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformOptions } from '../src/index';
import { BACKENDS } from './access-backends';
import { type Client, client, seedCard, start } from './helpers';

describe.each(BACKENDS)('card requests and approvals on $name', (backend) => {
  let options: PlatformOptions;
  let platform: Awaited<ReturnType<typeof start>>['platform'];
  let api: Client;
  let marketingApprover: Client;
  let marketingApproverId: string;
  let salesApprover: Client;
  let finance: Client;
  let requester: Client;

  const key = async (name: string, permissions: string[], dimension_scope?: Record<string, string>) => {
    const res = await api.post('/api_keys', {
      name,
      permissions,
      ...(dimension_scope ? { dimension_scope } : {}),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { c: client(platform, res.body.secret), id: res.body.id as string };
  };

  beforeAll(async () => {
    options = backend.options();
    ({ platform, api } = await start(options));
    const m = await key('Marketing approver', ['card_requests:read', 'card_requests:approve'], {
      department: 'marketing',
    });
    marketingApprover = m.c;
    marketingApproverId = m.id;
    salesApprover = (
      await key('Sales approver', ['card_requests:read', 'card_requests:approve'], { department: 'sales' })
    ).c;
    finance = (await key('Finance', ['card_requests:read', 'card_requests:approve'])).c;
    requester = (
      await key('Marketing lead', ['card_requests:write', 'cardholders:read'], { department: 'marketing' })
    ).c;
  });
  afterAll(async () => {
    await platform.close();
    await backend.drop(options);
  });

  const holder = async (department = 'marketing') =>
    (await seedCard(api, {}, { dimensions: { department } }, 0)).cardholder;

  it('needs the department and finance above the finance threshold; issues the card only on the last approval', async () => {
    const h = await holder();
    const created = await requester.post('/card_requests', {
      type: 'new_card',
      cardholder: h.id,
      spending_controls: {
        spending_limits: [{ amount: 2_500_000, interval: 'monthly' }],
        allowed_categories: ['advertising'],
      },
      dimensions: { project: 'spring-launch' },
      reason: 'Google Ads budget for the spring launch',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const r = created.body;
    expect(r.status).toBe('pending');
    expect(r.card).toBeNull();
    expect(r.requested_amount).toBe(2_500_000);
    expect(r.approvals.map((a: { step: string }) => a.step)).toEqual(['department', 'finance']);
    expect(r.dimensions).toEqual({ department: 'marketing', project: 'spring-launch' });

    // Finance may approve first; the department step stays pending and no card exists yet.
    const byFinance = await finance.post(`/card_requests/${r.id}/approve`, {});
    expect(byFinance.status, JSON.stringify(byFinance.body)).toBe(200);
    expect(byFinance.body.status).toBe('pending');
    expect(byFinance.body.approvals.map((a: { status: string }) => a.status)).toEqual([
      'pending',
      'approved',
    ]);
    const cardsBefore = (await api.get(`/cards?cardholder=${h.id}`)).body.data.length;

    // Another department's approver does not even see the request.
    const bySales = await salesApprover.post(`/card_requests/${r.id}/approve`, {});
    expect(bySales.status).toBe(404);
    expect(bySales.body.code).toBe('resource_missing');
    // Finance cannot decide the department step too.
    const again = await finance.post(`/card_requests/${r.id}/approve`, {});
    expect(again.status).toBe(403);
    expect(again.body.code).toBe('insufficient_permissions');
    // A key without card_requests:approve cannot approve.
    const noApprove = await requester.post(`/card_requests/${r.id}/approve`, {});
    expect(noApprove.status).toBe(403);
    expect(noApprove.body.detail).toContain('card_requests:approve');

    const done = await marketingApprover.post(`/card_requests/${r.id}/approve`, {
      comment: 'Within the campaign budget',
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.status).toBe('approved');
    expect(done.body.card).toMatch(/^ic_/);
    expect(done.body.approvals[0]).toMatchObject({
      step: 'department',
      status: 'approved',
      api_key: marketingApproverId,
      comment: 'Within the campaign budget',
    });
    expect(done.body.history.map((h: { action: string }) => h.action)).toEqual([
      'created',
      'approved',
      'approved',
      'fulfilled',
    ]);
    const card = (await api.get(`/cards/${done.body.card}`)).body;
    expect(card.cardholder).toBe(h.id);
    expect(card.spending_controls.spending_limits).toEqual([{ amount: 2_500_000, interval: 'monthly' }]);
    expect(card.dimensions).toEqual({ department: 'marketing', project: 'spring-launch' });
    expect((await api.get(`/cards?cardholder=${h.id}`)).body.data.length).toBe(cardsBefore + 1);

    // Every step is an event.
    const types = [];
    for (const type of ['card_request.created', 'card_request.updated', 'card_request.approved']) {
      const evs = (await api.get(`/events?type=${type}&limit=100`)).body.data.filter(
        (e: { data: { object: { id: string } } }) => e.data.object.id === r.id,
      );
      types.push(...evs.map((e: { type: string }) => e.type));
    }
    expect(types).toEqual(['card_request.created', 'card_request.updated', 'card_request.approved']);
    const cardCreated = (await api.get('/events?type=card.created&limit=100')).body.data.filter(
      (e: { data: { object: { id: string } } }) => e.data.object.id === done.body.card,
    );
    expect(cardCreated).toHaveLength(1);

    const late = await finance.post(`/card_requests/${r.id}/approve`, {});
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('state_invalid');
  });

  it('rejects with a comment: nothing is issued, and the request cannot be approved afterwards', async () => {
    const h = await holder();
    const r = (
      await requester.post('/card_requests', {
        type: 'new_card',
        cardholder: h.id,
        spending_controls: { spending_limits: [{ amount: 50_000, interval: 'monthly' }] },
        reason: 'Team lunch card',
      })
    ).body;
    expect(r.approvals.map((a: { step: string }) => a.step)).toEqual(['department']);
    const noComment = await marketingApprover.post(`/card_requests/${r.id}/reject`, {});
    expect(noComment.status).toBe(400);
    expect(noComment.body.param).toBe('comment');
    const rejected = await marketingApprover.post(`/card_requests/${r.id}/reject`, {
      comment: 'Use the shared card',
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', card: null });
    expect(rejected.body.history.at(-1)).toMatchObject({
      action: 'rejected',
      step: 'department',
      comment: 'Use the shared card',
    });
    expect((await api.get(`/cards?cardholder=${h.id}`)).body.data).toHaveLength(1);
    const after = await api.post(`/card_requests/${r.id}/approve`, {});
    expect(after.status).toBe(409);
    expect(after.body).toMatchObject({ code: 'state_invalid', param: 'card_request' });
    expect(after.body.detail).toBe(
      `card_request: '${r.id}' is rejected; only a pending request can be approved.`,
    );
    const ev = (await api.get('/events?type=card_request.rejected&limit=100')).body.data.find(
      (e: { data: { object: { id: string } } }) => e.data.object.id === r.id,
    );
    expect(ev.data.object.status).toBe('rejected');
  });

  it('raises a limit only when approved, and leaves the card alone before', async () => {
    const { card } = await seedCard(
      api,
      { spending_controls: { spending_limits: [{ amount: 10_000, interval: 'daily' }] } },
      { dimensions: { department: 'marketing' } },
      0,
    );
    const r = (
      await requester.post('/card_requests', {
        type: 'limit_increase',
        card: card.id,
        spending_controls: { spending_limits: [{ amount: 40_000, interval: 'daily' }] },
        reason: 'Conference week',
      })
    ).body;
    expect(r).toMatchObject({
      type: 'limit_increase',
      status: 'pending',
      card: card.id,
      card_type: null,
      currency: 'usd',
    });
    expect((await api.get(`/cards/${card.id}`)).body.spending_controls.spending_limits[0].amount).toBe(
      10_000,
    );
    const ok = await marketingApprover.post(`/card_requests/${r.id}/approve`);
    expect(ok.body.status).toBe('approved');
    expect((await api.get(`/cards/${card.id}`)).body.spending_controls.spending_limits[0].amount).toBe(
      40_000,
    );
  });

  it('follows the policy: no approval below the thresholds, the department for listed categories', async () => {
    const policy = {
      currency: 'usd',
      department: { above_amount: 100_000, categories: ['travel'] },
      finance: { above_amount: 1_000_000, categories: [] },
    };
    expect((await api.patch('/program', { card_request_policy: policy })).body.card_request_policy).toEqual(
      policy,
    );
    try {
      const h = await holder();
      const small = await requester.post('/card_requests', {
        type: 'new_card',
        cardholder: h.id,
        spending_controls: {
          spending_limits: [{ amount: 20_000, interval: 'monthly' }],
          allowed_categories: ['software'],
        },
        reason: 'IDE licences',
      });
      expect(small.status).toBe(201);
      expect(small.body).toMatchObject({ status: 'approved', approvals: [] });
      expect(small.body.card).toMatch(/^ic_/);
      const travel = await requester.post('/card_requests', {
        type: 'new_card',
        cardholder: h.id,
        spending_controls: {
          spending_limits: [{ amount: 20_000, interval: 'monthly' }],
          allowed_categories: ['travel'],
        },
        reason: 'Trip to the customer',
      });
      expect(travel.body.approvals.map((a: { step: string }) => a.step)).toEqual(['department']);
      // Unlimited counts as above every threshold; EUR is converted to the policy's USD.
      const unlimited = await requester.post('/card_requests', {
        type: 'new_card',
        cardholder: h.id,
        spending_controls: {},
        reason: 'x',
      });
      expect(unlimited.body.requested_amount).toBeNull();
      expect(unlimited.body.approvals.map((a: { step: string }) => a.step)).toEqual([
        'department',
        'finance',
      ]);
      const bad = await api.patch('/program', { card_request_policy: { ...policy, currency: 'xxx' } });
      expect(bad.status).toBe(400);
      expect(bad.body.param).toBe('card_request_policy.currency');
    } finally {
      await api.patch('/program', {
        card_request_policy: {
          currency: 'usd',
          department: { above_amount: 0, categories: [] },
          finance: { above_amount: 1_000_000, categories: [] },
        },
      });
    }
  });

  it('refuses inconsistent requests with a 400 naming the field', async () => {
    const h = await holder();
    const { card } = await seedCard(api, {}, { dimensions: { department: 'marketing' } }, 0);
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'new_card', spending_controls: {}, reason: 'x' }, 'cardholder'],
      [{ type: 'new_card', cardholder: h.id, card: card.id, spending_controls: {}, reason: 'x' }, 'card'],
      [{ type: 'limit_increase', spending_controls: {}, reason: 'x' }, 'card'],
      [
        { type: 'limit_increase', card: card.id, currency: 'eur', spending_controls: {}, reason: 'x' },
        'currency',
      ],
      [{ type: 'new_card', cardholder: h.id, spending_controls: {} }, 'reason'],
      [
        { type: 'new_card', cardholder: h.id, currency: 'zzz', spending_controls: {}, reason: 'x' },
        'currency',
      ],
      [
        {
          type: 'new_card',
          cardholder: h.id,
          spending_controls: {},
          reason: 'x',
          dimensions: { department: 'sales' },
        },
        'dimensions.department',
      ],
    ];
    for (const [body, param] of cases) {
      const res = await requester.post('/card_requests', body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      const params = [res.body.param, ...(res.body.errors ?? []).map((e: { param: string }) => e.param)];
      expect(params, JSON.stringify(res.body)).toContain(param);
    }
    expect((await api.get(`/card_requests?cardholder=${h.id}`)).body.data).toEqual([]);
  });

  it('lets the requester cancel a pending request, once', async () => {
    const h = await holder();
    const r = (
      await requester.post('/card_requests', {
        type: 'new_card',
        cardholder: h.id,
        spending_controls: {},
        reason: 'x',
      })
    ).body;
    const canceled = await requester.post(`/card_requests/${r.id}/cancel`, { comment: 'No longer needed' });
    expect(canceled.body.status).toBe('canceled');
    const again = await requester.post(`/card_requests/${r.id}/cancel`, {});
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'state_invalid',
      param: 'card_request',
      detail: `card_request: '${r.id}' is canceled; only a pending request can be canceled.`,
    });
    const listed = (await marketingApprover.get('/card_requests?status=canceled&limit=100')).body.data;
    expect(listed.map((x: { id: string }) => x.id)).toContain(r.id);
  });

  it('two approvers at the same moment issue exactly one card', async () => {
    const h = await holder();
    const r = (
      await requester.post('/card_requests', {
        type: 'new_card',
        cardholder: h.id,
        spending_controls: { spending_limits: [{ amount: 5_000_000, interval: 'monthly' }] },
        reason: 'Offsite',
      })
    ).body;
    const [a, b] = await Promise.all([
      marketingApprover.post(`/card_requests/${r.id}/approve`),
      finance.post(`/card_requests/${r.id}/approve`),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const final = (await api.get(`/card_requests/${r.id}`)).body;
    expect(final.status).toBe('approved');
    const cards = (await api.get(`/cards?cardholder=${h.id}&limit=100`)).body.data;
    expect(
      cards.filter((c: { metadata: Record<string, string> }) => c.metadata.card_request === r.id),
    ).toHaveLength(1);
  });
});
