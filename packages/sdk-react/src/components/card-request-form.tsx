import { type CSSProperties, type FormEvent, useId, useRef, useState } from 'react';
import type { CardRequest, CardRequestValues } from '../card-request-types.js';
import { useOpenIssuing } from '../context.js';
import { parseAmount } from '../format.js';
import { toError } from '../hooks/use-async.js';
import type { SpendingCategory } from '../types.js';
import { cx, ErrorMessage } from './shared.js';
import { categoryLabel, DEFAULT_CATEGORIES } from './spend-controls-editor.js';

export interface CardRequestFormProps {
  /** Sends the values to your backend, which calls `POST /card_requests`; resolve with the request. */
  onSubmit: (values: CardRequestValues) => Promise<CardRequest>;
  /** Called after the request was created. */
  onRequested?: (request: CardRequest) => void;
  /** Cardholders a new card can be for; without it the field is a free-text cardholder id. */
  cardholders?: Array<{ id: string; name: string }>;
  /** Cards whose limit can be raised; without it only new cards can be requested. */
  cards?: Array<{ id: string; label: string }>;
  /** @default ['usd', 'eur'] */
  currencies?: string[];
  /** Categories offered for "only for"; @default every category of the catalog */
  categories?: readonly SpendingCategory[];
  className?: string;
  style?: CSSProperties;
}

type Field = 'target' | 'limit' | 'reason';

/**
 * A form to ask for a new card or a higher monthly limit, with a reason. The program's approval
 * policy decides who must approve; the success message names the pending approvers. Errors are tied
 * to their fields and focus moves to the first invalid one.
 *
 * @example
 * <CardRequestForm cardholders={people} cards={myCards} onSubmit={(values) => api.post('/card_requests', values)} />
 */
