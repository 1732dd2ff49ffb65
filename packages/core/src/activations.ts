import type { FloatArray } from './matrix/alloc.js';
import { getGemmBackend } from './matrix/gemm.js';
import { addColumnVector } from './matrix/ops.js';
import { biasReluSimd, reluBackwardSimd } from './matrix/simd/gemm-simd.js';
import { hashUniform } from './random.js';

/** Names of the activations a layer can use. */
export type ActivationName = 'sigmoid' | 'tanh' | 'relu' | 'leaky-relu' | 'softplus' | 'linear';

/** The activation names, in a stable order. */
export const activationNames: readonly ActivationName[] = ['sigmoid', 'tanh', 'relu', 'leaky-relu', 'softplus', 'linear'];

/** Slope of leaky relu for negative inputs. */
export const LEAKY_SLOPE = 0.01;

/**
 * An activation g = σ(f) and its derivative. Forward and backward sit side by side; the
 * derivative is written once, in terms of g, which the forward pass already holds, so f never
 * has to be kept or recomputed.
 */
export interface Activation {
  readonly name: ActivationName;
  /** σ(f) for one number. */
  value(f: number): number;
  /** In place: x[i] = σ(x[i]) for i < n. */
  forward(x: FloatArray, n: number): void;
  /**
   * In place on x (rows x cols): x[i, j] = σ(x[i, j] + bias[i]), the bias broadcast along each
   * row and the activation in one pass. An activation that has no fused loop of its own leaves
   * this out and gets the two passes (see `biasActivationForward`).
   */
  forwardWithBias?(x: FloatArray, rows: number, cols: number, bias: FloatArray): void;
  /**
   * The chain rule through σ for one unit: dL/df = dL/dg σ'(f), with σ'(f) written through
   * g = σ(f). The one statement of the derivative; every backward loop calls it.
   */
  chain(dg: number, g: number): number;
  /** dF[i] = chain(dG[i], g[i]) for i < n, a loop over `chain` (dF may alias dG). */
  backward(g: FloatArray, dG: FloatArray, dF: FloatArray, n: number): void;
}

/** Smallest float32 pass that goes to the WebAssembly kernel (below it the copies cost more). */
const SIMD_ELEMENTWISE_MIN = 1024;

/** Whether an elementwise pass over x (n values) runs in WebAssembly SIMD: float32, big enough, not the 'js' backend. */
function simdElementwise(x: FloatArray, n: number): boolean {
  return x instanceof Float32Array && n >= SIMD_ELEMENTWISE_MIN && getGemmBackend() !== 'js';
}

/** Stable logistic function: never evaluates exp of a large positive number. */
export function sigmoidValue(f: number): number {
  if (f >= 0) return 1 / (1 + Math.exp(-f));
  const e = Math.exp(f);
  return e / (1 + e);
}

/** Stable softplus log(1 + e^f). */
export function softplusValue(f: number): number {
  return f > 0 ? f + Math.log1p(Math.exp(-f)) : Math.log1p(Math.exp(f));
}

// [eq:sigmoid-derivative] linked from docs/notes/activations.md
// σ'(f) = σ(f)(1 − σ(f)) = g(1 − g)
const sigmoidChain = (dg: number, g: number): number => dg * g * (1 - g);

const sigmoid: Activation = {
  name: 'sigmoid',
  value: sigmoidValue,
  forward(x, n) {
    for (let i = 0; i < n; i++) x[i] = sigmoidValue(x[i]!);
  },
  chain: sigmoidChain,
  backward(g, dG, dF, n) {
    for (let i = 0; i < n; i++) dF[i] = sigmoidChain(dG[i]!, g[i]!);
  },
};

// [eq:tanh-derivative] linked from docs/notes/activations.md
// tanh'(f) = 1 − tanh²(f) = 1 − g²
const tanhChain = (dg: number, g: number): number => dg * (1 - g * g);

const tanh: Activation = {
  name: 'tanh',
  value: Math.tanh,
  forward(x, n) {
    for (let i = 0; i < n; i++) x[i] = Math.tanh(x[i]!);
  },
  chain: tanhChain,
  backward(g, dG, dF, n) {
    for (let i = 0; i < n; i++) dF[i] = tanhChain(dG[i]!, g[i]!);
  },
};

// [eq:relu-derivative] linked from docs/notes/activations.md
// relu'(f) = [f > 0] = [g > 0]; the derivative at 0 is taken as 0.
const reluChain = (dg: number, g: number): number => (g > 0 ? dg : 0);

const relu: Activation = {
  name: 'relu',
  value: (f) => Math.max(f, 0),
  forward(x, n) {
    for (let i = 0; i < n; i++) if (!(x[i]! > 0)) x[i] = 0;
  },
  forwardWithBias(x, rows, cols, bias) {
    // float32 in WebAssembly SIMD where it runs, with the same operations: bit-identical.
    if (simdElementwise(x, rows * cols) && biasReluSimd(x as Float32Array, rows, cols, bias as Float32Array)) return;
    // The same operations in the same order as addColumnVector then forward: bit-identical.
    for (let i = 0; i < rows; i++) {
      const bi = bias[i]!;
      const end = (i + 1) * cols;
      for (let j = i * cols; j < end; j++) {
        const v = x[j]! + bi;
        // biome-ignore lint/complexity/useMathMinMax: Math.max keeps NaN and −0; relu maps both to +0, as the unfused path does
        x[j] = v > 0 ? v : 0;
      }
    }
  },
  chain: reluChain,
  backward(g, dG, dF, n) {
    if (simdElementwise(g, n) && dG instanceof Float32Array && dF instanceof Float32Array && reluBackwardSimd(g as Float32Array, dG, dF, n)) return;
    for (let i = 0; i < n; i++) dF[i] = reluChain(dG[i]!, g[i]!);
  },
};

