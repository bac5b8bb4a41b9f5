// @vitest-environment node
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ApprovalInbox } from '../src/components/approval-inbox.js';
import { CardRequestForm } from '../src/components/card-request-form.js';

describe('server rendering of the approval widgets', () => {
  it('renders without window or document', () => {
    expect(typeof window).toBe('undefined');
    const html = renderToString(
      <>
        <CardRequestForm onSubmit={async () => Promise.reject(new Error('not during SSR'))} />
        <ApprovalInbox
          requests={[
            {
              id: 'icr_1',
              type: 'limit_increase',
              status: 'pending',
              cardholder: 'ich_1',
              card: 'ic_1',
              currency: 'eur',
              spending_controls: {},
              reason: 'Trip',
              requested_amount: 50_000,
              approvals: [{ step: 'department', status: 'pending' }],
            },
          ]}
          onDecide={async () => Promise.reject(new Error('not during SSR'))}
        />
      </>,
    );
    expect(html).toContain('Request a card');
    expect(html).toContain('Higher limit for ich_1');
    expect(html).toContain('€500.00');
  });
});
