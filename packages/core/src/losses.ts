import { type Activation, type ActivationName, activationBackward, getActivation, sigmoidValue } from './activations.js';
import type { FloatArray } from './matrix/alloc.js';

/** Names of the losses. */
export type LossName = 'cross-entropy' | 'binary-cross-entropy' | 'mse';

/** The output layer's function: softmax over each sample, or an elementwise activation. */
export type OutputName = 'softmax' | ActivationName;

export const lossNames: readonly LossName[] = ['cross-entropy', 'binary-cross-entropy', 'mse'];

/**
 * The output layer and its loss, working on column-major batches: f^L, ŷ and y are m x B with
 * one sample per column, element (i, j) at i * B + j.
 *
 * `forward` turns the logits f^L into ŷ in place and returns the mean loss; `backward` writes
 * dL/df^L from ŷ and y. Forward and backward of each pair sit side by side below.
 */
export interface Head {
  readonly output: OutputName;
  readonly loss: LossName;
  /** f → ŷ in place; returns the loss if y is given (else NaN). */
  forward(f: FloatArray, y: FloatArray | undefined, m: number, batch: number): number;
  /** dF = dL/df^L, from ŷ (what forward left in place) and y. */
  backward(yHat: FloatArray, y: FloatArray, dF: FloatArray, m: number, batch: number): void;
}

/**
 * softmax + cross-entropy, fused. L = −(1/B) Σ_j Σ_i y_ij log ŷ_ij with ŷ_·j = softmax(f_·j).
 *
 * NOTE: dL/df = (ŷ − y)/B needs no softmax Jacobian. For one sample, ∂/∂f_i of
 * −Σ_c y_c (f_c − log Σ_d e^{f_d}) is −y_i + ŷ_i Σ_c y_c, and Σ_c y_c = 1 for a valid label.
 * The loss is computed from the logits with log-sum-exp, so large |f| cannot overflow.
 */
const softmaxCrossEntropy: Head = {
  output: 'softmax',
  loss: 'cross-entropy',
  forward(f, y, m, batch) {
    let total = 0;
    for (let j = 0; j < batch; j++) {
      let max = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < m; i++) max = Math.max(max, f[i * batch + j]!);
      let sum = 0;
      for (let i = 0; i < m; i++) sum += Math.exp(f[i * batch + j]! - max);
      // [eq:softmax-cross-entropy-loss] linked from docs/notes/losses.md
      const lse = max + Math.log(sum);
      if (y !== undefined) {
        let dot = 0;
        for (let i = 0; i < m; i++) {
          const yi = y[i * batch + j]!;
          if (yi !== 0) dot += yi * f[i * batch + j]!;
        }
        // −Σ_i y_i log ŷ_i = lse Σ_i y_i − Σ_i y_i f_i = lse − y·f
        total += lse - dot;
      }
      for (let i = 0; i < m; i++) f[i * batch + j] = Math.exp(f[i * batch + j]! - lse);
    }
    return y === undefined ? Number.NaN : total / batch;
  },
  backward(yHat, y, dF, m, batch) {
    // [eq:softmax-cross-entropy-delta] linked from docs/notes/losses.md
    // dL/df^L = (ŷ − y) / B      [m x B]
    const n = m * batch;
    const s = 1 / batch;
    for (let i = 0; i < n; i++) dF[i] = (yHat[i]! - y[i]!) * s;
  },
};

/**
 * sigmoid + binary cross-entropy, fused, averaged over all m x B outputs.
 * Per output, L = −y log σ(f) − (1 − y) log(1 − σ(f)) = max(f, 0) − y f + log(1 + e^{−|f|}),
 * the form that never overflows.
 *
 * NOTE: dL/df = σ(f) − y per output (the σ' cancels against the log), divided by m B.
 */
const sigmoidBinaryCrossEntropy: Head = {
  output: 'sigmoid',
  loss: 'binary-cross-entropy',
  forward(f, y, m, batch) {
    const n = m * batch;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const fi = f[i]!;
      // [eq:binary-cross-entropy-loss] linked from docs/notes/losses.md
      if (y !== undefined) total += Math.max(fi, 0) - y[i]! * fi + Math.log1p(Math.exp(-Math.abs(fi)));
      f[i] = sigmoidValue(fi);
    }
    return y === undefined ? Number.NaN : total / n;
  },
  backward(yHat, y, dF, m, batch) {
    // [eq:binary-cross-entropy-delta] linked from docs/notes/losses.md
    // dL/df^L = (ŷ − y) / (m B)      [m x B]
    const n = m * batch;
    const s = 1 / n;
    for (let i = 0; i < n; i++) dF[i] = (yHat[i]! - y[i]!) * s;
  },
};

/** Mean squared error over all m x B outputs after an elementwise output activation. */
function meanSquaredError(activation: Activation): Head {
  return {
    output: activation.name,
    loss: 'mse',
    forward(f, y, m, batch) {
      const n = m * batch;
      activation.forward(f, n);
      if (y === undefined) return Number.NaN;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const d = f[i]! - y[i]!;
        total += d * d;
      }
      return total / n;
    },
    backward(yHat, y, dF, m, batch) {
      // [eq:mse-delta] linked from docs/notes/losses.md
      // dL/dŷ = 2 (ŷ − y) / (m B), then dL/df^L = dL/dŷ ⊙ σ'(f^L), σ' taken from ŷ
      const n = m * batch;
      const s = 2 / n;
      for (let i = 0; i < n; i++) dF[i] = (yHat[i]! - y[i]!) * s;
      activationBackward(activation, yHat, dF, dF, n);
    },
  };
}

/** Which outputs each loss accepts, for error messages. */
export const validOutputs: Record<LossName, string> = {
  'cross-entropy': "'softmax'",
  'binary-cross-entropy': "'sigmoid'",
  mse: "'linear' or any activation name",
};

/** The head for an (output, loss) pair, or undefined when the pair is not supported. */
export function getHead(output: string, loss: string): Head | undefined {
  if (loss === 'cross-entropy') return output === 'softmax' ? softmaxCrossEntropy : undefined;
  if (loss === 'binary-cross-entropy') return output === 'sigmoid' ? sigmoidBinaryCrossEntropy : undefined;
  if (loss === 'mse') {
    const act = getActivation(output);
    return act === undefined ? undefined : meanSquaredError(act);
  }
  return undefined;
}

/** The loss used by default with each output. */
export function defaultLoss(output: OutputName): LossName {
  if (output === 'softmax') return 'cross-entropy';
  if (output === 'sigmoid') return 'binary-cross-entropy';
  return 'mse';
}
