import type { FloatArray } from './matrix/alloc.js';

/** Names of the activations a layer can use. */
export type ActivationName = 'sigmoid' | 'tanh' | 'relu' | 'leaky-relu' | 'softplus' | 'linear';

/** The activation names, in a stable order. */
export const activationNames: readonly ActivationName[] = ['sigmoid', 'tanh', 'relu', 'leaky-relu', 'softplus', 'linear'];

/** Slope of leaky relu for negative inputs. */
export const LEAKY_SLOPE = 0.01;

/**
 * An activation g = σ(f) and its derivative. Forward and backward sit side by side; the
 * backward pass is written in terms of g, which the forward pass already holds, so f never has
 * to be kept or recomputed.
 */
export interface Activation {
  readonly name: ActivationName;
  /** σ(f) for one number. */
  value(f: number): number;
  /** σ'(f) expressed through g = σ(f). */
  derivativeFromOutput(g: number): number;
  /** In place: x[i] = σ(x[i]) for i < n. */
  forward(x: FloatArray, n: number): void;
  /** dF[i] = dG[i] σ'(f_i), with σ'(f_i) computed from g[i]. dF may alias dG. */
  backward(g: FloatArray, dG: FloatArray, dF: FloatArray, n: number): void;
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

const sigmoid: Activation = {
  name: 'sigmoid',
  value: sigmoidValue,
  // σ'(f) = σ(f)(1 − σ(f)) = g(1 − g)
  derivativeFromOutput: (g) => g * (1 - g),
  forward(x, n) {
    for (let i = 0; i < n; i++) x[i] = sigmoidValue(x[i]!);
  },
  backward(g, dG, dF, n) {
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      dF[i] = dG[i]! * gi * (1 - gi);
    }
  },
};

const tanh: Activation = {
  name: 'tanh',
  value: Math.tanh,
  // tanh'(f) = 1 − tanh²(f) = 1 − g²
  derivativeFromOutput: (g) => 1 - g * g,
  forward(x, n) {
    for (let i = 0; i < n; i++) x[i] = Math.tanh(x[i]!);
  },
  backward(g, dG, dF, n) {
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      dF[i] = dG[i]! * (1 - gi * gi);
    }
  },
};

const relu: Activation = {
  name: 'relu',
  value: (f) => Math.max(f, 0),
  // relu'(f) = [f > 0] = [g > 0]; the derivative at 0 is taken as 0.
  derivativeFromOutput: (g) => (g > 0 ? 1 : 0),
  forward(x, n) {
    for (let i = 0; i < n; i++) if (!(x[i]! > 0)) x[i] = 0;
  },
  backward(g, dG, dF, n) {
    for (let i = 0; i < n; i++) dF[i] = g[i]! > 0 ? dG[i]! : 0;
  },
};

const leakyRelu: Activation = {
  name: 'leaky-relu',
  value: (f) => (f > 0 ? f : LEAKY_SLOPE * f),
  // g > 0 exactly when f > 0, because the negative slope is positive.
  derivativeFromOutput: (g) => (g > 0 ? 1 : LEAKY_SLOPE),
  forward(x, n) {
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      if (!(v > 0)) x[i] = LEAKY_SLOPE * v;
    }
  },
  backward(g, dG, dF, n) {
    for (let i = 0; i < n; i++) dF[i] = g[i]! > 0 ? dG[i]! : LEAKY_SLOPE * dG[i]!;
  },
};

const softplus: Activation = {
  name: 'softplus',
  value: softplusValue,
  // softplus'(f) = sigmoid(f); from e^g = 1 + e^f follows sigmoid(f) = 1 − e^{−g} = −expm1(−g).
  derivativeFromOutput: (g) => -Math.expm1(-g),
  forward(x, n) {
    for (let i = 0; i < n; i++) x[i] = softplusValue(x[i]!);
  },
  backward(g, dG, dF, n) {
    for (let i = 0; i < n; i++) dF[i] = dG[i]! * -Math.expm1(-g[i]!);
  },
};

const linear: Activation = {
  name: 'linear',
  value: (f) => f,
  derivativeFromOutput: () => 1,
  forward() {},
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
