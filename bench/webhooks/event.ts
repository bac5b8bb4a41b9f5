/** The benchmarks' webhook secret and ~1.5 kB `authorization.created` event. */
export const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const event = {
  id: 'evt_01JD4Z8Q5B9V4T0Z7X2K3M6N8P',
  object: 'event',
  type: 'authorization.created',
  api_version: '2026-11-01',
  created_at: '2026-11-23T09:05:00Z',
  data: {
    object: {
      id: 'iauth_1NqD5aK9cYzL3R8wUdZqMx4f',
      object: 'authorization',
      card: 'ic_1NqD5aK9cYzL3R8wUdZqMx4f',
      cardholder: 'ich_1NqD4mJ8ZbXk2Q7vTcYpLw3e',
      amount: 12_500,
      currency: 'usd',
      merchant_amount: 11_574,
      merchant_currency: 'eur',
      exchange_rate: 1.08,
      merchant_data: {
        name: 'Google Ads',
        network_id: 'gads_000123',
        mcc: '7311',
        category: 'advertising',
        city: 'Dublin',
        country: 'IE',
      },
      status: 'pending',
      approved: true,
      decision: { reason: 'approved', message: 'Approved.', control: null },
      dimensions: { department: 'marketing', project: 'q4-launch', cost_center: 'CC-4100' },
      metadata: { campaign: 'winter-sale', owner: 'ada@example.com', note: 'x'.repeat(600) },
      created_at: '2026-11-23T09:05:00Z',
    },
  },
};
