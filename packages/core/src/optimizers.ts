// Over 300 lines: five optimisers on one slot protocol, each update written once in TypeScript (the reference the float32 WebAssembly paths of SGD, momentum, Nesterov and Adam are tested bit-identical to).
import { ConfigError } from './base/errors.js';
import { type LearningRate, type LearningRateSchedule, toSchedule } from './learning-rate.js';
import { type FloatArray, allocEngine, dtypeOf } from './matrix/alloc.js';
import { checkOptimizerOptions } from './validate.js';
import { getGemmBackend } from './matrix/gemm.js';
import { type UpdateArgs, updateSimd } from './matrix/simd/gemm-simd.js';
import { brief } from './base/limits.js';

/**
 * One parameter array of layer k and its gradient: W^k and dL/dW^k (kind 'weights') or b^k and
 * dL/db^k (kind 'bias'). L2 weight decay applies to weights, not to biases.
 */
export interface ParamSlot {
  /** Layer k, 1 ... L as in the notes. */
  readonly layer: number;
  readonly kind: 'weights' | 'bias';
  readonly param: FloatArray;
  readonly grad: FloatArray;
}

/** An optimiser updates parameters in place from their gradients, keeping its own state. */
export interface Optimizer {
  readonly name: OptimizerName;
  /** The rate of the most recent update (before the first update: the first update's). */
  readonly learningRate: number;
  /** The learning rate as a schedule of the update count (a constant for a number). */
  readonly schedule?: LearningRateSchedule;
  /**
   * One update of every slot. State is created on the first call and kept for the same slots.
   * Returns whether every updated parameter is finite (the built-in optimisers check it in the
   * update loop itself); an optimiser that returns nothing is checked by `train` with a scan.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: an optimiser written by a user may return nothing.
  step(slots: readonly ParamSlot[]): boolean | void;
  /** Forget the state (velocities, moments, step count). */
  reset(): void;
}

export type OptimizerName = 'sgd' | 'momentum' | 'nesterov' | 'adam' | 'rmsprop';
export const optimizerNames: readonly OptimizerName[] = ['sgd', 'momentum', 'nesterov', 'adam', 'rmsprop'];

/** Options shared by every optimiser. */
export interface OptimizerOptions {
  /**
   * Step size η > 0, or a schedule of the update count evaluated inside every step
   * (`stepDecay`, `exponentialDecay`, `cosineDecay`). Defaults: 0.01 for sgd, momentum and
   * nesterov; 0.001 for adam and rmsprop.
   */
  readonly learningRate?: LearningRate;
  /** L2 weight decay λ: the gradient of each weight gets λ w added (biases are not decayed). Default 0. */
  readonly weightDecay?: number;
}

export interface SgdOptions extends OptimizerOptions {
  /** Momentum μ in [0, 1). Default 0 for sgd, 0.9 for momentum and nesterov. */
  readonly momentum?: number;
  /** Nesterov's look-ahead form of momentum. Default false (true for `nesterov`). */
  readonly nesterov?: boolean;
}

export interface AdamOptions extends OptimizerOptions {
  /** Decay of the first moment. Default 0.9. */
  readonly beta1?: number;
  /** Decay of the second moment. Default 0.999. */
  readonly beta2?: number;
  /** Added to the denominator. Default 1e-8. */
  readonly epsilon?: number;
}

export interface RmspropOptions extends OptimizerOptions {
  /** Decay of the mean square. Default 0.9. */
  readonly rho?: number;
  /** Added to the denominator. Default 1e-8. */
  readonly epsilon?: number;
}

function check(name: string, key: string, value: number | undefined, fallback: number, ok: (v: number) => boolean, range: string): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !ok(v)) throw new ConfigError(`${name}: ${key} must be ${range}, got ${brief(v)}`);
  return v;
}
const positive = (v: number): boolean => Number.isFinite(v) && v > 0;
const unit = (v: number): boolean => v >= 0 && v < 1;
const nonNegative = (v: number): boolean => Number.isFinite(v) && v >= 0;

