import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { FreezeCardToggle } from '../src/components/freeze-card-toggle.js';
import { card } from './fixtures.js';

describe('<FreezeCardToggle>', () => {
  it('is a switch that freezes and unfreezes through the callback', async () => {
    const user = userEvent.setup();
    const calls: Array<[string, boolean]> = [];
    render(
      <FreezeCardToggle
        card={card()}
        onToggle={async (id, frozen) => {
          calls.push([id, frozen]);
        }}
      />,
    );
    const toggle = screen.getByRole('switch', { name: 'Freeze card' });
    expect(toggle).toHaveAttribute('aria-checked', 'false');
    expect(toggle).toHaveAttribute('data-state', 'unchecked');
    await user.click(toggle);
    await waitFor(() => expect(toggle).not.toHaveAttribute('aria-busy'));
    expect(toggle).toHaveAttribute('aria-checked', 'true');
    expect(screen.getByRole('status')).toHaveTextContent('Card is frozen');
    toggle.focus();
    await user.keyboard(' ');
    await waitFor(() => expect(toggle).toHaveAttribute('aria-checked', 'false'));
    expect(calls).toEqual([
      ['ic_1', true],
      ['ic_1', false],
    ]);
  });

  it('rolls back and shows the error when the backend refuses', async () => {
    const user = userEvent.setup();
    render(
      <FreezeCardToggle
        card={card({ status: 'frozen' })}
        onToggle={async () => {
          throw new Error('card_not_active: the card is canceled');
        }}
      />,
    );
    const toggle = screen.getByRole('switch');
    expect(toggle).toHaveAttribute('aria-checked', 'true');
    await user.click(toggle);
    expect(await screen.findByRole('alert')).toHaveTextContent('card_not_active');
    expect(toggle).toHaveAttribute('aria-checked', 'true');
  });

  it('is disabled for a canceled card', () => {
    render(<FreezeCardToggle card={card({ status: 'canceled' })} onToggle={async () => {}} />);
    expect(screen.getByRole('switch')).toBeDisabled();
    expect(screen.getByRole('status')).toHaveTextContent('cannot be unfrozen');
  });

  it('follows status changes of the card prop without losing focus', async () => {
    const user = userEvent.setup();
    const { rerender } = render(<FreezeCardToggle card={card()} onToggle={async () => {}} />);
    const toggle = screen.getByRole('switch');
    await user.click(toggle);
    await waitFor(() => expect(toggle).not.toHaveAttribute('aria-busy'));
    // The app refetched the card after freezing it: same element, same focus, new status.
    rerender(<FreezeCardToggle card={card({ status: 'frozen' })} onToggle={async () => {}} />);
    expect(screen.getByRole('switch')).toBe(toggle);
    expect(toggle).toHaveFocus();
    expect(toggle).toHaveAttribute('aria-checked', 'true');
    // Someone unfroze it elsewhere.
    rerender(<FreezeCardToggle card={card({ status: 'active' })} onToggle={async () => {}} />);
    expect(toggle).toHaveAttribute('aria-checked', 'false');
  });

  it('is controllable', async () => {
    const user = userEvent.setup();
    const changes: boolean[] = [];
    const { rerender } = render(
      <FreezeCardToggle
        card={card()}
        frozen={false}
        onFrozenChange={(v) => changes.push(v)}
        onToggle={async () => {}}
      />,
    );
    await user.click(screen.getByRole('switch'));
    expect(changes).toEqual([true]);
    // The parent did not accept the change yet: still unchecked.
    expect(screen.getByRole('switch')).toHaveAttribute('aria-checked', 'false');
    rerender(
      <FreezeCardToggle
        card={card()}
        frozen
        onFrozenChange={(v) => changes.push(v)}
        onToggle={async () => {}}
      />,
    );
    expect(screen.getByRole('switch')).toHaveAttribute('aria-checked', 'true');
  });
});
