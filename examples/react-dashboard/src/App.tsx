import {
  BalanceSummary,
  brandName,
  CardDisplay,
  CardList,
  FreezeCardToggle,
  IssueCardForm,
  OpenIssuingProvider,
  SpendControlsEditor,
  TransactionList,
  useCards,
} from '@openissuing/react';
import { useEffect, useState } from 'react';
import { type AppConfig, api, type Cardholder } from './api';
import { ApprovalsView } from './approvals-view';
import { SimulatePurchase } from './simulate-purchase';
import { appStrings } from './strings';

const LOCALES = [
  { value: 'en', label: 'English' },
  { value: 'zh-CN', label: '简体中文' },
];

export function App() {
  const [config, setConfig] = useState<AppConfig>();
  const [locale, setLocale] = useState('en');
  const [cardholders, setCardholders] = useState<Cardholder[]>([]);
  const [selected, setSelected] = useState<string>();
  const [tick, setTick] = useState(0);
  const [secure, setSecure] = useState(true);
  // The widgets follow the system's colour scheme by themselves; the switch forces one
  // (data-oi-theme), starting from what the system prefers.
  const [dark, setDark] = useState(
    () => window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false,
  );
  const [view, setView] = useState<'cards' | 'approvals'>('cards');
  const cards = useCards(api.cards, [tick]);
  const card = cards.data?.find((entry) => entry.id === selected) ?? cards.data?.[0];
  const refresh = () => setTick((value) => value + 1);
  const s = appStrings(locale);

  useEffect(() => {
    api.config().then(setConfig);
    api.cardholders().then(setCardholders);
  }, []);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  if (!config) return <p className="app loading">{s.loading}</p>;

  return (
    <OpenIssuingProvider baseUrl={config.platformUrl} fetchEphemeralKey={api.ephemeralKey} locale={locale}>
      <div className="app" data-oi-theme={dark ? 'dark' : 'light'}>
        <header className="topbar">
          <h1>{s.title}</h1>
          <div className="topbar__settings">
            <label>
              <input type="checkbox" checked={dark} onChange={(event) => setDark(event.target.checked)} />
              {s.dark}
            </label>
            <label>
              {s.language}
              <select value={locale} onChange={(event) => setLocale(event.target.value)}>
                {LOCALES.map((entry) => (
                  <option key={entry.value} value={entry.value}>
                    {entry.label}
                  </option>
                ))}
              </select>
            </label>
          </div>
        </header>
        <nav className="views" aria-label={s.views}>
          {(['cards', 'approvals'] as const).map((v) => (
            <button key={v} type="button" aria-pressed={view === v} onClick={() => setView(v)}>
              {v === 'cards' ? s.viewCards : s.viewApprovals}
            </button>
          ))}
        </nav>
        {view === 'approvals' ? (
          <main className="layout">
            <ApprovalsView
              cardholders={cardholders}
              cards={(cards.data ?? []).map((c) => ({
                id: c.id,
                label: c.metadata?.nickname ?? `${brandName(c.brand)} •••• ${c.last4}`,
              }))}
              strings={s}
              onChange={refresh}
            />
          </main>
        ) : null}
        <main className="layout" hidden={view !== 'cards'}>
          <aside className="sidebar">
            <BalanceSummary loadBalance={api.balance} refreshKey={tick} />
            <CardList cards={cards.data ?? []} value={card?.id ?? ''} onValueChange={setSelected} />
            <IssueCardForm
              cardholders={cardholders}
              onSubmit={api.issueCard}
              onIssued={(issued) => {
                setSelected(issued.id);
                refresh();
              }}
            />
          </aside>
          {card ? (
            <section className="detail" aria-label={`Card ${card.metadata?.nickname ?? card.last4}`}>
              <div className="detail__top">
                <div className="detail__card">
                  <CardDisplay key={`${card.id}:${secure}`} card={card} secure={secure} />
                  <label className="detail__secure">
                    <input
                      type="checkbox"
                      checked={secure}
                      onChange={(event) => setSecure(event.target.checked)}
                    />
                    {s.secureMode}
                  </label>
                </div>
                <div className="detail__controls">
                  <h2>{card.metadata?.nickname ?? `${brandName(card.brand)} •••• ${card.last4}`}</h2>
                  <FreezeCardToggle
                    key={card.id}
                    card={card}
                    onToggle={async (id, frozen) => {
                      await api.setFrozen(id, frozen);
                      refresh();
                    }}
                  />
                  <SimulatePurchase card={card} strings={s} onDone={refresh} />
                </div>
              </div>
              <TransactionList
                caption={s.authorizations}
                emptyText={s.noAuthorizations}
                loadPage={({ cursor, limit }) => api.authorizations(card.id, cursor, limit)}
                pageSize={5}
                refreshKey={`${card.id}:${tick}`}
              />
              <TransactionList
                caption={s.settled}
                loadPage={({ cursor, limit }) => api.transactions(card.id, cursor, limit)}
                pageSize={5}
                refreshKey={`${card.id}:${tick}`}
              />
              <SpendControlsEditor
                key={card.id}
                currency={card.currency}
                defaultValue={card.spending_controls}
                onSave={async (controls) => {
                  await api.updateControls(card.id, controls);
                  refresh();
                }}
              />
            </section>
          ) : null}
        </main>
      </div>
    </OpenIssuingProvider>
  );
}
