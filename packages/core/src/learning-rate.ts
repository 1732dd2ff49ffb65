import { ConfigError } from './base/errors.js';

/**
 * A learning rate that changes with the update count t = 0, 1, 2, ...: the optimiser evaluates
 * `at(t)` once per update, inside its step.
 */
export interface LearningRateSchedule {
  readonly name: 'constant' | 'step' | 'exponential' | 'cosine';
  /** η_t, the rate of update t (0-based). */
  at(t: number): number;
}

/** A learning rate: a fixed number, or a schedule. */
export type LearningRate = number | LearningRateSchedule;

const finitePositive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

function need(name: string, key: string, value: unknown, ok: boolean, range: string): void {
  if (!ok) throw new ConfigError(`${name}: ${key} must be ${range}, got ${String(value)}`);
}

/** η_t = η for every t. */
export function constantRate(rate: number): LearningRateSchedule {
  need('constantRate', 'rate', rate, finitePositive(rate), 'a finite number > 0');
  return { name: 'constant', at: () => rate };
}

/** Options of `stepDecay`. */
export interface StepDecayOptions {
  /** The initial rate η. */
  readonly rate: number;
  /** Updates between two decays. */
  readonly every: number;
  /** Factor γ applied at each decay. Default 0.1. */
  readonly factor?: number;
}

/**
 * Step decay, η_t = η γ^⌊t / every⌋: the rate drops by γ every `every` updates, the schedule
 * of He et al. 2016 ("Deep Residual Learning for Image Recognition", η divided by 10 twice).
 */
export function stepDecay(options: StepDecayOptions): LearningRateSchedule {
  const { rate, every } = options;
  const factor = options.factor ?? 0.1;
  need('stepDecay', 'rate', rate, finitePositive(rate), 'a finite number > 0');
  need('stepDecay', 'every', every, Number.isInteger(every) && every >= 1, 'an integer >= 1');
  need('stepDecay', 'factor', factor, finitePositive(factor) && factor <= 1, 'in (0, 1]');
  return { name: 'step', at: (t) => rate * factor ** Math.floor(t / every) };
}

/** Options of `exponentialDecay`. */
export interface ExponentialDecayOptions {
  /** The initial rate η. */
  readonly rate: number;
  /** Factor γ per update, in (0, 1]. */
  readonly decay: number;
}

/** Exponential decay, η_t = η γ^t (Bengio 2012, "Practical recommendations for gradient-based training"). */
export function exponentialDecay(options: ExponentialDecayOptions): LearningRateSchedule {
  const { rate, decay } = options;
  need('exponentialDecay', 'rate', rate, finitePositive(rate), 'a finite number > 0');
  need('exponentialDecay', 'decay', decay, finitePositive(decay) && decay <= 1, 'in (0, 1]');
  return { name: 'exponential', at: (t) => rate * decay ** t };
}

/** Options of `cosineDecay`. */
export interface CosineDecayOptions {
  /** The peak rate η (reached at the end of the warm-up). */
  readonly rate: number;
  /** Updates T over which the rate falls from η to `minRate`; it stays there afterwards. */
  readonly steps: number;
  /** The final rate η_min. Default 0. */
  readonly minRate?: number;
  /** Updates W of linear warm-up, η_t = η (t + 1) / W for t < W, counted within `steps`. Default 0. */
  readonly warmup?: number;
}

/**
 * Cosine annealing (Loshchilov & Hutter 2017, "SGDR: Stochastic Gradient Descent with Warm
 * Restarts", one cycle without restarts): η_t = η_min + (η − η_min)(1 + cos(π (t − W) / (T − W))) / 2
 * for W <= t <= T, after a linear warm-up over the first W updates (Goyal et al. 2017, "Accurate,
 * Large Minibatch SGD").
 */
export function cosineDecay(options: CosineDecayOptions): LearningRateSchedule {
  const { rate, steps } = options;
  const minRate = options.minRate ?? 0;
  const warmup = options.warmup ?? 0;
  need('cosineDecay', 'rate', rate, finitePositive(rate), 'a finite number > 0');
  need('cosineDecay', 'steps', steps, Number.isInteger(steps) && steps >= 1, 'an integer >= 1');
  need('cosineDecay', 'minRate', minRate, typeof minRate === 'number' && minRate >= 0 && minRate <= rate, `in [0, rate = ${rate}]`);
  need('cosineDecay', 'warmup', warmup, Number.isInteger(warmup) && warmup >= 0 && warmup < steps, `an integer in [0, steps = ${steps})`);
  const span = steps - warmup;
  return {
    name: 'cosine',
    at(t) {
      if (t < warmup) return (rate * (t + 1)) / warmup;
      const p = Math.min(t - warmup, span) / span;
      return minRate + (rate - minRate) * 0.5 * (1 + Math.cos(Math.PI * p));
    },
  };
}

/** A learning-rate option as a schedule: a number becomes a constant; anything else is checked. */
export function toSchedule(owner: string, value: LearningRate | undefined, fallback: number): LearningRateSchedule {
  const v = value ?? fallback;
  if (typeof v === 'number') {
    if (!finitePositive(v)) throw new ConfigError(`${owner}: learningRate must be a finite number > 0, got ${String(v)}`);
    return { name: 'constant', at: () => v };
  }
  if (v === null || typeof v !== 'object' || typeof (v as { at?: unknown }).at !== 'function') {
    throw new ConfigError(`${owner}: learningRate must be a finite number > 0 or a schedule such as cosineDecay({ rate, steps }), got ${String(v)}`);
  }
  return v;
}
