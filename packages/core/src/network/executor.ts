import { activationBackward } from '../activations.js';
import type { CheckpointStep } from '../checkpoint/types.js';
import { countCorrect } from '../labels.js';
import type { Head, LossName } from '../losses.js';
import type { FloatArray } from '../matrix/alloc.js';
import type { Layer, PassMode } from './layer.js';
import type { ActivationPool } from './workspace.js';

/** What a backward pass works on: the layers, the loss head and the pooled buffers. @internal */
export interface PassContext {
  /** layers[k − 1] is layer k. */
  readonly layers: readonly Layer[];
  readonly head: Head;
  readonly loss: LossName;
  readonly pool: ActivationPool;
  /**
   * g^0 ... g^L: the live activation buffers by layer. live[0] holds the input batch on entry,
   * as rows (B x n_0, that is (g^0)ᵀ, as X stores it): layer 1 reads it with op(B) = Bᵀ.
   */
  readonly live: (FloatArray | undefined)[];
  /** The targets y as columns, n_L x B. */
  readonly y: FloatArray;
  readonly batch: number;
  readonly mode: PassMode;
  /** The two dL/dg buffers the backward pass passes between layers, each n_max x B. */
  readonly deltas: readonly [FloatArray, FloatArray];
  /** Called after each forward of layer 1 (the engine then starts gathering the next batch). */
  readonly afterLayer1?: (() => void) | undefined;
}

/** The mean loss of the batch, the correct predictions, and the layer forwards evaluated. */
export interface PassResult {
  readonly loss: number;
  readonly correct: number;
  readonly forwards: number;
}

/** Compute g^k from g^{k−1} into a pooled buffer; for k = L also ŷ, the loss and the correct count. */
function forwardStep(c: PassContext, k: number, out: { loss: number; correct: number }): void {
  const layer = c.layers[k - 1]!;
  const g = c.pool.acquire(layer.nOut * c.batch);
  layer.forward(c.live[k - 1]!, g, c.batch, c.mode, k === 1);
  if (k === 1) c.afterLayer1?.();
  if (k === c.layers.length) {
    // ŷ = output(f^L) in place; the loss is taken from the logits.
    out.loss = c.head.forward(g, c.y, layer.nOut, c.batch);
    out.correct = countCorrect(c.loss, g, c.y, layer.nOut, c.batch);
  }
  c.live[k] = g;
}

/**
 * Layer k backward, the four lines of the notes. `delta` holds dL/dg^k on entry (nothing for
 * the output layer, whose loss is fused) and dL/df^k once σ' has been applied in place;
 * `dPrev` receives dL/dg^{k−1}.
 */
function backwardStep(c: PassContext, k: number, delta: FloatArray, dPrev: FloatArray): void {
  const layer = c.layers[k - 1]!;
  const gK = c.live[k]!;
  const gPrev = c.live[k - 1]!;
  const n = layer.nOut * c.batch;
  // [eq:delta] linked from docs/notes/backward.md
  if (layer.activation === undefined) {
    // dL/df^L from ŷ and y, fused with the loss (see losses.ts)      [n_L x B]
    c.head.backward(gK, c.y, delta, layer.nOut, c.batch);
  } else {
    // dL/df^k = dL/dg^k ⊙ σ'(f^k), σ' from g^k (and the dropout mask when training)      [n_k x B]
    activationBackward(layer.activation, gK, delta, delta, n, layer.mask(c.mode));
  }
  const dF = delta;
  layer.weightGradient(dF, gPrev, c.batch, k === 1); // dL/dW^k = dL/df^k (g^{k−1})ᵀ
  layer.biasGradient(dF, c.batch); //          dL/db^k = dL/df^k 1
  if (k > 1) layer.inputGradient(dF, dPrev, c.batch); // dL/dg^{k−1} = (W^k)ᵀ dL/df^k
}

function release(c: PassContext, k: number): void {
  c.pool.release(c.live[k]!);
  c.live[k] = undefined;
}

/**
 * The interpreter of record of checkpoint schedules: runs the steps in order on pooled buffers.
 * The schedule must be valid (see `simulateSchedule`); the engine validates it once, when it is
 * built, and this loop then trusts it.
 * @internal
 */
export function runSchedule(c: PassContext, steps: readonly CheckpointStep[]): PassResult {
  const out = { loss: Number.NaN, correct: 0 };
  let forwards = 0;
  let [delta, dPrev] = c.deltas;
  let swap: FloatArray;
  for (let s = 0; s < steps.length; s++) {
    const step = steps[s]!;
    switch (step.op) {
      case 'forward':
        forwardStep(c, step.layer, out);
        forwards++;
        break;
      case 'store':
        // A label: the buffer is live already and stays so until its 'free'.
        break;
      case 'free':
        release(c, step.layer);
        break;
      case 'backward':
        backwardStep(c, step.layer, delta, dPrev);
        swap = delta;
        delta = dPrev;
        dPrev = swap;
        break;
      default: {
        const unknown: never = step;
        throw new Error(`runSchedule: unknown step ${JSON.stringify(unknown)}`);
      }
    }
  }
  return { ...out, forwards };
}

/**
 * Plain backpropagation with every activation stored, written as the notes write it: forward
 * for k = 1 .. L, then backward for k = L .. 1. The reference the schedule executor is held
 * bit-identical to (the 'none' schedule performs these very steps).
 * @internal
 */
export function referenceBackprop(c: PassContext): PassResult {
  // [eq:backprop] linked from docs/notes/backward.md
  const L = c.layers.length;
  const out = { loss: Number.NaN, correct: 0 };
  for (let k = 1; k <= L; k++) forwardStep(c, k, out);
  let [delta, dPrev] = c.deltas;
  for (let k = L; k >= 1; k--) {
    backwardStep(c, k, delta, dPrev);
    release(c, k);
    const swap = delta;
    delta = dPrev;
    dPrev = swap;
  }
  release(c, 0);
  return { ...out, forwards: L };
}
