import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specOperations } from '../src/access/permissions';
import { scopeAllowsResource } from '../src/access/scope';
import { SCOPED_RESOURCES } from '../src/access/scoped-resources';
import { openapiDocument } from '../src/api-spec';
import type { PlatformOptions } from '../src/index';
import { apiKeyRowsText, BACKENDS } from './access-backends';
import { authorize, type Client, client, type Json, seedCard, start } from './helpers';

type Obj = Record<string, Json>;

/** The first example of an operation's request body in the spec, with $refs resolved. */
function bodyExample(method: string, template: string): Obj | undefined {
  const op = (openapiDocument.paths as Obj)[template][method] as Obj;
  const media = op.requestBody?.content?.['application/json'];
  if (!media) return undefined;
  const first = Object.values(media.examples ?? {})[0] as Obj | undefined;
  if (!first) return undefined;
  const resolved = first.$ref
    ? ((openapiDocument.components as Obj).examples[String(first.$ref).split('/').pop() as string] as Obj)
    : first;
  return structuredClone(resolved.value as Obj);
}

/** Example ids of the spec's path parameters, for program-wide objects the fixture has none of. */
const PATH_EXAMPLES: Record<string, string> = Object.fromEntries(
  Object.values((openapiDocument.components as Obj).parameters as Obj)
    .filter((p: Obj) => p.in === 'path')
    .map((p: Obj) => [p.name, p.example]),
);

/** Ids of one department's objects, keyed by the path parameter / body field that names them. */
type Fixture = Record<string, string>;

/** The answer to a request with a revoked restricted key: what is wrong and how to get a new one. */
const revokedKey = {
  code: 'api_key_invalid',
  param: 'Authorization',
  detail:
    'Authorization: this restricted key was revoked; ask for a new one (POST /api_keys with the secret key).',
};

