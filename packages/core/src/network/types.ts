import type { CheckpointStrategy } from '../checkpoint/types.js';
import type { FloatArray } from '../matrix/alloc.js';
import type { Matrix } from '../matrix/matrix.js';

/** Options of `gradients`. */
export interface GradientOptions {
  /** How the backward pass trades compute for memory. Default 'none'. */
  readonly checkpoint?: CheckpointStrategy;
  /**
   * Compute the gradient as a training step does: with the dropout masks of the hidden layers.
   * Default false (dropout off, as in `predict` and `evaluate`).
   */
  readonly training?: boolean;
  /**
   * Seed of the dropout masks when `training` is true; the same seed gives the same masks, also
   * for layers the checkpointing schedule recomputes. Default: the network's seed.
   */
  readonly dropoutSeed?: number;
}

/** Exact counts of one gradient computation. */
export interface GradientStats {
  /** Layer forward evaluations, the first sweep included (plain backprop: L). */
  readonly forwardEvaluations: number;
  /** forwardEvaluations − L. */
  readonly recomputations: number;
  /** Most activation buffers live at once, g^0 (the engine's copy of the input) included. */
  readonly peakActivations: number;
  /** Bytes of live activation buffers at their peak, measured on the engine's own buffers. */
  readonly peakActivationBytes: number;
}

/**
 * The two arrays of one layer k: W^k (n_k x n_{k−1}) and b^k (n_k), or their gradients dL/dW^k
 * and dL/db^k, which have the same shapes.
 */
export interface LayerParameters {
  readonly weights: Matrix;
  readonly bias: FloatArray;
}

/** What `gradients` returns: the mean loss of the batch, one gradient per layer, and stats. */
export interface GradientResult {
  readonly loss: number;
  /** layers[k − 1] holds dL/dW^k and dL/db^k (the notes number layers from 1), shaped as `getParameters()`. */
  readonly layers: LayerParameters[];
  readonly stats: GradientStats;
}

/** What `evaluate` returns. Accuracy is present for classification losses. */
export interface Evaluation {
  readonly loss: number;
  readonly accuracy?: number;
}
