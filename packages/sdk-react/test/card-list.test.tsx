import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { CardList } from '../src/components/card-list.js';
import { card } from './fixtures.js';

const cards = [
  card({ id: 'ic_a', last4: '1111', metadata: { nickname: 'Ads' } }),
  card({ id: 'ic_b', last4: '2222', status: 'frozen', brand: 'mastercard' }),
  card({ id: 'ic_c', last4: '3333', status: 'canceled' }),
];

function Controlled() {
  const [value, setValue] = useState('ic_c');
  return (
    <>
      <CardList cards={cards} value={value} onValueChange={setValue} />
      <output>{value}</output>
    </>
  );
}

describe('<CardList>', () => {
  it('renders a listbox whose options show nickname or brand, last4 and status', () => {
    render(<CardList cards={cards} />);
    const list = screen.getByRole('listbox', { name: 'Cards' });
    expect(list).toBeInTheDocument();
    const options = screen.getAllByRole('option');
    expect(options).toHaveLength(3);
    expect(options[0]).toHaveTextContent(/^Ads•••• 1111 · 08\/29 · USD/);
    expect(options[1]).toHaveTextContent(/^Mastercard •••• 222208\/29 · USD/); // unnamed: brand and last4, not just "Mastercard"
    expect(options[1]).toHaveTextContent('Frozen');
    expect(options[1]).toHaveAttribute('data-status', 'frozen');
  });

  it('moves selection with arrow keys, Home and End (roving focus) and reports it', async () => {
    const user = userEvent.setup();
    const selected: string[] = [];
    render(<CardList cards={cards} defaultValue="ic_a" onValueChange={(id) => selected.push(id)} />);
    const first = screen.getByRole('option', { name: /1111/ });
    expect(first).toHaveAttribute('tabindex', '0');
    await user.tab();
    expect(first).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    const second = screen.getByRole('option', { name: /2222/ });
    expect(second).toHaveFocus();
    expect(second).toHaveAttribute('aria-selected', 'true');
    expect(second).toHaveAttribute('data-state', 'checked');
    expect(first).toHaveAttribute('aria-selected', 'false');
    await user.keyboard('{End}');
    expect(screen.getByRole('option', { name: /3333/ })).toHaveFocus();
    await user.keyboard('{Home}');
    expect(first).toHaveFocus();
    expect(selected).toEqual(['ic_b', 'ic_c', 'ic_a']);
  });

  it('is controllable', async () => {
    const user = userEvent.setup();
    render(<Controlled />);
    expect(screen.getByRole('option', { name: /3333/ })).toHaveAttribute('aria-selected', 'true');
    await user.click(screen.getByRole('option', { name: /1111/ }));
    expect(screen.getByRole('status')).toHaveTextContent('ic_a');
    expect(screen.getByRole('option', { name: /1111/ })).toHaveAttribute('aria-selected', 'true');
  });

  it('loads cards through a callback, shows errors with a retry', async () => {
    const user = userEvent.setup();
    let attempts = 0;
    const loadCards = async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('backend unavailable');
      return cards;
    };
    render(<CardList loadCards={loadCards} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('backend unavailable');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(3));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('says when there are no cards', async () => {
    render(<CardList loadCards={async () => []} />);
    expect(await screen.findByText('No cards yet.')).toBeInTheDocument();
  });

  it('takes the list JSON of GET /cards as it comes, from loadCards or the cards prop', async () => {
    const list = { object: 'list' as const, data: cards, has_more: false, next_cursor: null };
    const { unmount } = render(<CardList loadCards={async () => list} />);
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(3));
    unmount();
    render(<CardList cards={list} />);
    expect(screen.getAllByRole('option')).toHaveLength(3);
  });

  it('says what it expected when given neither an array nor a list', async () => {
    const { unmount } = render(<CardList loadCards={async () => ({ cards }) as never} />);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      "CardList: loadCards resolved to an object with keys cards; expected an array of cards or the list JSON of GET /cards ({ object: 'list', data: [...] }). Pass the cards (list.data) or the list itself.",
    );
    expect(screen.queryByText('No cards yet.')).not.toBeInTheDocument();
    unmount();
    render(<CardList cards={'ic_a' as never} />);
    expect(screen.getByRole('alert')).toHaveTextContent('CardList: the cards prop string; expected an array');
  });
});
