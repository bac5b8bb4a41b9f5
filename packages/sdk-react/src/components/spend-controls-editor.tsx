import { categoryForMcc, evaluateSpendingControls, spendingCategories } from '@openissuing/sdk';
import { type CSSProperties, type FormEvent, useId, useMemo, useRef, useState } from 'react';
import { type Translate, useOpenIssuing } from '../context.js';
import { formatAmount } from '../format.js';
import { toError } from '../hooks/use-async.js';
import type { MessageKey } from '../i18n/index.js';
import {
  type DraftErrors,
  fromDraft,
  newLimitKey,
  type SpendControlsDraft,
  toDraft,
} from '../spend-controls-draft.js';
import type { SpendingCategory, SpendingControls, SpendingInterval } from '../types.js';
import { cx, ErrorMessage } from './shared.js';

/** A purchase to run through the draft controls in the live preview. */
export interface SamplePurchase {
  merchant: string;
  /** ISO 18245 merchant category code. */
  mcc: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** Minor units of the card's currency. */
  amount: number;
}

/** Sample purchases shown when `samplePurchases` is not given (amounts in minor units). */
export const DEFAULT_SAMPLE_PURCHASES: SamplePurchase[] = [
  { merchant: 'Google Ads', mcc: '7311', country: 'US', amount: 15_000 },
  { merchant: 'Amazon Web Services', mcc: '4816', country: 'US', amount: 98_000 },
  { merchant: 'Figma', mcc: '7372', country: 'US', amount: 4_500 },
  { merchant: 'Lufthansa', mcc: '4511', country: 'DE', amount: 62_000 },
  { merchant: 'Le Bistro', mcc: '5812', country: 'FR', amount: 8_500 },
  { merchant: 'Lucky Casino', mcc: '7995', country: 'MT', amount: 20_000 },
];

/** Category names offered when `categories` is not given: every category of the spec's `x-spending-categories` catalog. */
export const DEFAULT_CATEGORIES = Object.keys(spendingCategories) as SpendingCategory[];

const INTERVALS: SpendingInterval[] = [
  'per_authorization',
  'daily',
  'weekly',
  'monthly',
  'yearly',
  'all_time',
];

export function categoryLabel(name: string, t: Translate): string {
  const key = `category.${name}` as MessageKey;
  const text = t(key);
  return text === key ? name.replace(/_/g, ' ') : text;
}

function declineLabel(reason: string, message: string, t: Translate): string {
  const key = `decline.${reason}` as MessageKey;
  const text = t(key);
  return text === key ? message : text;
}

export interface SpendControlsPreviewRow {
  purchase: SamplePurchase;
  approved: boolean;
  reason: string;
  message: string;
}

/**
 * Runs sample purchases through spending controls with the SDK's `evaluateSpendingControls` — the
 * same rules the platform applies — for an active card (spend so far counts as zero).
 *
 * `currency` (the card's) makes the messages show amounts as `980.00 USD` rather than in minor units.
 *
 * @example
 * const rows = useSpendControlsPreview(controls, DEFAULT_SAMPLE_PURCHASES, null, card.currency);
 */
export function useSpendControlsPreview(
  controls: SpendingControls,
  purchases: SamplePurchase[],
  cardholderControls?: SpendingControls | null,
  currency?: string,
): SpendControlsPreviewRow[] {
  return useMemo(() => {
    const now = new Date();
    return purchases.map((purchase) => {
      const decision = evaluateSpendingControls({
        now,
        amount: purchase.amount,
        ...(currency ? { currency } : {}),
        merchant: { mcc: purchase.mcc, country: purchase.country, network_id: purchase.merchant },
        card: {
          status: 'active',
          usage: 'reusable',
          exp_month: 12,
          exp_year: now.getUTCFullYear() + 3,
          spending_controls: controls,
        },
        cardholder: cardholderControls
          ? { status: 'active', spending_controls: cardholderControls }
          : undefined,
      });
      return { purchase, approved: decision.approved, reason: decision.reason, message: decision.message };
    });
  }, [controls, purchases, cardholderControls, currency]);
}

export interface SpendControlsEditorProps {
  /** Controlled value. When it changes from outside, the form resets to it. */
  value?: SpendingControls | null;
  defaultValue?: SpendingControls | null;
  /** Fires with the parsed controls whenever the form is valid after an edit. */
  onValueChange?: (controls: SpendingControls) => void;
  /** Saves through your backend (`PATCH /cards/{card}` with `spending_controls`). */
  onSave?: (controls: SpendingControls) => Promise<unknown>;
  /** The card's currency (limits are in it). @default 'usd' */
  currency?: string;
  /** Category names to offer. */
  categories?: SpendingCategory[];
  samplePurchases?: SamplePurchase[];
  /** The cardholder's controls, which also apply (the stricter wins) in the preview. */
  cardholderControls?: SpendingControls | null;
  className?: string;
  style?: CSSProperties;
}

