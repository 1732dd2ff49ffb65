// @vitest-environment happy-dom
import { checkpointSchedule, simulateSchedule } from '@nabla/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkpointTimeline } from '../src/checkpoint-timeline.js';
import { checkTimelineData } from '../src/schedule-sim.js';
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

/** What the view reads: the steps and core's simulation of them, cells included. */
const timelineData = (L: number, steps: readonly ScheduleStep[], widths?: number[]) => ({ steps, simulation: simulateSchedule(L, steps, widths, { cells: true }) });

describe('checkTimelineData', () => {
  it('accepts core simulateSchedule(L, steps, widths, { cells: true }) and names what is missing otherwise', () => {
    expect(checkTimelineData(timelineData(2, twoLayers))).toBeUndefined();
    expect(checkTimelineData({ steps: twoLayers, simulation: simulateSchedule(2, twoLayers) })).toBe('simulation has no cells: simulate with { cells: true }');
    expect(checkTimelineData({ steps: twoLayers.slice(1), simulation: timelineData(2, twoLayers).simulation })).toBe('simulation covers 7 steps, but steps has 6');
    expect(checkTimelineData({ layers: 2, steps: twoLayers })).toMatch(/^simulation is missing/);
    expect(checkTimelineData(null)).toBe('expected { steps, simulation }, got null');
  });
});

describe('checkpointTimeline', () => {
  it('draws one row per activation g^0..g^L and one cell per live activation per step', () => {
    const L = 9;
    const steps = checkpointSchedule(L, 'sqrt');
    const el = host();
    const view = checkpointTimeline(el, { width: 900 });
    view.update(timelineData(L, steps));
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

  it('in a narrow view the legend wraps onto rows inside the width and the caption takes its short form', () => {
    const L = 7;
    const steps = checkpointSchedule(L, { budget: 2 });
    const keysOf = (width: number) => {
      const el = host();
      const view = checkpointTimeline(el, { width });
      view.update(timelineData(L, steps, [784, 64, 64, 64, 64, 64, 64, 10]));
      const keys = Array.from(el.querySelectorAll('g.legend g.key')).map((g) => {
        const [, x, y] = /translate\(([-\d.]+),([-\d.]+)\)/.exec(g.getAttribute('transform') ?? '')!;
        return { x: Number(x), y: Number(y), label: g.querySelector('text')?.textContent ?? '' };
      });
      const caption = el.querySelector('text.caption')?.textContent ?? '';
      const height = Number(el.querySelector('svg')?.getAttribute('height'));
      view.destroy();
      return { keys, caption, height };
    };
    const wide = keysOf(900);
    const narrow = keysOf(400);
    expect(new Set(wide.keys.map((k) => k.y)).size).toBe(1);
    expect(new Set(narrow.keys.map((k) => k.y)).size).toBeGreaterThan(1);
    // Every key starts and (at about 6 px a character) ends inside the 400 px view.
    for (const k of narrow.keys) expect(k.x + 24 + k.label.length * 6).toBeLessThanOrEqual(400);
    expect(narrow.height).toBeGreaterThan(wide.height);
    expect(wide.caption).toContain('forwards');
    expect(narrow.caption).toMatch(/^live · peak \d+ · \d+ fwd \(\d+ recomp\.\)$/);
  });

  it('plays step by step with the buttons, the keyboard and the handle', () => {
    vi.useFakeTimers();
    const el = host();
    const view = checkpointTimeline(el, { width: 600, interval: 100, start: 0 });
    view.update(timelineData(2, twoLayers));
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
      view.update(timelineData(2, twoLayers));
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

  it('steps and a simulation that do not match draw a message', () => {
    const el = host();
    const view = checkpointTimeline(el);
    view.update({ steps: twoLayers.slice(1), simulation: timelineData(2, twoLayers).simulation });
    expect(el.querySelector('[role=alert]')?.textContent).toContain('simulation covers 7 steps, but steps has 6');
    expect(el.querySelectorAll('rect.cell').length).toBe(0);
    view.destroy();
  });
});
