import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openapiDocument } from '../src/api-spec';
import { deref, hostileValue, mutated, schemaArbitrary } from './fuzz/schema-arbitrary';
import { authorize, type Client, type Json, seedCard, specValidator, start } from './helpers';

// Issue #12: a property-based fuzz test driven by the spec's own request schemas. Every operation of
// the spec (including ones added later) gets mutated bodies, queries, path ids and headers, sent to
// the real server over HTTP. Every answer must be a success or a 4xx problem+json with a `code`
// (and a `param` when one field is at fault), documented by the spec; never a 5xx, never a hang; and
// a refused request changes nothing. Bounded: RUNS per operation and a time limit per operation.

const RUNS = Number(process.env.OPENISSUING_FUZZ_RUNS ?? 25);
const TIME_LIMIT_MS = 8_000;
const REQUEST_TIMEOUT_MS = 15_000;

interface Operation {
  method: string;
  template: string;
  parameters: Array<{ name: string; in: string; schema?: Json; required?: boolean }>;
  body?: Json;
  ephemeral: boolean;
}

const operations: Operation[] = Object.entries(openapiDocument.paths as Record<string, Json>).flatMap(
  ([template, item]) =>
    Object.entries(item)
      .filter(([method]) => ['get', 'post', 'patch', 'put', 'delete'].includes(method))
      .map(([method, op]: [string, Json]) => ({
        method: method.toUpperCase(),
        template,
        parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])].map(
          (p: unknown) => deref(p) as Json,
        ),
        body: (deref(op.requestBody) as Json).content?.['application/json']?.schema,
        ephemeral: JSON.stringify(op.security ?? []).includes('ephemeralKey'),
      })),
);

let platform: Awaited<ReturnType<typeof start>>['platform'];
let api: Client;
let ephemeralKey = '';
/** Real ids for path parameters, by parameter name; unknown names get generated ids. */
const ids: Record<string, string> = {};

beforeAll(async () => {
  ({ platform, api } = await start());
  const { card, cardholder } = await seedCard(api);
  ids.card = card.id;
  ids.cardholder = cardholder.id;
  const auth = await authorize(api, card.id, 1_000);
  ids.authorization = auth.body.id;
  const captured = await authorize(api, card.id, 2_000);
  const capture = await api.post(`/test_helpers/authorizations/${captured.body.id}/capture`, {});
  ids.transaction = capture.body.id;
  ids.topup = (await api.get('/topups?limit=1')).body.data[0].id;
  ids.event = (await api.get('/events?limit=1')).body.data[0].id;
  ids.webhook_endpoint = (
    await api.post('/webhook_endpoints', { url: 'http://127.0.0.1:9/hook', enabled_events: ['card.created'] })
  ).body.id;
  const ek = await api.post('/ephemeral_keys', { card: card.id });
  ids.ephemeral_key = ek.body.id;
  ephemeralKey = ek.body.secret;
});
afterAll(async () => {
  await platform?.close();
});

/** What a refused request must leave as it was: every change emits an event or shows in these reads. */
async function snapshot(): Promise<string> {
  const reads = [
    '/events?limit=1',
    '/balance',
    '/program',
    '/webhook_endpoints?limit=100',
    '/cards?limit=100',
  ];
  const bodies = await Promise.all(
    reads.map(async (path) => {
      const res = await fetch(platform.url + path, {
        headers: { Authorization: `Bearer ${platform.apiKey}` },
      });
      return res.text();
    }),
  );
  return bodies.join('\n');
}

const HOSTILE_PATH_IDS = [
  '4242424242424242',
  '%00',
  'x'.repeat(300),
  '%F0%9F%92%B3',
  '..%2F..%2Fbalance',
  "'%20OR%201",
];