const args: UpdateArgs = { lr: 0, lambda: 0, a: 0, b: 0, c1: 0, c2: 0, eps: 0 };

/**
 * The update of a float32 slot in WebAssembly SIMD (two parameters at a time in float64, so
 * bit-identical to the loops below, which run float64 slots, the 'js' backend and runtimes
 * without SIMD): whether every parameter is finite, or null to run the loop.
 */
function fastUpdate(kind: 0 | 1 | 2 | 3, p: FloatArray, g: FloatArray, s1: FloatArray | undefined, s2: FloatArray | undefined, bk: FloatArray | undefined): boolean | null {
  if (!(p instanceof Float32Array) || !(g instanceof Float32Array) || getGemmBackend() === 'js') return null;
  if ((s1 !== undefined && !(s1 instanceof Float32Array)) || (s2 !== undefined && !(s2 instanceof Float32Array)) || (bk !== undefined && !(bk instanceof Float32Array))) return null;
  return updateSimd(kind, p, g, s1 as Float32Array | undefined, s2 as Float32Array | undefined, args, bk as Float32Array | undefined);
}

/** The optimisers made here: each honours `keepBefore`. */
const builtIn = new WeakSet<Optimizer>();
/** Where each step on these slots first copies each slot's parameters (`keepBefore`). */
const before = new WeakMap<readonly ParamSlot[], readonly FloatArray[]>();

function made(opt: Optimizer): Optimizer {
  builtIn.add(opt);
  return opt;
}

/**
 * Have every step of `opt` on `slots` first copy slot i's parameters into `into[i]` (undefined
 * stops it): what `train` keeps to undo a step that diverges. Split among threads with the
 * update, each thread copies the range it updates, so the copy stays in its cache. False (and
 * nothing registered) for an optimiser not made by this module: the caller copies. @internal
 */
export function keepBefore(opt: Optimizer, slots: readonly ParamSlot[], into: readonly FloatArray[] | undefined): boolean {
  if (!builtIn.has(opt)) return false;
  if (into === undefined) before.delete(slots);
  else before.set(slots, into);
  return true;
}

/** Per-slot state buffers, recreated when the slots change. */
class SlotState {
  #slots: readonly ParamSlot[] | undefined;
  #buffers: FloatArray[][] = [];
  constructor(readonly count: number) {}
  get(slots: readonly ParamSlot[]): FloatArray[][] {
    if (this.#slots !== slots) {
      const same = this.#slots !== undefined && this.#slots.length === slots.length && this.#slots.every((s, i) => s.param === slots[i]!.param);
      if (!same) {
        this.#buffers = slots.map((s) => Array.from({ length: this.count }, () => allocEngine(dtypeOf(s.param), s.param.length)));
      }
      this.#slots = slots;
    }
    return this.#buffers;
  }
  reset(): void {
    this.#slots = undefined;
    this.#buffers = [];
  }
}

/**
 * Stochastic gradient descent, with optional momentum (Polyak 1964) or Nesterov momentum
 * (Sutskever et al. 2013, "On the importance of initialization and momentum in deep learning"):
 * v ← μ v + g; p ← p − η v, or p ← p − η (g + μ v) with Nesterov.
 */
export function sgd(options: SgdOptions = {}): Optimizer {
  checkOptimizerOptions('sgd', options);
  return sgdNamed('sgd', options, 0, false);
}

/** SGD with momentum μ = 0.9 by default. */
export function momentum(options: SgdOptions = {}): Optimizer {
  checkOptimizerOptions('momentum', options);
  return sgdNamed('momentum', options, 0.9, false);
}

/** SGD with Nesterov momentum, μ = 0.9 by default. */
export function nesterov(options: SgdOptions = {}): Optimizer {
  checkOptimizerOptions('nesterov', options);
  return sgdNamed('nesterov', options, 0.9, true);
}

