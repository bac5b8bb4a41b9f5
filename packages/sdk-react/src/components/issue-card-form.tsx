import { type CSSProperties, type FormEvent, useId, useRef, useState } from 'react';
import { useOpenIssuing } from '../context.js';
import { parseAmount } from '../format.js';
import { toError } from '../hooks/use-async.js';
import type { Card, SpendingControls } from '../types.js';
import { cx, ErrorMessage } from './shared.js';

/** The body your backend forwards to `POST /cards`. */
export interface IssueCardValues {
  cardholder: string;
  type: 'virtual' | 'physical';
  usage: 'reusable' | 'single_use' | 'merchant_locked';
  currency: string;
  spending_controls?: SpendingControls;
  metadata?: Record<string, string>;
}

export interface IssueCardFormProps {
  /** Sends the values to your backend, which calls `POST /cards`; resolve with the new card. */
  onSubmit: (values: IssueCardValues) => Promise<Card>;
  /** Called after the card was issued. */
  onIssued?: (card: Card) => void;
  /** Cardholders to choose from; without it the field is a free-text cardholder id. */
  cardholders?: Array<{ id: string; name: string }>;
  /** @default ['usd', 'eur'] */
  currencies?: string[];
  defaultValues?: Partial<{ cardholder: string; currency: string; type: IssueCardValues['type'] }>;
  className?: string;
  style?: CSSProperties;
}

type Field = 'cardholder' | 'limit';

/**
 * Submits `POST /cards` values through your callback and tracks the outcome; `issue` resolves to
 * the new card, or `undefined` when it failed (see `error`). Ignores calls while one is pending.
 *
 * @example
 * const { issue, pending, error, card } = useIssueCard((values) => api.post('/cards', values));
 */
export function useIssueCard(onSubmit: (values: IssueCardValues) => Promise<Card>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<Error>();
  const [card, setCard] = useState<Card>();
  const issue = async (values: IssueCardValues): Promise<Card | undefined> => {
    if (pending) return undefined;
    setPending(true);
    setError(undefined);
    setCard(undefined);
    try {
      const issued = await onSubmit(values);
      setCard(issued);
      return issued;
    } catch (cause) {
      setError(toError(cause));
      return undefined;
    } finally {
      setPending(false);
    }
  };
  return { issue, pending, error, card };
}

/**
 * A validated form for issuing a card. Errors are tied to their fields (`aria-invalid`,
 * `aria-describedby`) and focus moves to the first invalid field.
 *
 * @example
 * <IssueCardForm cardholders={people} onSubmit={(values) => api.post('/cards', values)} onIssued={select} />
 */