function requestArbitrary(op: Operation) {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const path = fc.tuple(
    ...pathParams.map((p) =>
      fc.oneof(
        {
          weight: 3,
          arbitrary: ids[p.name]
            ? fc.constant(ids[p.name] as string)
            : schemaArbitrary(p.schema).map(String).map(encodeURIComponent),
        },
        { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_PATH_IDS) },
      ),
    ),
  );
  const query = fc.tuple(
    ...queryParams.map((p) =>
      fc.option(
        fc
          .oneof(schemaArbitrary(p.schema), hostileValue)
          .map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
        { freq: 2 },
      ),
    ),
  );
  const body: fc.Arbitrary<string | undefined> = fc.oneof(
    {
      weight: 6,
      arbitrary: op.body
        ? schemaArbitrary(op.body)
            .chain((v) => mutated(v))
            .map((v) => JSON.stringify(v))
        : fc.constantFrom(undefined, '{}', '{"zz_unknown":1}', JSON.stringify({ reason: '\u0000' })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{"a":',
        '[]',
        'null',
        '"text"',
        `{"a":${'['.repeat(5_000)}${']'.repeat(5_000)}}`,
        JSON.stringify({ blob: 'x'.repeat(300 * 1024) }),
      ),
    },
  );
  // Mostly plausible headers, so that most requests get past authentication to the validation.
  const rarely = <T>(arb: fc.Arbitrary<T>) =>
    fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
  const headers = fc.record({
    'Idempotency-Key': fc.option(
      fc.oneof(
        { weight: 4, arbitrary: fc.uuid() },
        { weight: 1, arbitrary: fc.constantFrom('', 'k'.repeat(300), 'fuzz-key') },
        { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 8 }).map((s) => encodeURIComponent(s)) },
      ),
      { nil: undefined },
    ),
    'Content-Type': rarely(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded')),
    'OpenIssuing-Version': rarely(fc.constantFrom('2026-11-01', '1999-01-01', 'latest')),
    Authorization: rarely(fc.constantFrom('Bearer sk_test_unknown_key_123', 'Basic abc', 'Bearer')),
  });
  return fc.record({ path, query, body, headers });
}

function urlOf(op: Operation, pathValues: string[], queryValues: Array<string | null>): string {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  let path = op.template;
  pathParams.forEach((p, i) => {
    path = path.replace(`{${p.name}}`, pathValues[i] as string);
  });
  const search = new URLSearchParams();
  queryParams.forEach((p, i) => {
    const v = queryValues[i];
    if (v !== null && v !== undefined) search.set(p.name, v);
  });
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

describe('fuzz: every operation of the spec, mutated requests against the real server', () => {
  it('covers every operation', () => {
    expect(operations.length).toBeGreaterThanOrEqual(41);
  });

  for (const op of operations) {
    it(`${op.method} ${op.template}`, async () => {
      const key = op.ephemeral ? ephemeralKey : platform.apiKey;
      // The time budget ends runs from inside the property: fast-check's interruptAfterTimeLimit
      // would leave the run in flight going on into the next operation's snapshots.
      const deadline = Date.now() + TIME_LIMIT_MS;
      await fc.assert(
        fc.asyncProperty(requestArbitrary(op), async (req) => {
          if (Date.now() > deadline) return;
          const url = urlOf(op, req.path, req.query);
          const mutates = op.method !== 'GET';
          const before = mutates ? await snapshot() : '';
          const headers: Record<string, string> = { Authorization: `Bearer ${key}` };
          if (req.body !== undefined) headers['Content-Type'] = 'application/json';
          for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = v;
          const res = await fetch(platform.url + url, {
            method: op.method,
            headers,
            body: op.method === 'GET' || op.method === 'DELETE' ? undefined : req.body,
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          });
          const text = await res.text();
          const where = `${op.method} ${url.slice(0, 200)} → ${res.status} ${text.slice(0, 300)}`;
          expect(res.status, where).toBeLessThan(500);
          expect(res.headers.get('request-id'), where).toMatch(/^req_/);
          const type = res.headers.get('content-type') ?? '';
          if (res.status >= 400) {
            expect(type, where).toContain('application/problem+json');
            const problem = JSON.parse(text);
            expect(typeof problem.code, where).toBe('string');
            expect(problem.status, where).toBe(res.status);
            // One field at fault → `param`; only a request Node could not parse has none to name.
            const unparsed = /^The (HTTP request|request line)/.test(problem.detail);
            if (res.status === 400 && !problem.errors?.length && !unparsed)
              expect(problem.param ?? '', where).not.toBe('');
            expect(text, `${where}: a digit run from the request was echoed`).not.toMatch(/\d{12}/);
            expect(
              specValidator.validateResponse(op.method, op.template, res.status, problem),
              where,
            ).toEqual([]);
            if (mutates)
              expect(await snapshot(), `${where}: a refused request changed something`).toBe(before);
          } else if (type.includes('json')) {
            expect(
              specValidator.validateResponse(op.method, op.template, res.status, JSON.parse(text)),
              where,
            ).toEqual([]);
          }
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
    });
  }
});
