import type { Platform } from './start';

/** A tiny JSON client for the platform's own API (used by the seed data set and the demo). */
export function apiClient(platform: Pick<Platform, 'url' | 'apiKey'>) {
  return async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    const res = await fetch(platform.url + path, {
      method,
      headers: {
        Authorization: `Bearer ${platform.apiKey}`,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as T & { detail?: string };
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${json.detail ?? JSON.stringify(json)}`);
    return json;
  };
}

/**
 * Loads the demo data set: a funded program, two departments (marketing, engineering) with a
 * cardholder each, and cards with spending controls.
 *
 * @example
 * const platform = await startPlatform();
 * const seeded = await seedDemoData(platform);
 */
export async function seedDemoData(platform: Pick<Platform, 'url' | 'apiKey'>) {
  const call = apiClient(platform);
  await call('POST', '/topups', { amount: 5_000_000, currency: 'usd', description: 'Initial funding' });
  await call('POST', '/topups', { amount: 1_000_000, currency: 'eur', description: 'EUR funding' });
  const marketing = await call<{ id: string }>('POST', '/cardholders', {
    type: 'individual',
    name: 'Mia Marketing',
    email: 'mia@acme.example',
    dimensions: { department: 'marketing', cost_center: 'CC-4100' },
    spending_controls: { blocked_categories: ['gambling', 'cash', 'crypto'] },
  });
  const engineering = await call<{ id: string }>('POST', '/cardholders', {
    type: 'individual',
    name: 'Eli Engineering',
    email: 'eli@acme.example',
    dimensions: { department: 'engineering', cost_center: 'CC-5200' },
    spending_controls: { spending_limits: [{ amount: 1_500_000, interval: 'monthly' }] },
  });
  const ads = await call<{ id: string }>('POST', '/cards', {
    cardholder: marketing.id,
    type: 'virtual',
    currency: 'usd',
    dimensions: { project: 'q4-launch' },
    spending_controls: {
      allowed_categories: ['advertising', 'software'],
      spending_limits: [
        { amount: 250_000, interval: 'per_authorization' },
        { amount: 1_000_000, interval: 'monthly' },
      ],
      blocked_merchant_countries: ['KP', 'IR'],
    },
  });
  const travel = await call<{ id: string }>('POST', '/cards', {
    cardholder: marketing.id,
    type: 'virtual',
    currency: 'usd',
    spending_controls: {
      allowed_categories: ['travel', 'airlines', 'lodging', 'restaurants'],
      velocity: { max_authorizations: 5, window_seconds: 3600 },
    },
  });
  const cloud = await call<{ id: string }>('POST', '/cards', {
    cardholder: engineering.id,
    type: 'virtual',
    currency: 'usd',
    dimensions: { project: 'platform' },
    spending_controls: {
      allowed_categories: ['cloud_computing', 'software'],
      spending_limits: [{ amount: 500_000, interval: 'daily' }],
    },
  });
  const saas = await call<{ id: string }>('POST', '/cards', {
    cardholder: engineering.id,
    type: 'virtual',
    usage: 'merchant_locked',
    currency: 'usd',
    spending_controls: { spending_limits: [{ amount: 20_000, interval: 'monthly' }] },
  });
  const eurCard = await call<{ id: string }>('POST', '/cards', {
    cardholder: engineering.id,
    type: 'virtual',
    currency: 'eur',
    spending_controls: { allowed_merchant_countries: ['DE', 'FR', 'NL', 'IE'] },
  });
  const oneOff = await call<{ id: string }>('POST', '/cards', {
    cardholder: marketing.id,
    type: 'virtual',
    usage: 'single_use',
    currency: 'usd',
  });
  return {
    cardholders: { marketing: marketing.id, engineering: engineering.id },
    cards: {
      ads: ads.id,
      travel: travel.id,
      cloud: cloud.id,
      saas: saas.id,
      eur: eurCard.id,
      oneOff: oneOff.id,
    },
  };
}
