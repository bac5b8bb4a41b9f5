import { type Card, formatAmount, parseAmount, useOpenIssuing } from '@openissuing/react';
import { type FormEvent, useId, useState } from 'react';
import { api } from './api';
import type { AppStrings } from './strings';

const MERCHANTS = [
  { name: 'Google Ads', mcc: '7311', country: 'US' },
  { name: 'Amazon Web Services', mcc: '4816', country: 'US' },
  { name: 'Figma', mcc: '7372', country: 'US' },
  { name: 'Lufthansa', mcc: '4511', country: 'DE' },
  { name: 'Lucky Casino', mcc: '7995', country: 'MT' },
];

/** Sandbox only: asks the backend to create an authorization as the card network would. */
export function SimulatePurchase({
  card,
  strings: s,
  onDone,
}: {
  card: Card;
  strings: AppStrings;
  onDone: () => void;
}) {
  const { locale } = useOpenIssuing();
  const id = useId();
  const [merchant, setMerchant] = useState(0);
  const [amount, setAmount] = useState('25.00');
  const [result, setResult] = useState('');
  const [busy, setBusy] = useState(false);
  const simulate = async (event: FormEvent) => {
    event.preventDefault();
    const minor = parseAmount(amount, card.currency);
    const chosen = MERCHANTS[merchant];
    if (!minor || !chosen) {
      setResult('Enter a positive amount, e.g. 25.00.');
      return;
    }
    setBusy(true);
    try {
      const auth = await api.simulate({ card: card.id, amount: minor, merchant: chosen });
      const text = formatAmount(minor, card.currency, locale);
      setResult(
        auth.object === 'authorization' && !auth.approved
          ? `${chosen.name} ${text}: ${s.declined} (${auth.decision?.reason ?? 'unknown'})`
          : `${chosen.name} ${text}: ${s.approved}`,
      );
      onDone();
    } catch (cause) {
      setResult(cause instanceof Error ? cause.message : String(cause));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="simulate" aria-labelledby={`${id}-title`} onSubmit={simulate}>
      <h3 id={`${id}-title`}>{s.simulateTitle}</h3>
      <div className="simulate__row">
        <label>
          {s.merchant}
          <select value={merchant} onChange={(event) => setMerchant(Number(event.target.value))}>
            {MERCHANTS.map((entry, index) => (
              <option key={entry.name} value={index}>
                {entry.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {s.amount} ({card.currency.toUpperCase()})
          <input value={amount} inputMode="decimal" onChange={(event) => setAmount(event.target.value)} />
        </label>
        <button type="submit" className="oi-button oi-button--primary" aria-disabled={busy}>
          {s.simulate}
        </button>
      </div>
      <p role="status" className="simulate__result">
        {result}
      </p>
    </form>
  );
}
