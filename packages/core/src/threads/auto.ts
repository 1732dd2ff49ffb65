import { setThreadsPaused } from './pool.js';

// `train(..., { threads: 'auto' })`: the workers of `useThreads` kept busy only while that is
// faster, judged by timing blocks of steps with them paused and not, again and again as the
// machine's other work changes. The results are the same bits whatever it picks.

/** Steps in one block of a comparison, the first of each left out (it pays for the switch). */
const BLOCK = 12;
/** Blocks of each kind in a comparison, alternating: one thread, two, one, two ... */
const BLOCKS_EACH = 3;
/** Steps on two threads before the first comparison (the worker's code and caches warm up). */
const WARM_UP = 2 * BLOCK;
/** Steps run on the choice after the first comparison; doubled each time a comparison agrees with the last, up to HOLD_MAX. */
const HOLD = 40 * BLOCK;
const HOLD_MAX = 8 * HOLD;
/** How much faster two threads' median step must be to be kept (0.95: 5 %). */
const KEEP_TWO_BELOW = 0.95;

/** What `threads: 'auto'` chose in a `train` call (`History.autoThreads`). */
export interface AutoThreadsReport {
  /** Steps run with the workers given work, and with them paused. */
  readonly stepsTwo: number;
  readonly stepsOne: number;
  /** The median step of each, in ms, at the last comparison (absent if none could be made). */
  readonly lastMedianStepMs?: { readonly two: number; readonly one: number };
}

/**
 * `threads: 'auto'` while `train` runs: after some warm-up steps on two threads, alternates
 * blocks of steps between this thread alone and the workers (`setThreadsPaused`), keeps
 * whichever has the shorter median step, and compares again after a while, since what the
 * machine's other work leaves of the second core changes; the while doubles each time the
 * comparison agrees with the last. The results are the same bits either way; only the time
 * differs. Call `step` after every batch with whether the batch was full and whether it was the
 * first of an epoch (its time from the last includes the epoch's end): neither counts.
 * @internal
 */
export class AutoThreads {
  /** Steps run with the workers, and alone. */
  readonly steps = { two: 0, one: 0 };
  /** Median step of each kind in the last comparison, ms (undefined before the first). */
  last: { two: number; one: number } | undefined;
  #paused = false;
  #times: { two: number[]; one: number[] } = { two: [], one: [] };
  #phase: 'warm-up' | 'compare' | 'hold' = 'warm-up';
  /** Steps into the phase. */
  #n = 0;
  #hold = HOLD;
  #prev: number | undefined;

  constructor(
    private readonly pause: (paused: boolean) => void = setThreadsPaused,
    private readonly clock: () => number = () => globalThis.performance.now(),
  ) {
    this.pause(false);
  }

  /** What it chose: steps with the workers and alone, and the last comparison's median steps. */
  get report(): AutoThreadsReport {
    return { stepsTwo: this.steps.two, stepsOne: this.steps.one, ...(this.last ? { lastMedianStepMs: { ...this.last } } : {}) };
  }

  /** Whether the workers are being given work now. */
  get usingTwo(): boolean {
    return !this.#paused;
  }

  step(full: boolean, firstOfEpoch: boolean): void {
    const t = this.clock();
    const kind = this.#paused ? 'one' : 'two';
    this.steps[kind]++;
    const counts = this.#phase === 'compare' && full && !firstOfEpoch && this.#prev !== undefined && this.#n % BLOCK !== 0;
    if (counts) this.#times[kind].push(t - this.#prev!);
    this.#prev = t;
    this.#n++;
    if (this.#phase === 'compare') {
      if (this.#n === 2 * BLOCKS_EACH * BLOCK) this.#decide();
      else if (this.#n % BLOCK === 0) this.#set(!this.#paused);
    } else if (this.#n === (this.#phase === 'warm-up' ? WARM_UP : this.#hold)) {
      this.#phase = 'compare';
      this.#n = 0;
      this.#times = { two: [], one: [] };
      this.#set(true);
    }
  }

  #decide(): void {
    const { two, one } = this.#times;
    this.#phase = 'hold';
    this.#n = 0;
    // Too few full steps of either kind (tiny epochs, each a first batch): one thread.
    const m = two.length > 0 && one.length > 0 ? { two: median(two), one: median(one) } : undefined;
    const useTwo = m !== undefined && m.two < KEEP_TWO_BELOW * m.one;
    const agrees = this.last !== undefined && useTwo === this.last.two < KEEP_TWO_BELOW * this.last.one;
    if (m !== undefined) this.last = m;
    this.#hold = agrees ? Math.min(2 * this.#hold, HOLD_MAX) : HOLD;
    this.#set(!useTwo);
  }

  #set(paused: boolean): void {
    if (paused !== this.#paused) this.pause(paused);
    this.#paused = paused;
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}
