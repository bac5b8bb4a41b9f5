import { ApprovalInbox, type CardRequest, CardRequestForm } from '@openissuing/react';
import { useEffect, useState } from 'react';
import { type Approver, api, type Cardholder } from './api';
import type { AppStrings } from './strings';

/**
 * The Approvals view: a request form (as the requester) and the inbox of one approver, whose own
 * restricted key decides (see server/approvals.ts). Switch approvers to see the second step.
 */
export function ApprovalsView({
  cardholders,
  cards,
  strings,
  onChange,
}: {
  cardholders: Cardholder[];
  cards: Array<{ id: string; label: string }>;
  strings: AppStrings;
  onChange: () => void;
}) {
  const [approvers, setApprovers] = useState<Approver[]>([]);
  const [as, setAs] = useState<Approver['id']>('marketing');
  const [pending, setPending] = useState<CardRequest[]>();
  const [tick, setTick] = useState(0);

  useEffect(() => {
    api.approvers().then(setApprovers);
  }, []);
  useEffect(() => {
    // tick: reload after a new request
    void tick;
    setPending(undefined);
    api.cardRequests(as).then(setPending);
  }, [as, tick]);

  return (
    <div className="approvals">
      <CardRequestForm
        cardholders={cardholders}
        cards={cards}
        onSubmit={api.requestCard}
        onRequested={() => setTick((n) => n + 1)}
      />
      <div className="approvals__inbox">
        <label className="approvals__as">
          {strings.approveAs}
          <select value={as} onChange={(event) => setAs(event.target.value as Approver['id'])}>
            {approvers.map((a) => (
              <option key={a.id} value={a.id}>
                {a.id === 'marketing' ? strings.marketingApprover : strings.financeApprover}
              </option>
            ))}
          </select>
        </label>
        {pending ? (
          <ApprovalInbox
            key={`${as}:${tick}`}
            requests={pending}
            cardholderNames={Object.fromEntries(cardholders.map((h) => [h.id, h.name]))}
            onDecide={(id, decision, comment) => api.decide(as, id, decision, comment)}
            onDecided={(request) => {
              if (request.status === 'approved') onChange();
            }}
          />
        ) : (
          <p>{strings.loading}</p>
        )}
      </div>
    </div>
  );
}