export function IssueCardForm({
  onSubmit,
  onIssued,
  cardholders,
  currencies = ['usd', 'eur'],
  defaultValues,
  className,
  style,
}: IssueCardFormProps) {
  const { t } = useOpenIssuing();
  const id = useId();
  const [cardholder, setCardholder] = useState(defaultValues?.cardholder ?? '');
  const [type, setType] = useState<IssueCardValues['type']>(defaultValues?.type ?? 'virtual');
  const [usage, setUsage] = useState<IssueCardValues['usage']>('reusable');
  const [currency, setCurrency] = useState(defaultValues?.currency ?? currencies[0] ?? 'usd');
  const [limit, setLimit] = useState('');
  const [nickname, setNickname] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const { issue, pending: submitting, error: failure, card: issued } = useIssueCard(onSubmit);
  const refs = {
    cardholder: useRef<HTMLSelectElement & HTMLInputElement>(null),
    limit: useRef<HTMLInputElement>(null),
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (submitting) return;
    const found: Partial<Record<Field, string>> = {};
    if (!cardholder.trim()) found.cardholder = t('validation.required', { field: t('issue.cardholder') });
    const amount = limit.trim() ? parseAmount(limit, currency) : undefined;
    if (amount === null)
      found.limit = t('validation.amount', { field: t('issue.limit', { currency: currency.toUpperCase() }) });
    setErrors(found);
    const first = (Object.keys(found) as Field[])[0];
    if (first) {
      refs[first].current?.focus();
      return;
    }
    const values: IssueCardValues = { cardholder: cardholder.trim(), type, usage, currency };
    if (amount) values.spending_controls = { spending_limits: [{ amount, interval: 'monthly' }] };
    if (nickname.trim()) values.metadata = { nickname: nickname.trim() };
    const card = await issue(values);
    if (card) {
      setLimit('');
      setNickname('');
      onIssued?.(card);
    }
  };

  const describe = (field: Field, hint?: string) =>
    [errors[field] ? `${id}-${field}-error` : '', hint ?? ''].filter(Boolean).join(' ') || undefined;
  const fieldError = (field: Field) =>
    errors[field] ? (
      <p id={`${id}-${field}-error`} className="oi-field-error">
        {errors[field]}
      </p>
    ) : null;

  return (
    <form
      className={cx('oi-form', className)}
      style={style}
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={submit}
      data-state={submitting ? 'submitting' : issued ? 'issued' : 'idle'}
    >
      <h2 id={`${id}-title`} className="oi-heading">
        {t('issue.title')}
      </h2>
      <div className="oi-field">
        <label htmlFor={`${id}-cardholder`}>{t('issue.cardholder')}</label>
        {cardholders ? (
          <select
            id={`${id}-cardholder`}
            ref={refs.cardholder}
            value={cardholder}
            aria-invalid={Boolean(errors.cardholder)}
            aria-describedby={describe('cardholder')}
            aria-required="true"
            onChange={(event) => setCardholder(event.target.value)}
          >
            <option value="">{t('issue.cardholderPlaceholder')}</option>
            {cardholders.map((holder) => (
              <option key={holder.id} value={holder.id}>
                {holder.name}
              </option>
            ))}
          </select>
        ) : (
          <input
            id={`${id}-cardholder`}
            ref={refs.cardholder}
            value={cardholder}
            aria-invalid={Boolean(errors.cardholder)}
            aria-describedby={describe('cardholder')}
            aria-required="true"
            onChange={(event) => setCardholder(event.target.value)}
          />
        )}
        {fieldError('cardholder')}
      </div>
      <div className="oi-field">
        <label htmlFor={`${id}-type`}>{t('issue.type')}</label>
        <select
          id={`${id}-type`}
          value={type}
          onChange={(event) => setType(event.target.value as IssueCardValues['type'])}
        >
          <option value="virtual">{t('issue.type.virtual')}</option>
          <option value="physical">{t('issue.type.physical')}</option>
        </select>
      </div>
      <div className="oi-field">
        <label htmlFor={`${id}-usage`}>{t('issue.usage')}</label>
        <select
          id={`${id}-usage`}
          value={usage}
          onChange={(event) => setUsage(event.target.value as IssueCardValues['usage'])}
        >
          <option value="reusable">{t('issue.usage.reusable')}</option>
          <option value="single_use">{t('issue.usage.single_use')}</option>
          <option value="merchant_locked">{t('issue.usage.merchant_locked')}</option>
        </select>
      </div>
      <div className="oi-field">
        <label htmlFor={`${id}-currency`}>{t('issue.currency')}</label>
        <select id={`${id}-currency`} value={currency} onChange={(event) => setCurrency(event.target.value)}>
          {currencies.map((code) => (
            <option key={code} value={code}>
              {code.toUpperCase()}
            </option>
          ))}
        </select>
      </div>
      <div className="oi-field">
        <label htmlFor={`${id}-limit`}>{t('issue.limit', { currency: currency.toUpperCase() })}</label>
        <input
          id={`${id}-limit`}
          ref={refs.limit}
          inputMode="decimal"
          value={limit}
          aria-invalid={Boolean(errors.limit)}
          aria-describedby={describe('limit', `${id}-limit-hint`)}
          onChange={(event) => setLimit(event.target.value)}
        />
        <p id={`${id}-limit-hint`} className="oi-hint">
          {t('issue.limitHint')}
        </p>
        {fieldError('limit')}
      </div>
      <div className="oi-field">
        <label htmlFor={`${id}-nickname`}>{t('issue.nickname')}</label>
        <input id={`${id}-nickname`} value={nickname} onChange={(event) => setNickname(event.target.value)} />
      </div>
      <button type="submit" className="oi-button oi-button--primary" aria-disabled={submitting}>
        {submitting ? t('issue.submitting') : t('issue.submit')}
      </button>
      <p role="status" className="oi-success">
        {issued ? t('issue.success', { last4: issued.last4 }) : ''}
      </p>
      {failure ? <ErrorMessage error={failure} /> : null}
    </form>
  );
}
