import { type CSSProperties, useId, useRef, useState } from 'react';
import type { CardRequest } from '../card-request-types.js';
import { useOpenIssuing } from '../context.js';
import { formatAmount } from '../format.js';
import { toError } from '../hooks/use-async.js';
import { cx, ErrorMessage } from './shared.js';

export type ApprovalDecision = 'approve' | 'reject';

export interface ApprovalInboxProps {
  /** The requests to show (e.g. `GET /card_requests?status=pending` through your backend). */
  requests: CardRequest[];
  /**
   * Calls your backend, which calls `POST /card_requests/{id}/approve` or `/reject` with the
   * approver's key; resolve with the updated request. A rejection always carries a comment.
   */
  onDecide: (id: string, decision: ApprovalDecision, comment?: string) => Promise<CardRequest>;
  /** Called with each updated request. */
  onDecided?: (request: CardRequest) => void;
  /** Display names of cardholders by id; ids are shown otherwise. */
  cardholderNames?: Record<string, string>;
  className?: string;
  style?: CSSProperties;
}

/**
 * The approver's inbox: each card request with its reason, amount and approval steps, a comment
 * field and Approve / Reject buttons. A rejection needs a comment. Each item announces its outcome
 * (`role="status"`) and carries `data-state` (`pending`, `approved`, `rejected`, `canceled`).
 *
 * @example
 * <ApprovalInbox requests={pending} onDecide={(id, decision, comment) => api.post(`/card_requests/${id}/${decision}`, { comment })} />
 */
export function ApprovalInbox({
  requests,
  onDecide,
  onDecided,
  cardholderNames,
  className,
  style,
}: ApprovalInboxProps) {
  const { t } = useOpenIssuing();
  const id = useId();
  const [updated, setUpdated] = useState<Record<string, CardRequest>>({});
  return (
    <section className={cx('oi-inbox', className)} style={style} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="oi-heading">
        {t('inbox.title')}
      </h2>
      {requests.length === 0 ? (
        <p className="oi-empty">{t('inbox.empty')}</p>
      ) : (
        <ul className="oi-inbox__list">
          {requests.map((request) => (
            <InboxItem
              key={request.id}
              request={updated[request.id] ?? request}
              holderName={cardholderNames?.[request.cardholder] ?? request.cardholder}
              onDecide={async (decision, comment) => {
                const next = await onDecide(request.id, decision, comment);
                setUpdated((u) => ({ ...u, [request.id]: next }));
                onDecided?.(next);
              }}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function InboxItem({
  request,
  holderName,
  onDecide,
}: {
  request: CardRequest;
  holderName: string;
  onDecide: (decision: ApprovalDecision, comment?: string) => Promise<void>;
}) {
  const { t, locale } = useOpenIssuing();
  const id = useId();
  const [comment, setComment] = useState('');
  const [commentError, setCommentError] = useState<string>();
  const [busy, setBusy] = useState<ApprovalDecision>();
  const [failure, setFailure] = useState<Error>();
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const open = request.status === 'pending';

  const decide = async (decision: ApprovalDecision) => {
    if (busy || !open) return;
    if (decision === 'reject' && !comment.trim()) {
      setCommentError(t('inbox.commentRequired'));
      commentRef.current?.focus();
      return;
    }
    setCommentError(undefined);
    setBusy(decision);
    setFailure(undefined);
    try {
      await onDecide(decision, comment.trim() || undefined);
      setComment('');
    } catch (cause) {
      setFailure(toError(cause));
    } finally {
      setBusy(undefined);
    }
  };

  const amount =
    request.requested_amount === null
      ? t('inbox.noLimit')
      : formatAmount(request.requested_amount, request.currency, locale);
  return (
    <li className="oi-inbox__item" data-state={request.status}>
      <article aria-labelledby={`${id}-title`}>
        <h3 id={`${id}-title`} className="oi-inbox__title">
          {t(`inbox.title.${request.type}`, { name: holderName })}
        </h3>
        <p>
          {t('inbox.amount')}: <strong>{amount}</strong>
          {request.dimensions?.department ? ` · ${request.dimensions.department}` : ''}
        </p>
        <p className="oi-inbox__reason">{request.reason}</p>
        <ul className="oi-inbox__steps" aria-label={t('inbox.steps')}>
          {request.approvals.map((a) => (
            <li key={a.step} data-state={a.status}>
              {t(`approval.step.${a.step}`)}: {t(`approval.status.${a.status}`)}
              {a.comment ? ` — “${a.comment}”` : ''}
            </li>
          ))}
        </ul>
        {open ? (
          <div className="oi-field">
            <label htmlFor={`${id}-comment`}>{t('inbox.comment')}</label>
            <textarea
              id={`${id}-comment`}
              ref={commentRef}
              rows={2}
              maxLength={500}
              value={comment}
              aria-invalid={Boolean(commentError)}
              aria-describedby={commentError ? `${id}-comment-error` : undefined}
              onChange={(event) => setComment(event.target.value)}
            />
            {commentError ? (
              <p id={`${id}-comment-error`} className="oi-field-error">
                {commentError}
              </p>
            ) : null}
          </div>
        ) : null}
        {open ? (
          <div className="oi-inbox__actions">
            <button
              type="button"
              className="oi-button oi-button--primary"
              aria-disabled={Boolean(busy)}
              onClick={() => decide('approve')}
            >
              {busy === 'approve' ? t('inbox.approving') : t('inbox.approve')}
            </button>
            <button
              type="button"
              className="oi-button"
              aria-disabled={Boolean(busy)}
              onClick={() => decide('reject')}
            >
              {busy === 'reject' ? t('inbox.rejecting') : t('inbox.reject')}
            </button>
          </div>
        ) : null}
        <p role="status" className="oi-success">
          {request.status === 'pending' ? '' : t(`inbox.outcome.${request.status}`)}
        </p>
        {failure ? <ErrorMessage error={failure} /> : null}
      </article>
    </li>
  );
}
