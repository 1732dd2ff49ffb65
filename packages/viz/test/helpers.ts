import { vi } from 'vitest';

/** A fresh container attached to the document. */
export function host(): HTMLDivElement {
  const div = document.createElement('div');
  document.body.appendChild(div);
  return div;
}

/**
 * Count listeners added minus removed on the objects outside a view (its container, the
 * document, the window), so a test can check that `destroy` leaves none behind.
 */
export function listenerLedger(targets: EventTarget[]): { balance(): number; restore(): void } {
  let balance = 0;
  const spies = targets.flatMap((t) => [
    vi.spyOn(t, 'addEventListener').mockImplementation(function (this: EventTarget, ...args: Parameters<EventTarget['addEventListener']>) {
      balance++;
      return EventTarget.prototype.addEventListener.apply(this, args);
    }),
    vi.spyOn(t, 'removeEventListener').mockImplementation(function (this: EventTarget, ...args: Parameters<EventTarget['removeEventListener']>) {
      balance--;
      return EventTarget.prototype.removeEventListener.apply(this, args);
    }),
  ]);
  return {
    balance: () => balance,
    restore: () => {
      for (const s of spies) s.mockRestore();
    },
  };
}