describe.each(BACKENDS)('scoped API keys on $name', (backend) => {
  let options: PlatformOptions;
  let platform: Awaited<ReturnType<typeof start>>['platform'];
  let api: Client;
  let marketing: Fixture;
  let sales: Fixture;
  let scoped: Client;
  let scopedSecret: string;

  /** One of each scoped object in `department`, plus program-wide objects the ops need. */
  async function fixture(department: string): Promise<Fixture> {
    const { cardholder, card } = await seedCard(api, {}, { dimensions: { department } }, 100_000);
    const auth = await authorize(api, card.id, 5_000);
    expect(auth.body.approved, JSON.stringify(auth.body)).toBe(true);
    const captured = await authorize(api, card.id, 2_000);
    await api.post(`/test_helpers/authorizations/${captured.body.id}/capture`, {});
    const txn = (await api.get(`/transactions?authorization=${captured.body.id}`)).body.data[0];
    const request = await api.post('/card_requests', {
      type: 'new_card',
      cardholder: cardholder.id,
      spending_controls: { spending_limits: [{ amount: 90_000, interval: 'monthly' }] },
      reason: `${department} card`,
    });
    const ek = await api.post('/ephemeral_keys', { card: card.id });
    const created = (await api.get('/events?type=cardholder.created&limit=100')).body.data;
    const event = created.find((e: Obj) => e.data.object.id === cardholder.id);
    const ids: Fixture = {
      cardholder: cardholder.id,
      card: card.id,
      authorization: auth.body.id,
      transaction: txn.id,
      card_request: request.body.id,
      ephemeral_key: ek.body.id,
      event: event.id,
    };
    // Any other scoped resource (budgets, …) gets one object from its create operation's spec
    // example, with its dimensions set to this department.
    for (const r of SCOPED_RESOURCES) {
      if (ids[r.param] || !(openapiDocument.paths as Obj)[`/${r.resource}`]?.post) continue;
      const body = bodyExample('post', `/${r.resource}`) ?? {};
      body[r.dimensionsField ?? 'dimensions'] = { department };
      const made = await api.post(`/${r.resource}`, body);
      expect(made.status, `POST /${r.resource}: ${JSON.stringify(made.body)}`).toBe(201);
      ids[r.param] = made.body.id;
    }
    return ids;
  }

  beforeAll(async () => {
    options = backend.options();
    ({ platform, api } = await start(options));
    marketing = await fixture('marketing');
    sales = await fixture('sales');
    const every = specOperations().map((o) => `${o.permission.resource}:${o.permission.access}`);
    const permissions = [...new Set(every.filter((p) => !p.startsWith('api_keys:')))];
    const key = await api.post('/api_keys', {
      name: 'Marketing, everything',
      permissions,
      dimension_scope: { department: 'marketing' },
    });
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    scopedSecret = key.body.secret;
    scoped = client(platform, scopedSecret);
  });
  afterAll(async () => {
    await platform.close();
    await backend.drop(options);
  });

  it('tells a scoped key without the permission that a program-wide operation needs an unscoped key', async () => {
    const key = await api.post('/api_keys', {
      name: 'Marketing cards',
      permissions: ['cards:read'],
      dimension_scope: { department: 'marketing' },
    });
    const res = await client(platform, key.body.secret).get('/balance');
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('insufficient_permissions');
    // Adding balance:read would not help a scoped key, so the answer must not suggest it.
    expect(res.body.detail).toContain('program-wide');
    expect(res.body.detail).toContain('without dimension_scope');
    expect(res.body.detail).not.toContain('lacks');
  });

  it('is shown once, stored only as a hash, listable with a redacted secret, and revocable at once', async () => {
    const created = await api.post('/api_keys', { name: 'Temp', permissions: ['cards:read'] });
    expect(created.body.secret).toMatch(/^rk_test_[A-Za-z0-9]+$/);
    expect(created.body.redacted_secret).toBe(`rk_test_…${created.body.secret.slice(-4)}`);
    const listed = (await api.get('/api_keys?limit=100')).body.data;
    const mine = listed.find((k: Obj) => k.id === created.body.id);
    expect(mine).toMatchObject({
      status: 'active',
      name: 'Temp',
      permissions: ['cards:read'],
      dimension_scope: null,
    });
    expect(mine.secret).toBeUndefined();
    expect(JSON.stringify(listed)).not.toContain(created.body.secret);
    if (options.schema) {
      const rows = await apiKeyRowsText(options.schema);
      expect(rows).toContain(created.body.id);
      expect(rows).not.toContain(created.body.secret);
      expect(rows).not.toContain(scopedSecret);
    }
    const temp = client(platform, created.body.secret);
    expect((await temp.get('/cards')).status).toBe(200);
    const revoked = await api.post(`/api_keys/${created.body.id}/revoke`);
    expect(revoked.body).toMatchObject({ status: 'revoked' });
    expect(revoked.body.revoked_at).not.toBeNull();
    const after = await temp.get('/cards');
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject(revokedKey);
    const again = await api.post(`/api_keys/${created.body.id}/revoke`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'state_invalid',
      param: 'api_key',
      detail: `api_key: '${created.body.id}' is already revoked.`,
    });
    expect((await api.get('/api_keys?status=revoked&limit=100')).body.data.map((k: Obj) => k.id)).toContain(
      created.body.id,
    );
  });

  it('is revoked at once in every platform instance sharing the database (no key cache)', async (ctx) => {
    if (!options.schema) return ctx.skip(); // PGlite is one process's database
    const other = await start(options);
    try {
      const created = await api.post('/api_keys', { name: 'Shared', permissions: ['cards:read'] });
      const there = client(other.platform, created.body.secret);
      expect((await there.get(`/cards/${marketing.card}`)).status).toBe(200);
      await api.post(`/api_keys/${created.body.id}/revoke`);
      const refused = await there.get(`/cards/${marketing.card}`);
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject(revokedKey);
    } finally {
      await other.platform.close();
    }
  });

  it('refuses what its permissions do not grant, and never manages keys', async () => {
    const reader = client(
      platform,
      (await api.post('/api_keys', { name: 'R', permissions: ['cards:read'] })).body.secret,
    );
    expect((await reader.get(`/cards/${marketing.card}`)).status).toBe(200);
    const write = await reader.post(`/cards/${marketing.card}/freeze`);
    expect(write.status).toBe(403);
    expect(write.body.detail).toContain("'cards:write'");
    expect((await reader.get('/transactions')).status).toBe(403);
    expect((await scoped.get('/api_keys')).status).toBe(403);
    const escalate = await api.post('/api_keys', { name: 'X', permissions: ['api_keys:write'] });
    expect(escalate.status).toBe(400);
    expect(escalate.body.param).toBe('permissions[0]');
    const unknown = await api.post('/api_keys', { name: 'X', permissions: ['cards:approve'] });
    expect(unknown.status).toBe(400);
    const nothing = await api.post('/api_keys', { name: 'X', permissions: ['widgets:read'] });
    expect(nothing.body.detail).toContain('not a resource');
    // The spec's DimensionScope has minProperties: 1; the request validator refuses {} from it.
    const empty = await api.post('/api_keys', {
      name: 'X',
      permissions: ['cards:read'],
      dimension_scope: {},
    });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ code: 'parameter_missing', param: 'dimension_scope' });
    expect(empty.body.detail).toBe(
      'dimension_scope must set at least 1 field: give at least one pair, such as {"department": "marketing"}, or leave it out for the whole program.',
    );
  });

  it('sees its own department: retrieves answer 200 and lists hold its objects only', async () => {
    for (const [path, id] of [
      ['/cardholders', marketing.cardholder],
      ['/cards', marketing.card],
      ['/authorizations', marketing.authorization],
      ['/transactions', marketing.transaction],
      ['/card_requests', marketing.card_request],
      ['/budgets', marketing.budget as string],
      ['/events', marketing.event as string],
    ] as const) {
      expect((await scoped.get(`${path}/${id}`)).status, path).toBe(200);
      const all = (await scoped.get(`${path}?limit=100`)).body.data.map((o: Obj) => o.id);
      expect(all, path).toContain(id);
      expect(JSON.stringify(all)).not.toMatch(new RegExp(Object.values(sales).join('|')));
    }
    // The spend report sums only the key's department.
    const range = `created_gte=${new Date(Date.now() - 86_400_000).toISOString()}&created_lt=${new Date(Date.now() + 60_000).toISOString()}`;
    const report = (await scoped.get(`/reports/spend?group_by=cardholder&${range}`)).body;
    expect(report.rows.map((r: Obj) => r.group)).toEqual([marketing.cardholder]);
    const everything = (await api.get(`/reports/spend?group_by=cardholder&${range}`)).body;
    expect(everything.rows.map((r: Obj) => r.group)).toEqual(
      expect.arrayContaining([marketing.cardholder, sales.cardholder]),
    );
    const made = await scoped.post('/cardholders', {
      type: 'individual',
      name: 'New',
      email: 'n@example.com',
    });
    expect(made.body.dimensions).toEqual({ department: 'marketing' });
    const moved = await scoped.patch(`/cardholders/${marketing.cardholder}`, {
      dimensions: { department: 'sales' },
    });
    expect(moved.status).toBe(400);
    expect(moved.body.param).toBe('dimensions.department');
    // A cursor naming another department's object is as unknown as a made-up one.
    const cursor = Buffer.from(JSON.stringify({ o: 'desc', id: sales.card })).toString('base64url');
    expect((await scoped.get(`/cards?cursor=${cursor}`)).status).toBe(400);
  });

  // Every operation of the spec, against the other department's objects. New operations are covered
  // as soon as they are in the spec: path parameters and body references are filled from the
  // fixture by name, bodies from the spec's own request examples.
  it('answers every operation of the spec on another department as if the object did not exist', async () => {
    const before = await snapshot(sales);
    const outcomes: string[] = [];
    for (const o of specOperations()) {
      const op = (openapiDocument.paths as Obj)[o.template][o.method] as Obj;
      const security = op.security as Obj[] | undefined;
      if (security && security.length === 0) {
        // GET /cards/{card}/display takes no credential and serves a page without card data.
        outcomes.push(`${o.method} ${o.template}: no credential`);
        continue;
      }
      const names = [...o.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
      let path = o.template;
      for (const n of names) {
        // A scoped resource without a fixture object would make its 404 prove nothing.
        const scopedParam = SCOPED_RESOURCES.some((r) => r.param === n);
        expect(!scopedParam || n in sales, `${o.template}: no ${n} in the fixture`).toBe(true);
        path = path.replace(`{${n}}`, sales[n] ?? PATH_EXAMPLES[n] ?? n);
      }
      const body =
        o.method === 'get' || o.method === 'delete' ? undefined : (bodyExample(o.method, o.template) ?? {});
      const refs = names.filter((n) => n in sales);
      for (const field of Object.keys(body ?? {})) {
        if (field in sales && body) {
          body[field] = sales[field];
          refs.push(field);
        }
      }
      // Required query parameters from the spec's own examples (GET /reports/spend's date range).
      const required = [
        ...(((openapiDocument.paths as Obj)[o.template].parameters as Obj[] | undefined) ?? []),
        ...((op.parameters as Obj[] | undefined) ?? []),
      ]
        .map((p) =>
          p.$ref
            ? (openapiDocument.components as Obj).parameters[String(p.$ref).split('/').pop() as string]
            : p,
        )
        .filter((p) => p.in === 'query' && p.required);
      if (required.length)
        path += `?${required.map((p) => `${p.name}=${encodeURIComponent(p.example)}`).join('&')}`;
      const res = await scoped.call(o.method.toUpperCase(), path, body);
      const label = `${o.method.toUpperCase()} ${o.template} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
      if (security?.some((s) => 'ephemeralKey' in s)) {
        expect(res.status, label).toBe(403);
      } else if (o.permission.resource === 'api_keys' || !scopeAllowsResource(o.permission.resource)) {
        expect(res.status, label).toBe(403);
        expect(res.body.code, label).toBe('insufficient_permissions');
      } else if (refs.length > 0) {
        expect(res.status, label).toBe(404);
        expect(res.body.code, label).toBe('resource_missing');
        expect(refs, label).toContain(res.body.param);
      } else {
        expect(res.status, label).toBeLessThan(300);
        for (const id of Object.values(sales)) expect(JSON.stringify(res.body), label).not.toContain(id);
      }
      outcomes.push(`${o.method} ${o.template}: ${res.status}`);
    }
    if (process.env.SHOW_OUTCOMES) console.log(outcomes.join('\n'));
    expect(outcomes.length).toBe(specOperations().length);
    expect(await snapshot(sales)).toEqual(before);
  });

  it('leaves every object outside its scope out of every list, every spend report and the events', async () => {
    // A program-wide object with events of its own (topup.created, balance.updated).
    const topup = await api.post('/topups', bodyExample('post', '/topups'));
    expect(topup.status, JSON.stringify(topup.body)).toBe(201);
    const outside = [...Object.values(sales), topup.body.id as string];
    const range = `created_gte=${new Date(Date.now() - 86_400_000).toISOString()}&created_lt=${new Date(Date.now() + 60_000).toISOString()}`;
    const groupings = ((openapiDocument.components as Obj).schemas.SpendReportGroupBy.enum as string[]).map(
      (g) => `group_by=${g}${g === 'dimension' ? '&dimension=department' : ''}`,
    );
    const listed = new Set<string>();
    const reads: string[] = [];
    // Every GET of the spec without a path parameter that a scoped key may call: every list and report.
    for (const o of specOperations()) {
      if (o.method !== 'get' || o.template.includes('{') || !scopeAllowsResource(o.permission.resource))
        continue;
      const queries =
        o.template === '/reports/spend' ? groupings.map((g) => `?${g}&${range}`) : ['?limit=100'];
      for (const query of queries) {
        const res = await scoped.get(`${o.template}${query}`);
        const label = `GET ${o.template}${query}`;
        expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(200);
        for (const id of outside) expect(JSON.stringify(res.body), label).not.toContain(id);
        for (const item of (res.body.data ?? []) as Obj[]) if (item.id) listed.add(item.id);
        reads.push(label);
      }
    }
    expect(reads).toEqual(expect.arrayContaining(['GET /events?limit=100', 'GET /budgets?limit=100']));
    expect(reads.filter((r) => r.startsWith('GET /reports/spend')).length).toBe(groupings.length);
    // The events listed are about objects the key itself lists, and cover each kind of them.
    const events = (await scoped.get('/events?limit=100')).body.data as Obj[];
    for (const e of events) expect(listed, `${e.type} ${e.id}`).toContain(e.data.object.id);
    const types = events.map((e) => e.type);
    for (const type of [
      'cardholder.created',
      'card.created',
      'authorization.created',
      'transaction.created',
      'card_request.created',
      'budget.created',
    ])
      expect(types).toContain(type);
    expect(types).not.toContain('topup.created');
    expect(types).not.toContain('balance.updated');
    const byDepartment = (await scoped.get(`/reports/spend?group_by=dimension&dimension=department&${range}`))
      .body;
    expect(new Set(byDepartment.rows.map((r: Obj) => r.group))).toEqual(new Set(['marketing']));
  });

  it("follows an object's scope as it is now: its events leave the key's view when it moves out", async () => {
    const holder = (
      await api.post('/cardholders', {
        type: 'individual',
        name: 'Mover',
        email: 'mover@example.com',
        dimensions: { department: 'marketing' },
      })
    ).body;
    const events = (await api.get('/events?type=cardholder.created&limit=100')).body.data as Obj[];
    const event = events.find((e) => e.data.object.id === holder.id) as Obj;
    expect((await scoped.get(`/events/${event.id}`)).status).toBe(200);
    await api.patch(`/cardholders/${holder.id}`, { dimensions: { department: 'sales' } });
    const gone = await scoped.get(`/events/${event.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ code: 'resource_missing', param: 'event' });
    const after = (await scoped.get('/events?limit=100')).body.data as Obj[];
    expect(after.map((e) => e.data.object.id)).not.toContain(holder.id);
    expect((await api.get(`/events/${event.id}`)).status).toBe(200);
  });

  /** What another department's objects look like through the unrestricted key. */
  async function snapshot(f: Fixture) {
    return {
      cardholder: (await api.get(`/cardholders/${f.cardholder}`)).body,
      card: (await api.get(`/cards/${f.card}`)).body,
      authorization: (await api.get(`/authorizations/${f.authorization}`)).body,
      transaction: (await api.get(`/transactions/${f.transaction}`)).body,
      card_request: (await api.get(`/card_requests/${f.card_request}`)).body,
    };
  }
});
