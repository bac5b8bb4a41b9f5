import { zAuthorizationRequestEvent, zAuthorizationRequestResponse } from '../generated/zod/zod.gen';
import type { Authorization, AuthorizationRequestEvent, AuthorizationRequestResponse } from '../types';
import { type WebhookSecret, Webhooks } from '../webhooks/webhooks';

/** What `decide` may return: a boolean, or `{ approved, reason? }` (reason ≤ 200 characters, shown as the decline message). */
export type AuthorizationVerdict = boolean | AuthorizationRequestResponse;

/** Options of {@link createAuthorizationHandler}. */
export interface AuthorizationHandlerOptions {
  /** The endpoint's signing secret(s), `whsec_…`. */
  secret: WebhookSecret;
  /**
   * How long `decide` may take before the fallback answers, in ms. Keep it under the program's
   * `authorization_webhook_timeout_ms` (2000 by default) so the platform hears your fallback rather
   * than timing out. @default 1500
   */
  timeoutMs?: number;
  /** The answer when `decide` throws, times out or returns something invalid. @default 'decline' */
  fallback?: 'approve' | 'decline';
  /** Called with what went wrong (a thrown error, a timeout, an invalid verdict). Never receives card numbers. */
  onError?: (error: unknown) => void;
  /** Signature timestamp tolerance in seconds. @default 300 */
  tolerance?: number;
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const problem = (status: number, code: string, detail: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ type: 'about:blank', title: code, status, detail, code }), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });

/**
 * Builds a fetch-style handler for the real-time `authorization.request` webhook: it verifies the
 * signature, parses the event, calls `decide`, and always answers before the deadline, with the
 * configured fallback when `decide` is slow, throws or returns something invalid. Spending controls
 * have already approved what reaches you; your verdict can only decline.
 *
 * Runs wherever `Request`/`Response` exist: Node 18+, Deno, Bun, Cloudflare Workers, Next.js routes.
 *
 * @example
 * const handler = createAuthorizationHandler(
 *   async (authorization) => authorization.amount < 100_000 || { approved: false, reason: 'Needs approval' },
 *   { secret: process.env.OPENISSUING_WEBHOOK_SECRET!, timeoutMs: 1500, fallback: 'decline' },
 * );
 * export default { fetch: handler }; // e.g. a worker
 */
export function createAuthorizationHandler(
  decide: (
    authorization: Authorization,
    context: { event: AuthorizationRequestEvent; signal: AbortSignal },
  ) => AuthorizationVerdict | Promise<AuthorizationVerdict>,
  options: AuthorizationHandlerOptions,
): (request: Request) => Promise<Response> {
  const webhooks = new Webhooks({ secret: options.secret, tolerance: options.tolerance ?? 300 });
  const timeoutMs = options.timeoutMs ?? 1500;
  const fallback: AuthorizationRequestResponse =
    options.fallback === 'approve'
      ? { approved: true }
      : { approved: false, reason: 'The authorization could not be reviewed in time.' };
  const report = options.onError ?? (() => {});

  return async (request) => {
    // RFC 9110 §15.5.6: a 405 names the methods the resource allows.
    if (request.method !== 'POST')
      return problem(405, 'method_not_allowed', 'Send the webhook with POST.', { allow: 'POST' });
    let event: AuthorizationRequestEvent;
    try {
      const verified = await webhooks.unwrap(await request.text(), request.headers);
      if (verified.type !== 'authorization.request') {
        return problem(
          400,
          'unexpected_event',
          `This endpoint answers authorization.request, not ${verified.type}.`,
        );
      }
      // zod at the edge: the payload must be the spec's AuthorizationRequestEvent before `decide` sees it.
      const checked = zAuthorizationRequestEvent.safeParse(verified);
      if (!checked.success) {
        const fields = [...new Set(checked.error.issues.map((i) => i.path.join('.')))].join(', ');
        report(new Error(`authorization.request event does not match the spec: ${fields}`));
        return problem(
          400,
          'event_invalid',
          `The authorization.request event does not match the spec (${fields}).`,
        );
      }
      event = verified;
    } catch (error) {
      report(error);
      return problem(400, 'webhook_invalid', error instanceof Error ? error.message : String(error));
    }
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const verdict = await Promise.race([
        Promise.resolve().then(() => decide(event.data.object, { event, signal: controller.signal })),
        timedOut,
      ]);
      if (verdict === 'timeout') {
        controller.abort(new Error(`decide() took longer than ${timeoutMs} ms`));
        report(
          new Error(
            `decide() did not answer within ${timeoutMs} ms; answered with the ${options.fallback ?? 'decline'} fallback.`,
          ),
        );
        return json(fallback);
      }
      const answer = typeof verdict === 'boolean' ? { approved: verdict } : verdict;
      const parsed = zAuthorizationRequestResponse.safeParse(answer);
      if (!parsed.success) {
        report(
          new Error(
            `decide() returned ${JSON.stringify(answer)}; return true/false or { approved: boolean, reason?: string (≤ 200 characters) }.`,
          ),
        );
        return json(fallback);
      }
      return json(parsed.data.approved ? { approved: true } : parsed.data);
    } catch (error) {
      report(error);
      return json(fallback);
    } finally {
      clearTimeout(timer);
    }
  };
}