function sgdNamed(name: OptimizerName, options: SgdOptions, defaultMomentum: number, defaultNesterov: boolean): Optimizer {
  const schedule = toSchedule(name, options.learningRate, 0.01);
  const mu = check(name, 'momentum', options.momentum, defaultMomentum, unit, 'in [0, 1)');
  const wd = check(name, 'weightDecay', options.weightDecay, 0, nonNegative, 'a finite number >= 0');
  const useNesterov = options.nesterov ?? defaultNesterov;
  const state = new SlotState(1);
  let t = 0;
  let lr = schedule.at(0);
  return made({
    name,
    get learningRate() {
      return lr;
    },
    schedule,
    step(slots) {
      lr = schedule.at(t++);
      const velocities = mu > 0 ? state.get(slots) : undefined;
      const keep = before.get(slots);
      // x * 0 is 0 for finite x and NaN otherwise: one sum tells whether all updates are finite.
      let check = 0;
      for (let s = 0; s < slots.length; s++) {
        const { param: p, grad: g, kind } = slots[s]!;
        // [eq:weight-decay] linked from docs/notes/optimizers.md
        const lambda = kind === 'weights' ? wd : 0;
        const n = p.length;
        args.lr = lr;
        args.lambda = lambda;
        args.a = mu;
        const fast = fastUpdate(velocities === undefined ? 0 : useNesterov ? 2 : 1, p, g, velocities === undefined ? undefined : velocities[s]![0], undefined, keep?.[s]);
        if (fast !== null) {
          if (!fast) check = Number.NaN;
          continue;
        }
        if (keep !== undefined) keep[s]!.set(p);
        // [eq:sgd] linked from docs/notes/optimizers.md
        if (velocities === undefined) {
          for (let i = 0; i < n; i++) {
            const pi = p[i]! - lr * (g[i]! + lambda * p[i]!);
            p[i] = pi;
            check += p[i]! * 0;
          }
          continue;
        }
        // [eq:momentum] linked from docs/notes/optimizers.md
        const v = velocities[s]![0]!;
        for (let i = 0; i < n; i++) {
          const gi = g[i]! + lambda * p[i]!;
          const vi = mu * v[i]! + gi;
          v[i] = vi;
          const pi = p[i]! - lr * (useNesterov ? gi + mu * vi : vi);
          p[i] = pi;
          check += p[i]! * 0;
        }
      }
      return check === 0;
    },
    reset() {
      state.reset();
      t = 0;
      lr = schedule.at(0);
    },
  });
}

/**
 * Adam (Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization"):
 * m ← β1 m + (1 − β1) g; v ← β2 v + (1 − β2) g²; p ← p − η m̂ / (√v̂ + ε) with the bias
 * corrections m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t).
 */
