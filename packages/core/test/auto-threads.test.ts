import { describe, expect, it } from 'vitest';
import { AutoThreads } from '../src/threads/auto.js';

describe("train's threads: 'auto' (AutoThreads)", () => {
  /**
   * Drive an AutoThreads over `steps` steps whose time is cost(paused, step) on a fake clock;
   * returns it, the pause calls and which kind each step ran on.
   */
  function drive(steps: number, cost: (paused: boolean, step: number) => number, opts: { full?: (s: number) => boolean; first?: (s: number) => boolean } = {}) {
    let t = 0;
    let paused = false;
    const calls: boolean[] = [];
    const kinds: boolean[] = [];
    const c = new AutoThreads(
      (p) => {
        calls.push(p);
        paused = p;
      },
      () => t,
    );
    for (let s = 0; s < steps; s++) {
      kinds.push(paused);
      t += cost(paused, s);
      c.step(opts.full?.(s) ?? true, opts.first?.(s) ?? false);
    }
    return { c, calls, kinds };
  }

  it('keeps two threads where they are faster, comparing again less often as comparisons agree', () => {
    const { c, calls, kinds } = drive(5000, (p) => (p ? 2 : 1));
    expect(calls[0]).toBe(false); // the workers are handed work at the start
    expect(kinds.slice(0, 24).every((p) => !p)).toBe(true); // warm-up on two threads
    expect(kinds.slice(24, 36).every((p) => p)).toBe(true); // then a block on one
    expect(c.last).toEqual({ two: 1, one: 2 });
    expect(c.steps.two + c.steps.one).toBe(5000);
    expect(c.steps.one).toBeLessThan(0.06 * 5000);
    expect(c.usingTwo).toBe(true);
    // comparisons: after the warm-up, then after 480, 960, 1920 ... steps of holding
    const starts = kinds.flatMap((p, i) => (p && !kinds[i - 1] ? [i] : []));
    expect(starts.slice(0, 4)).toEqual([24, 48, 72, 96 + 480]);
    expect(starts).toContain(96 + 480 + 72 + 960);
  });

  it('goes back to one thread where two are slower, and follows a change of the machine', () => {
    const slow = drive(3000, (p) => (p ? 1 : 1.5));
    expect(slow.c.usingTwo).toBe(false);
    expect(slow.c.steps.two).toBeLessThan(0.1 * 3000);
    // Two threads faster for the first 2000 steps, slower after. Comparisons end at steps 96,
    // 648 and 1680 (holds of 480 and 960), then after a hold of 1920 at 3672: one thread from there.
    const change = drive(6000, (p, s) => (s < 2000 ? (p ? 2 : 1) : p ? 1 : 3));
    expect(change.kinds.slice(1000, 3600).filter((p) => p).length).toBe(72 / 2);
    expect(change.kinds.slice(3672, 3672 + 480).every((p) => p)).toBe(true);
    expect(change.kinds.slice(3672).filter((p) => !p).length).toBeLessThan(0.1 * (6000 - 3672));
    expect(change.c.usingTwo).toBe(false);
  });

  it('leaves out the first batch of an epoch and partial batches; with nothing else to go on, one thread', () => {
    // The first batch of every 10 takes 100 (an epoch's end, say), partial ones 0.1: ignored.
    const { c } = drive(2000, (p, s) => (s % 10 === 0 ? 100 : s % 10 === 9 ? 0.1 : p ? 2 : 1), { first: (s) => s % 10 === 0, full: (s) => s % 10 !== 9 });
    expect(c.last).toEqual({ two: 1, one: 2 });
    expect(c.usingTwo).toBe(true);
    const none = drive(200, (p) => (p ? 2 : 1), { first: () => true });
    expect(none.c.last).toBeUndefined();
    expect(none.c.usingTwo).toBe(false);
  });
});
