import { spendingCategories } from '@openissuing/sdk';
import { render, renderHook, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SAMPLE_PURCHASES,
  SpendControlsEditor,
  useSpendControlsPreview,
} from '../src/components/spend-controls-editor.js';
import type { SpendingControls } from '../src/types.js';

function previewRow(merchant: RegExp) {
  const table = screen.getByRole('table', { name: 'Preview: sample purchases' });
  return within(table).getByRole('row', { name: merchant });
}

function categoryBox(group: 'Blocked categories' | 'Allowed categories (empty = all)', name: string) {
  return within(screen.getByRole('group', { name: group })).getByRole('checkbox', { name });
}

function ControlledEditor({ initial, log }: { initial: SpendingControls; log: SpendingControls[] }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <SpendControlsEditor
        value={value}
        onValueChange={(next) => {
          log.push(next);
          setValue(next);
        }}
      />
      <button type="button" onClick={() => setValue({ blocked_categories: ['travel'] })}>
        Reset from outside
      </button>
    </>
  );
}

describe('<SpendControlsEditor>', () => {
  it('offers every category of the spec catalog', () => {
    render(<SpendControlsEditor currency="usd" />);
    // Exactly two per category: one in the blocked group, one in the allowed group.
    for (const name of Object.keys(spendingCategories)) {
      expect(
        screen.getAllByRole('checkbox', { name: new RegExp(`^${name.replace(/_/g, '[ _]')}$`, 'i') }).length,
        name,
      ).toBe(2);
    }
    expect(screen.getAllByRole('checkbox')).toHaveLength(2 * Object.keys(spendingCategories).length);
  });

  it('previews live which sample purchases the controls would decline', async () => {
    const user = userEvent.setup();
    render(<SpendControlsEditor defaultValue={{ blocked_categories: ['gambling'] }} />);
    expect(previewRow(/Lucky Casino/)).toHaveTextContent('Would be declined — Merchant category blocked');
    expect(previewRow(/Amazon Web Services/)).toHaveTextContent('Would be approved');

    await user.click(screen.getByRole('button', { name: 'Add limit' }));
    const amount = screen.getByRole('textbox', { name: 'Limit 1: amount (USD)' });
    await waitFor(() => expect(amount).toHaveFocus());
    await user.type(amount, '500');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Limit 1: interval' }), 'Per purchase');
    // AWS is $980: over a $500 per-purchase limit.
    expect(previewRow(/Amazon Web Services/)).toHaveTextContent('Would be declined — Spending limit reached');
    expect(previewRow(/Amazon Web Services/)).toHaveAttribute('data-state', 'declined');
    expect(previewRow(/Figma/)).toHaveTextContent('Would be approved');

    await user.type(screen.getByRole('textbox', { name: 'Blocked merchant countries' }), 'de');
    expect(previewRow(/Lufthansa/)).toHaveTextContent('Merchant country blocked');

    await user.click(categoryBox('Blocked categories', 'Software'));
    expect(previewRow(/Figma/)).toHaveTextContent('Merchant category blocked');
  });

  it('validates on save, names the problem and focuses the first invalid field', async () => {
    const user = userEvent.setup();
    const saved: SpendingControls[] = [];
    render(
      <SpendControlsEditor
        defaultValue={{ spending_limits: [{ amount: 10_000, interval: 'daily' }] }}
        onSave={async (controls) => {
          saved.push(controls);
        }}
      />,
    );
    const amount = screen.getByRole('textbox', { name: 'Limit 1: amount (USD)' });
    expect(amount).toHaveValue('100.00');
    await user.clear(amount);
    await user.type(amount, 'ten');
    await user.type(screen.getByRole('textbox', { name: 'Blocked merchant countries' }), 'RU, Germany');
    await user.click(screen.getByRole('button', { name: 'Save controls' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Fix 2 problem(s) before saving.');
    expect(amount).toHaveFocus();
    expect(amount).toHaveAttribute('aria-invalid', 'true');
    expect(amount).toHaveAccessibleDescription(/must be a positive amount/);
    expect(screen.getByRole('textbox', { name: 'Blocked merchant countries' })).toHaveAccessibleDescription(
      /“GERMANY” is not a two-letter ISO 3166 country code/,
    );
    expect(saved).toEqual([]);

    await user.clear(amount);
    await user.type(amount, '250.5');
    const countries = screen.getByRole('textbox', { name: 'Blocked merchant countries' });
    await user.clear(countries);
    await user.type(countries, 'ru kp');
    await user.click(categoryBox('Blocked categories', 'Cash'));
    await user.click(screen.getByRole('button', { name: 'Save controls' }));
    expect(await screen.findByText('Spending controls saved.')).toBeInTheDocument();
    expect(saved).toEqual([
      // Empty lists are left out: the API requires at least one item when a list is present.
      {
        spending_limits: [{ amount: 25_050, interval: 'daily' }],
        blocked_categories: ['cash'],
        blocked_merchant_countries: ['RU', 'KP'],
      },
    ]);
  });

  it('rejects a category that is both allowed and blocked', async () => {
    const user = userEvent.setup();
    render(<SpendControlsEditor onSave={async () => {}} />);
    await user.click(categoryBox('Blocked categories', 'Travel'));
    await user.click(categoryBox('Allowed categories (empty = all)', 'Travel'));
    await user.click(screen.getByRole('button', { name: 'Save controls' }));
    expect(screen.getByText('A category cannot be both allowed and blocked: Travel.')).toBeInTheDocument();
  });

  it('removes a limit and moves focus to a sensible place', async () => {
    const user = userEvent.setup();
    render(
      <SpendControlsEditor
        defaultValue={{
          spending_limits: [
            { amount: 100, interval: 'daily' },
            { amount: 200, interval: 'monthly' },
          ],
        }}
      />,
    );
    await user.click(screen.getByRole('button', { name: 'Remove limit 2' }));
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Limit 1: amount (USD)' })).toHaveFocus());
    await user.click(screen.getByRole('button', { name: 'Remove limit 1' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Add limit' })).toHaveFocus());
  });

  it('is controllable: emits valid values and resets when the value changes from outside', async () => {
    const user = userEvent.setup();
    const log: SpendingControls[] = [];
    render(<ControlledEditor initial={{ blocked_categories: ['gambling'] }} log={log} />);
    await user.click(categoryBox('Blocked categories', 'Fuel'));
    expect(log.at(-1)?.blocked_categories).toEqual(['gambling', 'fuel']);
    // Our own emitted value coming back does not reset the form.
    expect(categoryBox('Blocked categories', 'Fuel')).toBeChecked();
    await user.click(screen.getByRole('button', { name: 'Reset from outside' }));
    expect(categoryBox('Blocked categories', 'Fuel')).not.toBeChecked();
    expect(categoryBox('Blocked categories', 'Travel')).toBeChecked();
  });

  it("the preview's messages show amounts in the card's currency", () => {
    const aws = DEFAULT_SAMPLE_PURCHASES.filter((p) => p.merchant === 'Amazon Web Services');
    const controls: SpendingControls = {
      spending_limits: [{ amount: 50_000, interval: 'per_authorization' }],
    };
    const { result } = renderHook(() => useSpendControlsPreview(controls, aws, null, 'usd'));
    expect(result.current.map((r) => r.message)).toEqual([
      "Amount 980.00 USD exceeds the card's per-authorization limit of 500.00 USD.",
    ]);
  });
});