/**
 * Edits spending limits, allowed/blocked categories and merchant countries, validates them, and
 * previews which sample purchases the platform would decline.
 *
 * @example
 * <SpendControlsEditor currency={card.currency} defaultValue={card.spending_controls}
 *   onSave={(controls) => api.updateCard(card.id, { spending_controls: controls })} />
 */
export function SpendControlsEditor({
  value,
  defaultValue,
  onValueChange,
  onSave,
  currency = 'usd',
  categories = DEFAULT_CATEGORIES,
  samplePurchases = DEFAULT_SAMPLE_PURCHASES,
  cardholderControls,
  className,
  style,
}: SpendControlsEditorProps) {
  const { t, locale } = useOpenIssuing();
  const id = useId();
  const base = value !== undefined ? value : defaultValue;
  const [draft, setDraft] = useState<SpendControlsDraft>(() => toDraft(base, currency));
  const [shownErrors, setShownErrors] = useState<DraftErrors>({});
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [failure, setFailure] = useState<Error>();
  const lastEmitted = useRef<string | undefined>(undefined);
  const [syncedValue, setSyncedValue] = useState(value);
  const form = useRef<HTMLFormElement>(null);

  // Controlled: a value that did not come from this editor replaces the draft.
  if (value !== undefined && value !== syncedValue) {
    setSyncedValue(value);
    if (JSON.stringify(value) !== lastEmitted.current) setDraft(toDraft(value, currency));
  }

  const parsed = useMemo(() => fromDraft(draft, currency, t, base), [draft, currency, t, base]);
  const preview = useSpendControlsPreview(parsed.controls, samplePurchases, cardholderControls, currency);

  const update = (next: SpendControlsDraft) => {
    setDraft(next);
    setSaved(false);
    const result = fromDraft(next, currency, t, base);
    // Clear errors that the edit fixed; new errors appear on save.
    setShownErrors((previous) =>
      Object.fromEntries(
        Object.keys(previous).flatMap((key) => (result.errors[key] ? [[key, result.errors[key]]] : [])),
      ),
    );
    if (Object.keys(result.errors).length === 0) {
      lastEmitted.current = JSON.stringify(result.controls);
      onValueChange?.(result.controls);
    }
  };

  const focusField = (field: string) => {
    form.current?.querySelector<HTMLElement>(`[data-field="${field}"]`)?.focus();
  };

  const addLimit = () => {
    const key = newLimitKey();
    update({ ...draft, limits: [...draft.limits, { key, amount: '', interval: 'monthly' }] });
    requestAnimationFrame(() => focusField(`limit-${key}`));
  };

  const removeLimit = (index: number) => {
    const limits = draft.limits.filter((_, position) => position !== index);
    update({ ...draft, limits });
    // Focus the row that took its place, else the previous one, else "Add limit".
    const target = limits[index] ?? limits[index - 1];
    requestAnimationFrame(() => focusField(target ? `limit-${target.key}` : 'add-limit'));
  };

  const toggleCategory = (
    list: 'allowedCategories' | 'blockedCategories',
    name: SpendingCategory,
    checked: boolean,
  ) => {
    const current = draft[list];
    update({ ...draft, [list]: checked ? [...current, name] : current.filter((entry) => entry !== name) });
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    setShownErrors(parsed.errors);
    const first = Object.keys(parsed.errors)[0];
    if (first) {
      focusField(first);
      return;
    }
    if (!onSave) return;
    setSaving(true);
    setFailure(undefined);
    try {
      await onSave(parsed.controls);
      setSaved(true);
    } catch (cause) {
      setFailure(toError(cause));
    } finally {
      setSaving(false);
    }
  };

  const errorId = (field: string) => (shownErrors[field] ? `${id}-${field}-error` : undefined);
  const errorText = (field: string) =>
    shownErrors[field] ? (
      <p id={`${id}-${field}-error`} className="oi-field-error">
        {shownErrors[field]}
      </p>
    ) : null;
  const errorCount = Object.keys(shownErrors).length;

  const categoryGroup = (list: 'allowedCategories' | 'blockedCategories', legend: string) => (
    <fieldset className="oi-fieldset" aria-describedby={errorId('categories')}>
      <legend>{legend}</legend>
      <div className="oi-checkboxes">
        {categories.map((name, index) => (
          <label key={name} className="oi-checkbox">
            <input
              type="checkbox"
              checked={draft[list].includes(name)}
              data-field={index === 0 ? 'categories' : undefined}
              onChange={(event) => toggleCategory(list, name, event.target.checked)}
            />
            {categoryLabel(name, t)}
          </label>
        ))}
      </div>
    </fieldset>
  );

  const countryField = (field: 'allowed-countries' | 'blocked-countries', labelKey: MessageKey) => {
    const key = field === 'allowed-countries' ? 'allowedCountries' : 'blockedCountries';
    return (
      <div className="oi-field">
        <label htmlFor={`${id}-${field}`}>{t(labelKey)}</label>
        <input
          id={`${id}-${field}`}
          data-field={field}
          value={draft[key]}
          autoCapitalize="characters"
          aria-invalid={Boolean(shownErrors[field])}
          aria-describedby={[errorId(field), `${id}-countries-hint`].filter(Boolean).join(' ')}
          onChange={(event) => update({ ...draft, [key]: event.target.value })}
        />
        {errorText(field)}
      </div>
    );
  };

  return (
    <form
      ref={form}
      className={cx('oi-form', 'oi-controls', className)}
      style={style}
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={save}
      data-state={saving ? 'saving' : errorCount > 0 ? 'invalid' : 'valid'}
    >
      <h2 id={`${id}-title`} className="oi-heading">
        {t('controls.title')}
      </h2>
      {errorCount > 0 ? (
        <p role="alert" className="oi-error">
          {t('validation.summary', { count: errorCount })}
        </p>
      ) : null}
      <fieldset className="oi-fieldset">
        <legend>{t('controls.limits')}</legend>
        {draft.limits.map((limit, index) => (
          <div
            key={limit.key}
            className="oi-limit-row"
            data-state={shownErrors[`limit-${limit.key}`] ? 'invalid' : 'valid'}
          >
            <div className="oi-field">
              <label htmlFor={`${id}-limit-${limit.key}`}>
                {t('controls.limitAmount', { index: index + 1, currency: currency.toUpperCase() })}
              </label>
              <input
                id={`${id}-limit-${limit.key}`}
                data-field={`limit-${limit.key}`}
                inputMode="decimal"
                value={limit.amount}
                aria-invalid={Boolean(shownErrors[`limit-${limit.key}`])}
                aria-describedby={errorId(`limit-${limit.key}`)}
                onChange={(event) =>
                  update({
                    ...draft,
                    limits: draft.limits.map((row) =>
                      row.key === limit.key ? { ...row, amount: event.target.value } : row,
                    ),
                  })
                }
              />
              {errorText(`limit-${limit.key}`)}
            </div>
            <div className="oi-field">
              <label htmlFor={`${id}-interval-${limit.key}`}>
                {t('controls.limitInterval', { index: index + 1 })}
              </label>
              <select
                id={`${id}-interval-${limit.key}`}
                value={limit.interval}
                onChange={(event) =>
                  update({
                    ...draft,
                    limits: draft.limits.map((row) =>
                      row.key === limit.key
                        ? { ...row, interval: event.target.value as SpendingInterval }
                        : row,
                    ),
                  })
                }
              >
                {INTERVALS.map((interval) => (
                  <option key={interval} value={interval}>
                    {t(`controls.interval.${interval}`)}
                  </option>
                ))}
              </select>
            </div>
            <button type="button" className="oi-button oi-button--link" onClick={() => removeLimit(index)}>
              {t('controls.removeLimit', { index: index + 1 })}
            </button>
          </div>
        ))}
        <button type="button" className="oi-button" data-field="add-limit" onClick={addLimit}>
          {t('controls.addLimit')}
        </button>
      </fieldset>
      {categoryGroup('blockedCategories', t('controls.blockedCategories'))}
      {categoryGroup('allowedCategories', t('controls.allowedCategories'))}
      {errorText('categories')}
      {countryField('blocked-countries', 'controls.blockedCountries')}
      {countryField('allowed-countries', 'controls.allowedCountries')}
      <p id={`${id}-countries-hint`} className="oi-hint">
        {t('controls.countriesHint')}
      </p>
      <table className="oi-table oi-preview" aria-describedby={`${id}-preview-hint`}>
        <caption>{t('controls.preview')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('controls.previewMerchant')}</th>
            <th scope="col" className="oi-num">
              {t('controls.previewAmount')}
            </th>
            <th scope="col">{t('controls.previewResult')}</th>
          </tr>
        </thead>
        <tbody>
          {preview.map((row) => (
            <tr key={row.purchase.merchant} data-state={row.approved ? 'approved' : 'declined'}>
              <td>
                {row.purchase.merchant}
                <span className="oi-muted">
                  {' '}
                  · {categoryLabel(categoryForMcc(row.purchase.mcc), t)} · {row.purchase.country}
                </span>
              </td>
              <td className="oi-num">{formatAmount(row.purchase.amount, currency, locale)}</td>
              <td>
                <span className="oi-badge" data-status={row.approved ? 'approved' : 'declined'}>
                  {row.approved ? t('controls.wouldApprove') : t('controls.wouldDecline')}
                </span>
                {row.approved ? null : (
                  <span className="oi-reason"> — {declineLabel(row.reason, row.message, t)}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p id={`${id}-preview-hint`} className="oi-hint">
        {t('controls.previewHint')}
      </p>
      {onSave ? (
        <button type="submit" className="oi-button oi-button--primary" aria-disabled={saving}>
          {saving ? t('controls.saving') : t('controls.save')}
        </button>
      ) : null}
      <p role="status" className="oi-success">
        {saved ? t('controls.saved') : ''}
      </p>
      {failure ? <ErrorMessage error={failure} /> : null}
    </form>
  );
}