export function adam(options: AdamOptions = {}): Optimizer {
  checkOptimizerOptions('adam', options);
  const schedule = toSchedule('adam', options.learningRate, 0.001);
  const b1 = check('adam', 'beta1', options.beta1, 0.9, unit, 'in [0, 1)');
  const b2 = check('adam', 'beta2', options.beta2, 0.999, unit, 'in [0, 1)');
  const eps = check('adam', 'epsilon', options.epsilon, 1e-8, positive, 'a finite number > 0');
  const wd = check('adam', 'weightDecay', options.weightDecay, 0, nonNegative, 'a finite number >= 0');
  const state = new SlotState(2);
  let t = 0;
  let lr = schedule.at(0);
  return made({
    name: 'adam',
    get learningRate() {
      return lr;
    },
    schedule,
    step(slots) {
      const buffers = state.get(slots);
      const keep = before.get(slots);
      lr = schedule.at(t);
      t++;
      // [eq:adam] linked from docs/notes/optimizers.md
      const c1 = 1 / (1 - b1 ** t);
      const c2 = 1 / (1 - b2 ** t);
      let check = 0;
      for (let s = 0; s < slots.length; s++) {
        const { param: p, grad: g, kind } = slots[s]!;
        const lambda = kind === 'weights' ? wd : 0;
        const m = buffers[s]![0]!;
        const v = buffers[s]![1]!;
        args.lr = lr;
        args.lambda = lambda;
        args.a = b1;
        args.b = b2;
        args.c1 = c1;
        args.c2 = c2;
        args.eps = eps;
        const fast = fastUpdate(3, p, g, m, v, keep?.[s]);
        if (fast !== null) {
          if (!fast) check = Number.NaN;
          continue;
        }
        if (keep !== undefined) keep[s]!.set(p);
        for (let i = 0; i < p.length; i++) {
          const gi = g[i]! + lambda * p[i]!;
          const mi = b1 * m[i]! + (1 - b1) * gi;
          const vi = b2 * v[i]! + (1 - b2) * gi * gi;
          m[i] = mi;
          v[i] = vi;
          const pi = p[i]! - (lr * mi * c1) / (Math.sqrt(vi * c2) + eps);
          p[i] = pi;
          check += p[i]! * 0;
        }
      }
      return check === 0;
    },
    reset() {
      state.reset();
      t = 0;
      lr = schedule.at(0);
    },
  });
}

/**
 * RMSProp (Tieleman & Hinton 2012, Coursera lecture 6.5): s ← ρ s + (1 − ρ) g²;
 * p ← p − η g / (√s + ε).
 */
export function rmsprop(options: RmspropOptions = {}): Optimizer {
  checkOptimizerOptions('rmsprop', options);
  const schedule = toSchedule('rmsprop', options.learningRate, 0.001);
  const rho = check('rmsprop', 'rho', options.rho, 0.9, unit, 'in [0, 1)');
  const eps = check('rmsprop', 'epsilon', options.epsilon, 1e-8, positive, 'a finite number > 0');
  const wd = check('rmsprop', 'weightDecay', options.weightDecay, 0, nonNegative, 'a finite number >= 0');
  const state = new SlotState(1);
  let t = 0;
  let lr = schedule.at(0);
  return made({
    name: 'rmsprop',
    get learningRate() {
      return lr;
    },
    schedule,
    step(slots) {
      const buffers = state.get(slots);
      const keep = before.get(slots);
      lr = schedule.at(t++);
      let check = 0;
      for (let s = 0; s < slots.length; s++) {
        const { param: p, grad: g, kind } = slots[s]!;
        const lambda = kind === 'weights' ? wd : 0;
        if (keep !== undefined) keep[s]!.set(p);
        // [eq:rmsprop] linked from docs/notes/optimizers.md
        const sq = buffers[s]![0]!;
        for (let i = 0; i < p.length; i++) {
          const gi = g[i]! + lambda * p[i]!;
          const si = rho * sq[i]! + (1 - rho) * gi * gi;
          sq[i] = si;
          const pi = p[i]! - (lr * gi) / (Math.sqrt(si) + eps);
          p[i] = pi;
          check += p[i]! * 0;
        }
      }
      return check === 0;
    },
    reset() {
      state.reset();
      t = 0;
      lr = schedule.at(0);
    },
  });
}

/** An optimiser by name, for command lines and configuration files. */
export function optimizer(name: string, options: SgdOptions & AdamOptions & RmspropOptions = {}): Optimizer {
  switch (name) {
    case 'sgd':
      return sgd(options);
    case 'momentum':
      return momentum(options);
    case 'nesterov':
      return nesterov(options);
    case 'adam':
      return adam(options);
    case 'rmsprop':
      return rmsprop(options);
    default:
      throw new ConfigError(`optimizer: unknown optimizer '${name}'; use one of ${optimizerNames.join(', ')}`);
  }
}
