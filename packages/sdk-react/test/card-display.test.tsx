import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { CardDisplay } from '../src/components/card-display.js';
import { SECURE_FRAME_MESSAGES } from '../src/components/secure-card-frame.js';
import { OpenIssuingProvider } from '../src/context.js';
import { card } from './fixtures.js';

/**
 * The key message `<CardDisplay secure>` posts: the key, its labels in the widget's locale, and the
 * computed type of its own fields for each part the hosted page draws (jsdom computes few values;
 * the react-dashboard example compares the real rendering in Chromium pixel by pixel).
 */
const keyMessage = (secret: string, labels = { number: 'Card number', expiry: 'Expires', cvc: 'CVC' }) => ({
  type: SECURE_FRAME_MESSAGES.key,
  secret,
  appearance: {
    labels,
    styles: {
      fields: expect.any(Object),
      label: expect.any(Object),
      value: expect.any(Object),
      number: expect.any(Object),
    },
  },
});

describe('<CardDisplay>', () => {
  it('shows brand, masked PAN, expiry and status without fetching anything', () => {
    const fetchEphemeralKey = vi.fn();
    render(
      <OpenIssuingProvider baseUrl="http://127.0.0.1:1" fetchEphemeralKey={fetchEphemeralKey}>
        <CardDisplay card={card({ status: 'frozen' })} />
      </OpenIssuingProvider>,
    );
    const region = screen.getByRole('region', { name: 'Visa card ending in 4242' });
    expect(region).toHaveAttribute('data-state', 'hidden');
    expect(region).toHaveAttribute('data-status', 'frozen');
    expect(region).toHaveTextContent('•••• •••• •••• 4242');
    expect(region).toHaveTextContent('08/29');
    expect(region).toHaveTextContent('Frozen');
    expect(within(region).getByRole('button', { name: 'Show details' })).toHaveAttribute(
      'aria-pressed',
      'false',
    );
    expect(fetchEphemeralKey).not.toHaveBeenCalled();
  });

  it('in secure mode renders the hosted page in a scripts-only sandbox and posts the ephemeral key to that frame only', async () => {
    const user = userEvent.setup();
    const fetchEphemeralKey = vi.fn(async (cardId: string) => ({
      secret: `ek_test_for_${cardId}`,
      expires_at: new Date(Date.now() + 300_000).toISOString(),
    }));
    render(
      <OpenIssuingProvider baseUrl="http://127.0.0.1:4010/" fetchEphemeralKey={fetchEphemeralKey}>
        <CardDisplay card={card()} secure />
      </OpenIssuingProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Show details' }));
    const frame = await screen.findByTitle('Card details for the card ending in 4242');
    expect(frame.tagName).toBe('IFRAME');
    expect(frame).toHaveAttribute(
      'src',
      `http://127.0.0.1:4010/cards/ic_1/display?origin=${encodeURIComponent(window.location.origin)}`,
    );
    // Scripts only: no allow-same-origin, so the page cannot reach the embedding document.
    expect(frame).toHaveAttribute('sandbox', 'allow-scripts');
    const target = (frame as HTMLIFrameElement).contentWindow;
    if (!target) throw new Error('iframe has no window');
    const post = vi.spyOn(target, 'postMessage');
    // The hosted page announces it is ready; the widget answers with the key.
    window.dispatchEvent(
      new MessageEvent('message', {
        origin: 'null', // the sandboxed page's opaque origin
        source: target,
        data: { type: SECURE_FRAME_MESSAGES.ready },
      }),
    );
    await waitFor(() => expect(post).toHaveBeenCalledWith(keyMessage('ek_test_for_ic_1'), '*'));
    // A message from another window, or from another origin, gets nothing.
    post.mockClear();
    window.dispatchEvent(
      new MessageEvent('message', {
        origin: 'null',
        source: window,
        data: { type: SECURE_FRAME_MESSAGES.ready },
      }),
    );
    window.dispatchEvent(
      new MessageEvent('message', {
        origin: 'http://evil.test',
        source: target,
        data: { type: SECURE_FRAME_MESSAGES.ready },
      }),
    );
    expect(post).not.toHaveBeenCalled();
    expect(fetchEphemeralKey).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('region')).not.toHaveTextContent('ek_test');
    await user.click(screen.getByRole('button', { name: 'Hide details' }));
    expect(screen.queryByTitle(/Card details/)).not.toBeInTheDocument();
  });

  /** Renders a secure CardDisplay in `locale`, reveals it, and returns its hosted-page frame. */
  async function revealSecure(locale: string): Promise<HTMLIFrameElement> {
    const fetchEphemeralKey = async () => ({
      secret: 'ek_test_1',
      expires_at: new Date(Date.now() + 300_000).toISOString(),
    });
    render(
      <OpenIssuingProvider
        baseUrl="http://127.0.0.1:4010/"
        fetchEphemeralKey={fetchEphemeralKey}
        locale={locale}
      >
        <CardDisplay card={card()} secure />
      </OpenIssuingProvider>,
    );
    await userEvent.setup().click(screen.getByRole('button', { pressed: false }));
    return (await screen.findByTitle(/4242/)) as HTMLIFrameElement;
  }

  for (const [locale, text] of [
    ['en', "The platform did not show this card's details here: this page's origin"],
    ['zh-CN', '平台未在此处显示卡片信息：本页面的来源'],
  ] as const) {
    it(`says how to fix an origin the platform does not serve the page to (${locale})`, async () => {
      const frame = await revealSecure(locale);
      // A 403 origin_not_allowed loads in the frame like any page, but no page script says "ready".
      fireEvent.load(frame);
      const alert = await screen.findByRole('alert', {}, { timeout: 5_000 });
      expect(alert).toHaveTextContent(text);
      expect(alert).toHaveTextContent(window.location.origin);
      expect(alert).toHaveTextContent('allowed_display_origins');
      expect(alert).toHaveTextContent('PATCH /program');
      expect(frame).toHaveAttribute('data-state', 'error');
    });
  }

  it('shows no such error when the page said it was ready', async () => {
    const frame = await revealSecure('en');
    window.dispatchEvent(
      new MessageEvent('message', {
        origin: 'null',
        source: frame.contentWindow,
        data: { type: SECURE_FRAME_MESSAGES.ready },
      }),
    );
    fireEvent.load(frame);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('sends a fresh key when the hosted page reports the key expired, and marks the frame rendered', async () => {
    const user = userEvent.setup();
    let issued = 0;
    const fetchEphemeralKey = vi.fn(async () => {
      issued += 1;
      return { secret: `ek_test_${issued}`, expires_at: new Date(Date.now() + 300_000).toISOString() };
    });
    render(
      <OpenIssuingProvider baseUrl="http://127.0.0.1:4010" fetchEphemeralKey={fetchEphemeralKey}>
        <CardDisplay card={card()} secure defaultRevealed />
      </OpenIssuingProvider>,
    );
    const frame = (await screen.findByTitle(/Card details/)) as HTMLIFrameElement;
    const target = frame.contentWindow;
    if (!target) throw new Error('iframe has no window');
    const post = vi.spyOn(target, 'postMessage');
    const fromPage = (data: unknown) =>
      window.dispatchEvent(new MessageEvent('message', { origin: 'null', source: target, data }));
    await waitFor(() => expect(fetchEphemeralKey).toHaveBeenCalledTimes(1));
    fromPage({ type: SECURE_FRAME_MESSAGES.ready });
    await waitFor(() => expect(post).toHaveBeenLastCalledWith(keyMessage('ek_test_1'), '*'));
    fromPage({ type: SECURE_FRAME_MESSAGES.error, code: 'ephemeral_key_expired' });
    await waitFor(() => expect(post).toHaveBeenLastCalledWith(keyMessage('ek_test_2'), '*'));
    expect(frame).toHaveAttribute('data-state', 'error');
    fromPage({ type: SECURE_FRAME_MESSAGES.rendered });
    await waitFor(() => expect(frame).toHaveAttribute('data-state', 'rendered'));
    await user.click(screen.getByRole('button', { name: 'Hide details' }));
  });

  it('refreshes the ephemeral key before it expires and hands the new one to the hosted page', async () => {
    let issued = 0;
    // Each key lives 31.5 s and the provider refreshes 30 s before expiry: a new key ~1.5 s later.
    const fetchEphemeralKey = vi.fn(async () => {
      issued += 1;
      return { secret: `ek_test_${issued}`, expires_at: new Date(Date.now() + 31_500).toISOString() };
    });
    render(
      <OpenIssuingProvider
        baseUrl="http://127.0.0.1:4010"
        fetchEphemeralKey={fetchEphemeralKey}
        refreshMarginMs={30_000}
      >
        <CardDisplay card={card()} secure defaultRevealed />
      </OpenIssuingProvider>,
    );
    const frame = (await screen.findByTitle(/Card details/)) as HTMLIFrameElement;
    const target = frame.contentWindow;
    if (!target) throw new Error('iframe has no window');
    const post = vi.spyOn(target, 'postMessage');
    await waitFor(() => expect(post).toHaveBeenCalledWith(keyMessage('ek_test_2'), '*'), { timeout: 5_000 });
    expect(fetchEphemeralKey).toHaveBeenCalledTimes(2);
  });

  it('reports a failing key fetch', async () => {
    const user = userEvent.setup();
    render(
      <OpenIssuingProvider
        baseUrl="http://127.0.0.1:4010"
        fetchEphemeralKey={async () => ({ secret: 'sk_live_x', expires_at: 0 })}
      >
        <CardDisplay card={card()} secure />
      </OpenIssuingProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Show details' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Secret keys must never reach the browser');
  });

  it('says what is missing when secure mode has no platform URL', async () => {
    const user = userEvent.setup();
    render(
      <OpenIssuingProvider
        fetchEphemeralKey={async () => ({ secret: 'ek_test_1', expires_at: '2099-01-01T00:00:00Z' })}
      >
        <CardDisplay card={card()} secure />
      </OpenIssuingProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Show details' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Set <OpenIssuingProvider baseUrl>');
  });

  it('in secure mode keeps its own brand and status badge around the frame and hands the page its locale', async () => {
    const fetchEphemeralKey = vi.fn(async () => ({
      secret: 'ek_test_zh',
      expires_at: new Date(Date.now() + 300_000).toISOString(),
    }));
    render(
      <OpenIssuingProvider
        locale="zh-CN"
        baseUrl="http://127.0.0.1:4010"
        fetchEphemeralKey={fetchEphemeralKey}
      >
        <CardDisplay card={card({ status: 'frozen' })} secure defaultRevealed />
      </OpenIssuingProvider>,
    );
    const frame = (await screen.findByTitle('尾号 4242 的卡片信息')) as HTMLIFrameElement;
    const region = screen.getByRole('region', { name: '尾号 4242 的 Visa 卡' });
    // The art, brand and badge are the widget's, exactly as when hidden; only the fields are framed.
    expect(region.querySelector('.oi-card__brand')).toHaveTextContent('Visa');
    expect(region.querySelector('.oi-badge')).toHaveAttribute('data-status', 'frozen');
    expect(frame.parentElement).toHaveClass('oi-card__secure');
    // The masked fields stay underneath as the placeholder, hidden from assistive technology.
    expect(frame.nextElementSibling).toHaveAttribute('aria-hidden', 'true');
    const target = frame.contentWindow;
    if (!target) throw new Error('iframe has no window');
    const post = vi.spyOn(target, 'postMessage');
    await waitFor(() => expect(fetchEphemeralKey).toHaveBeenCalledTimes(1));
    window.dispatchEvent(
      new MessageEvent('message', {
        origin: 'null',
        source: target,
        data: { type: SECURE_FRAME_MESSAGES.ready },
      }),
    );
    await waitFor(() =>
      expect(post).toHaveBeenCalledWith(
        keyMessage('ek_test_zh', { number: '卡号', expiry: '有效期', cvc: '安全码' }),
        '*',
      ),
    );
  });

  it('is controllable and localizable', async () => {
    const user = userEvent.setup();
    const changes: boolean[] = [];
    render(
      <OpenIssuingProvider locale="zh-CN">
        <CardDisplay card={card()} revealed={false} onRevealedChange={(value) => changes.push(value)} />
      </OpenIssuingProvider>,
    );
    await user.click(screen.getByRole('button', { name: '显示卡片信息' }));
    expect(changes).toEqual([true]);
    expect(screen.getByRole('region', { name: '尾号 4242 的 Visa 卡' })).toHaveAttribute(
      'data-state',
      'hidden',
    );
  });
});