// [eq:leaky-relu-derivative] linked from docs/notes/activations.md
// g > 0 exactly when f > 0, because the negative slope is positive.
const leakyReluChain = (dg: number, g: number): number => (g > 0 ? dg : LEAKY_SLOPE * dg);

const leakyRelu: Activation = {
  name: 'leaky-relu',
  value: (f) => (f > 0 ? f : LEAKY_SLOPE * f),
  forward(x, n) {
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      if (!(v > 0)) x[i] = LEAKY_SLOPE * v;
    }
  },
  chain: leakyReluChain,
  backward(g, dG, dF, n) {
    for (let i = 0; i < n; i++) dF[i] = leakyReluChain(dG[i]!, g[i]!);
  },
};

// [eq:softplus-derivative] linked from docs/notes/activations.md
// softplus'(f) = sigmoid(f); from e^g = 1 + e^f follows sigmoid(f) = 1 − e^{−g} = −expm1(−g).
const softplusChain = (dg: number, g: number): number => dg * -Math.expm1(-g);

const softplus: Activation = {
  name: 'softplus',
  value: softplusValue,
  forward(x, n) {
    for (let i = 0; i < n; i++) x[i] = softplusValue(x[i]!);
  },
  chain: softplusChain,
  backward(g, dG, dF, n) {
    for (let i = 0; i < n; i++) dF[i] = softplusChain(dG[i]!, g[i]!);
  },
};

const linear: Activation = {
  name: 'linear',
  value: (f) => f,
  forward() {},
  // [eq:linear-derivative] linked from docs/notes/activations.md
  chain: (dg) => dg,
  backward(_g, dG, dF, n) {
    if (dF !== dG) for (let i = 0; i < n; i++) dF[i] = dG[i]!;
  },
};

const table: Record<ActivationName, Activation> = {
  sigmoid,
  tanh,
  relu,
  'leaky-relu': leakyRelu,
  softplus,
  linear,
};

/** Look up an activation by name; undefined for unknown names. */
export function getActivation(name: string): Activation | undefined {
  return Object.hasOwn(table, name) ? table[name as ActivationName] : undefined;
}

/**
 * Inverted dropout of one hidden layer k (Srivastava et al. 2014): unit i is kept when
 * u(seed, k, i) >= rate, a hash of the seed, the layer and the unit, so a recomputed layer gets
 * the very same mask; kept units are scaled by 1 / (1 − rate).
 */
export interface DropoutMask {
  readonly seed: number;
  readonly layer: number;
  readonly rate: number;
}

/** f ← f + b 1ᵀ, then g = σ(f), in place on x (rows x cols): the fused loop where σ has one. */
export function biasActivationForward(act: Activation, x: FloatArray, rows: number, cols: number, bias: FloatArray): void {
  if (act.forwardWithBias !== undefined) {
    act.forwardWithBias(x, rows, cols, bias);
    return;
  }
  addColumnVector(x, rows, cols, bias);
  act.forward(x, rows * cols);
}

/** g ← g ⊙ m / (1 − p) in place over n entries, m_i = [u(seed, k, i) >= p]. */
export function dropoutForward(g: FloatArray, n: number, mask: DropoutMask): void {
  // [eq:dropout-forward] linked from docs/notes/forward.md
  const p = mask.rate;
  const scale = 1 / (1 - p);
  for (let i = 0; i < n; i++) g[i] = hashUniform(mask.seed, mask.layer, i) >= p ? g[i]! * scale : 0;
}

/**
 * dL/df = dL/dg ⊙ σ'(f) over n entries, σ' taken from g. With a dropout mask, g is the layer's
 * output after dropout: dL/df = dL/dg ⊙ m / (1 − p) ⊙ σ'(f), σ' from the pre-dropout g (1 − p).
 * dF may alias dG.
 */
export function activationBackward(act: Activation, g: FloatArray, dG: FloatArray, dF: FloatArray, n: number, mask?: DropoutMask): void {
  // [eq:hadamard] linked from docs/notes/activations.md
  if (mask === undefined) {
    act.backward(g, dG, dF, n);
    return;
  }
  // [eq:dropout-backward] linked from docs/notes/backward.md
  const p = mask.rate;
  const scale = 1 / (1 - p);
  const unscale = 1 - p;
  // σ'(f) itself is chain(1, g), exact for every activation; multiplying it in last keeps the
  // rounding of dL/dg ⊙ m / (1 − p) ⊙ σ'(f) as written, factor by factor.
  for (let i = 0; i < n; i++) dF[i] = hashUniform(mask.seed, mask.layer, i) >= p ? dG[i]! * scale * act.chain(1, g[i]! * unscale) : 0;
}
