import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The built package as consumers load it by name: CommonJS `require`, ESM `import`, and the subpath
// entries. (The worker and browser consumers are covered by workerd.test.ts and browser.test.ts.)
const run = promisify(execFile);
const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const vector = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
const sign = `({ payload: '{"test": 2432232314}', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330 })`;

describe('consumers of the built package', () => {
  it('has a build to load (run `npm run build -w @openissuing/sdk` first)', () => {
    expect(existsSync(dist)).toBe(true);
  });

  it('require() from CommonJS', async () => {
    const code = `
      const { OpenIssuing, webhooks, NotFoundError } = require('@openissuing/sdk');
      const { evaluateSpendingControls } = require('@openissuing/sdk/spend-controls');
      new OpenIssuing({ apiKey: 'sk_test_x', baseUrl: 'http://127.0.0.1:1' });
      webhooks.generateTestHeaders(${sign}).then((h) => console.log(h['webhook-signature'], typeof NotFoundError,
        evaluateSpendingControls(null, { amount: 1, merchant_data: { mcc: '5734', country: 'US' } }).reason));`;
    const { stdout } = await run(process.execPath, ['-e', code], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    expect(stdout.trim()).toBe(`${vector} function approved`);
  });

  it('import from ESM, including the dependency-free webhooks entry', async () => {
    const code = `
      import { OpenIssuing } from '@openissuing/sdk';
      import { webhooks } from '@openissuing/sdk/webhooks';
      import { createAuthorizationHandler } from '@openissuing/sdk/authorization';
      import { parseWebhookEvent } from '@openissuing/sdk/schemas';
      new OpenIssuing({ apiKey: 'sk_test_x', baseUrl: 'http://127.0.0.1:1' });
      const h = await webhooks.generateTestHeaders(${sign});
      console.log(h['webhook-signature'], typeof createAuthorizationHandler, typeof parseWebhookEvent);`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    expect(stdout.trim()).toBe(`${vector} function function`);
  });
});
