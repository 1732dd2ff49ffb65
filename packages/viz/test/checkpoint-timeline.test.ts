// @vitest-environment happy-dom
import { checkpointSchedule, simulateSchedule } from '@nabla/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkpointTimeline } from '../src/checkpoint-timeline.js';
import { simulateTimeline } from '../src/schedule-sim.js';
import type { ScheduleStep } from '../src/types.js';
import { host, listenerLedger } from './helpers.js';

// Plain backprop through 2 layers, written out by hand.
const twoLayers: ScheduleStep[] = [
  { op: 'forward', layer: 1, recompute: false },
  { op: 'forward', layer: 2, recompute: false },
  { op: 'backward', layer: 2 },
  { op: 'free', layer: 2 },
  { op: 'backward', layer: 1 },
  { op: 'free', layer: 1 },
  { op: 'free', layer: 0 },
];

afterEach(() => {
  vi.useRealTimers();
});

describe('simulateTimeline', () => {
  it('simulateTimeline(2, plain backprop) gives each activation its states step by step', () => {
    const sim = simulateTimeline(2, twoLayers);
    if (typeof sim === 'string') throw new Error(sim);
    const at = (t: number) => sim.cells.filter((c) => c.step === t).map((c) => `${c.layer}:${c.state}`);
    expect(at(0)).toEqual(['0:stored', '1:computed']);
    expect(at(1)).toEqual(['0:stored', '1:live', '2:computed']);
    expect(at(2)).toEqual(['0:stored', '1:used', '2:used']);
    expect(at(3)).toEqual(['0:stored', '1:live', '2:freed']);
    expect(at(6)).toEqual(['0:freed']);
    expect(sim.liveAfter).toEqual([2, 3, 3, 2, 2, 1, 0]);
    expect(sim.forwards).toBe(2);
  });

  it.each([
    ['none', 6],
    ['sqrt', 9],
    [{ budget: 3 }, 10],
  ] as const)('agrees with core simulateSchedule on checkpointSchedule(L, %j)', (strategy, L) => {
    const steps = checkpointSchedule(L, strategy);
    const widths = Array.from({ length: L + 1 }, (_, k) => 10 + k);
    const core = simulateSchedule(L, steps, widths);
    const mine = simulateTimeline(L, steps, widths);
    if (typeof mine === 'string') throw new Error(mine);
    expect(mine.liveAfter).toEqual(core.liveAfter);
    expect(mine.liveUnitsAfter).toEqual(core.liveUnitsAfter);
    expect(mine.peakUnits).toBe(core.peakUnits);
    expect(mine.forwards).toBe(core.forwardEvaluations);
    expect(mine.recomputations).toBe(core.recomputations);
  });

  it('rejects an illegal schedule with the step that breaks it', () => {
    expect(simulateTimeline(2, [{ op: 'forward', layer: 2, recompute: false }])).toBe(
      'step 0 ({"op":"forward","layer":2,"recompute":false}) needs g^1, which is not live',
    );
    expect(simulateTimeline(2, twoLayers.slice(0, 6))).toBe('1 activations are still live at the end');
  });
});

describe('checkpointTimeline', () => {
  it('draws one row per activation g^0..g^L and one cell per live activation per step', () => {
    const L = 9;
    const steps = checkpointSchedule(L, 'sqrt');
    const el = host();
    const view = checkpointTimeline(el, { width: 900 });
    view.update({ layers: L, steps });
    expect(el.querySelectorAll('text.row').length).toBe(L + 1);
    const core = simulateSchedule(L, steps);
    const frees = steps.filter((s) => s.op === 'free').length;
    // A cell is drawn where g^k is live after the step, or is freed by it.
    const expected = core.liveAfter.reduce((a, b) => a + b, 0) + frees;
    expect(el.querySelectorAll('rect.cell').length).toBe(expected);
    expect(el.querySelectorAll('rect.cell.recomputed').length).toBe(core.recomputations);
    expect(el.querySelectorAll('rect.cell.computed').length).toBe(L);
    expect(el.querySelectorAll('rect.cell.freed').length).toBe(frees);
    expect(el.querySelectorAll('rect.cell.used').length).toBe(2 * L);
    expect(el.querySelector('path.live')).not.toBeNull();
    expect(el.querySelector('text.caption')?.textContent).toContain(`peak ${core.peakActivations}`);
    view.destroy();
  });

  it('plays step by step with the buttons, the keyboard and the handle', () => {
    vi.useFakeTimers();
    const el = host();
    const view = checkpointTimeline(el, { width: 600, interval: 100, start: 0 });
    view.update({ layers: 2, steps: twoLayers });
    expect(view.position).toBe(0);
    const status = el.querySelector('.nabla-status')!;
    expect(status.textContent).toBe('Step 1 of 7: forward: compute g^1 · live 2 · peak 3');
    el.querySelector<HTMLButtonElement>('button.nabla-forward')!.click();
    expect(view.position).toBe(1);
    const root = el.querySelector<HTMLElement>('.nabla-view')!;
    expect(root.getAttribute('tabindex')).toBe('0');
    root.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    expect(view.position).toBe(2);
    root.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true }));
    expect(view.position).toBe(0);
    // Cells after the cursor are faded.
    expect(el.querySelectorAll('rect.cell[opacity="1"]').length).toBe(2);
    // Hovering a cell reads it; clicking it moves the cursor there.
    const freed = el.querySelector('rect.cell.freed')!;
    freed.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
    expect(el.querySelector('.nabla-tooltip')?.textContent).toBe('g^2 at step 4: freed\nfree g^2');
    freed.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(view.position).toBe(3);
    view.seek(0);
    el.querySelector<HTMLButtonElement>('button.nabla-play')!.click();
    expect(view.playing).toBe(true);
    vi.advanceTimersByTime(250);
    expect(view.position).toBe(2);
    root.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true }));
    expect(view.playing).toBe(false);
    view.play();
    vi.advanceTimersByTime(2000);
    expect(view.position).toBe(6);
    expect(view.playing).toBe(false);
    view.destroy();
  });

  it('destroy() while playing stops the timer and leaves nothing behind', () => {
    vi.useFakeTimers();
    const el = host();
    const ledger = listenerLedger([el, document, window]);
    try {
      const view = checkpointTimeline(el, { start: 0 });
      view.update({ layers: 2, steps: twoLayers });
      view.play();
      expect(vi.getTimerCount()).toBe(1);
      view.destroy();
      expect(vi.getTimerCount()).toBe(0);
      expect(el.childNodes.length).toBe(0);
      expect(ledger.balance()).toBe(0);
    } finally {
      ledger.restore();
    }
  });

  it('an illegal schedule draws a message', () => {
    const el = host();
    const view = checkpointTimeline(el);
    view.update({ layers: 2, steps: twoLayers.slice(1) });
    expect(el.querySelector('[role=alert]')?.textContent).toContain('needs g^1, which is not live');
    expect(el.querySelectorAll('rect.cell').length).toBe(0);
    view.destroy();
  });
});