export function CardRequestForm({
  onSubmit,
  onRequested,
  cardholders,
  cards,
  currencies = ['usd', 'eur'],
  categories = DEFAULT_CATEGORIES,
  className,
  style,
}: CardRequestFormProps) {
  const { t } = useOpenIssuing();
  const id = useId();
  const [type, setType] = useState<CardRequestValues['type']>('new_card');
  const [target, setTarget] = useState('');
  const [currency, setCurrency] = useState(currencies[0] ?? 'usd');
  const [limit, setLimit] = useState('');
  const [category, setCategory] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<Error>();
  const [result, setResult] = useState<CardRequest>();
  const refs = {
    target: useRef<HTMLSelectElement & HTMLInputElement>(null),
    limit: useRef<HTMLInputElement>(null),
    reason: useRef<HTMLTextAreaElement>(null),
  };
  const newCard = type === 'new_card';
  const targetLabel = newCard ? t('request.cardholder') : t('request.card');
  const options = newCard ? cardholders?.map((h) => ({ id: h.id, label: h.name })) : cards;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    const found: Partial<Record<Field, string>> = {};
    if (!target.trim()) found.target = t('validation.required', { field: targetLabel });
    const amount = parseAmount(limit, currency);
    const limitLabel = t('request.limit', { currency: currency.toUpperCase() });
    if (!limit.trim()) found.limit = t('validation.required', { field: limitLabel });
    else if (amount === null) found.limit = t('validation.amount', { field: limitLabel });
    if (!reason.trim()) found.reason = t('validation.required', { field: t('request.reason') });
    setErrors(found);
    const first = (Object.keys(found) as Field[])[0];
    if (first) {
      refs[first].current?.focus();
      return;
    }
    const values: CardRequestValues = {
      type,
      ...(newCard ? { cardholder: target.trim(), currency } : { card: target.trim() }),
      spending_controls: {
        spending_limits: [{ amount: amount as number, interval: 'monthly' }],
        ...(category ? { allowed_categories: [category as SpendingCategory] } : {}),
      },
      reason: reason.trim(),
    };
    setPending(true);
    setFailure(undefined);
    setResult(undefined);
    try {
      const created = await onSubmit(values);
      setResult(created);
      setLimit('');
      setReason('');
      onRequested?.(created);
    } catch (cause) {
      setFailure(toError(cause));
    } finally {
      setPending(false);
    }
  };

  /** The attributes that tie a required field to its error message. */
  const validity = (field: Field) => ({
    'aria-invalid': Boolean(errors[field]),
    'aria-describedby': errors[field] ? `${id}-${field}-error` : undefined,
    'aria-required': true,
  });
  const targetProps = {
    id: `${id}-target`,
    ref: refs.target,
    value: target,
    ...validity('target'),
    onChange: (event: { target: { value: string } }) => setTarget(event.target.value),
  };
  const fieldError = (field: Field) =>
    errors[field] ? (
      <p id={`${id}-${field}-error`} className="oi-field-error">
        {errors[field]}
      </p>
    ) : null;
  const waitingFor = result?.approvals
    .filter((a) => a.status === 'pending')
    .map((a) => t(`approval.step.${a.step}`))
    .join(t('list.separator'));

  return (
    <form
      className={cx('oi-form', className)}
      style={style}
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={submit}
      data-state={pending ? 'submitting' : result ? 'requested' : 'idle'}
    >
      <h2 id={`${id}-title`} className="oi-heading">
        {t('request.title')}
      </h2>
      {cards && cards.length > 0 ? (
        <fieldset className="oi-fieldset">
          <legend>{t('request.type')}</legend>
          {(['new_card', 'limit_increase'] as const).map((value) => (
            <label key={value}>
              <input
                type="radio"
                name={`${id}-type`}
                value={value}
                checked={type === value}
                onChange={() => {
                  setType(value);
                  setTarget('');
                }}
              />{' '}
              {t(`request.type.${value}`)}
            </label>
          ))}
        </fieldset>
      ) : null}
      <div className="oi-field">
        <label htmlFor={`${id}-target`}>{targetLabel}</label>
        {options ? (
          <select {...targetProps}>
            <option value="">{t('request.choose')}</option>
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </select>
        ) : (
          <input {...targetProps} />
        )}
        {fieldError('target')}
      </div>
      {newCard ? (
        <div className="oi-field">
          <label htmlFor={`${id}-currency`}>{t('issue.currency')}</label>
          <select
            id={`${id}-currency`}
            value={currency}
            onChange={(event) => setCurrency(event.target.value)}
          >
            {currencies.map((code) => (
              <option key={code} value={code}>
                {code.toUpperCase()}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="oi-field">
        <label htmlFor={`${id}-limit`}>{t('request.limit', { currency: currency.toUpperCase() })}</label>
        <input
          id={`${id}-limit`}
          ref={refs.limit}
          inputMode="decimal"
          value={limit}
          {...validity('limit')}
          onChange={(event) => setLimit(event.target.value)}
        />
        {fieldError('limit')}
      </div>
      <div className="oi-field">
        <label htmlFor={`${id}-category`}>{t('request.category')}</label>
        <select id={`${id}-category`} value={category} onChange={(event) => setCategory(event.target.value)}>
          <option value="">{t('request.anyCategory')}</option>
          {categories.map((c) => (
            <option key={c} value={c}>
              {categoryLabel(c, t)}
            </option>
          ))}
        </select>
      </div>
      <div className="oi-field">
        <label htmlFor={`${id}-reason`}>{t('request.reason')}</label>
        <textarea
          id={`${id}-reason`}
          ref={refs.reason}
          value={reason}
          maxLength={500}
          rows={3}
          {...validity('reason')}
          onChange={(event) => setReason(event.target.value)}
        />
        {fieldError('reason')}
      </div>
      <button type="submit" className="oi-button oi-button--primary" aria-disabled={pending}>
        {pending ? t('request.submitting') : t('request.submit')}
      </button>
      <p role="status" className="oi-success">
        {result
          ? result.status === 'approved'
            ? t('request.approved')
            : t('request.pending', { approvers: waitingFor ?? '' })
          : ''}
      </p>
      {failure ? <ErrorMessage error={failure} /> : null}
    </form>
  );
}
