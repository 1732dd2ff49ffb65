import { type Activation, type DropoutMask, biasActivationForward, dropoutForward } from '../activations.js';
import { type DType, type FloatArray, allocEngine } from '../matrix/alloc.js';
import { gemmRaw } from '../matrix/gemm.js';
import { addColumnVector, sumRows } from '../matrix/ops.js';

/** Whether a pass trains (dropout on, masks from the seed) or infers. @internal */
export interface PassMode {
  readonly training: boolean;
  readonly dropoutSeed: number;
}

/** Inference: no dropout. @internal */
export const INFERENCE: PassMode = { training: false, dropoutSeed: 0 };

/**
 * Layer k of the network, f^k = W^k g^{k−1} + b^k and g^k = σ(f^k), with its parameters, its
 * gradient buffers and the three products of its backward pass, each named after what it
 * computes. Activations are [n x B] with samples as columns, row-major.
 * @internal
 */
export class Layer {
  /** The layer's number k, 1 ... L as in the notes. */
  readonly k: number;
  /** n_{k−1}. */
  readonly nIn: number;
  /** n_k. */
  readonly nOut: number;
  /** W^k, n_k x n_{k−1}. */
  readonly weights: FloatArray;
  /** b^k, n_k. */
  readonly bias: FloatArray;
  /** dL/dW^k, written by `weightGradient`. */
  readonly gradWeights: FloatArray;
  /** dL/db^k, written by `biasGradient`. */
  readonly gradBias: FloatArray;
  /** σ of a hidden layer; undefined for the output layer L, whose function is fused with the loss. */
  readonly activation: Activation | undefined;
  /** Dropout rate p of a hidden layer (0 for none and for the output layer). */
  readonly dropout: number;
  readonly #mask: { seed: number; readonly layer: number; readonly rate: number };

  constructor(k: number, nIn: number, nOut: number, dtype: DType, activation: Activation | undefined, dropout: number) {
    this.k = k;
    this.nIn = nIn;
    this.nOut = nOut;
    this.weights = allocEngine(dtype, nOut * nIn);
    this.bias = allocEngine(dtype, nOut);
    this.gradWeights = allocEngine(dtype, nOut * nIn);
    this.gradBias = allocEngine(dtype, nOut);
    this.activation = activation;
    this.dropout = dropout;
    this.#mask = { seed: 0, layer: k, rate: dropout };
  }

  /** The dropout mask of this layer in a pass: present only when training with dropout. */
  mask(mode: PassMode): DropoutMask | undefined {
    if (!mode.training || this.dropout === 0) return undefined;
    this.#mask.seed = mode.dropoutSeed;
    return this.#mask;
  }

  /**
   * The forward of a batch of B columns: out = g^k, with inverted dropout when training; for the
   * output layer out = f^L, the logits, which the loss head turns into ŷ. `rows`: gPrev holds
   * (g^{k−1})ᵀ, B x n_{k−1}, samples as rows (the input batch as X stores it, for k = 1).
   */
  forward(gPrev: FloatArray, out: FloatArray, batch: number, mode: PassMode, rows = false): void {
    // [eq:forward] linked from docs/notes/forward.md
    const { nIn, nOut } = this;
    // f^k = W^k g^{k−1}      [n_k x B] = [n_k x n_{k−1}][n_{k−1} x B]; with rows, W^k (Xᵀ)
    gemmRaw(false, rows, nOut, batch, nIn, 1, this.weights, nIn, gPrev, rows ? nIn : batch, 0, out, batch);
    if (this.activation === undefined) {
      // f^L += b^L 1ᵀ        [n_L x B] += [n_L x 1][1 x B]
      addColumnVector(out, nOut, batch, this.bias);
      return;
    }
    // g^k = σ(f^k + b^k 1ᵀ)  [n_k x B]
    biasActivationForward(this.activation, out, nOut, batch, this.bias);
    const mask = this.mask(mode);
    // g^k ← g^k ⊙ m^k / (1 − p)
    if (mask !== undefined) dropoutForward(out, nOut * batch, mask);
  }

  /**
   * dL/dW^k = dL/df^k (g^{k−1})ᵀ      [n_k x n_{k−1}] = [n_k x B][B x n_{k−1}]
   * `rows`: gPrev holds (g^{k−1})ᵀ as rows (see `forward`), which is the right factor as stored.
   */
  weightGradient(dF: FloatArray, gPrev: FloatArray, batch: number, rows = false): void {
    // [eq:weight-gradient] linked from docs/notes/backward.md
    gemmRaw(false, !rows, this.nOut, this.nIn, batch, 1, dF, batch, gPrev, rows ? this.nIn : batch, 0, this.gradWeights, this.nIn);
  }

  /** dL/db^k = dL/df^k 1              [n_k x 1] = [n_k x B][B x 1] */
  biasGradient(dF: FloatArray, batch: number): void {
    // [eq:bias-gradient] linked from docs/notes/backward.md
    sumRows(dF, this.nOut, batch, this.gradBias);
  }

  /** dL/dg^{k−1} = (W^k)ᵀ dL/df^k    [n_{k−1} x B] = [n_{k−1} x n_k][n_k x B], into dPrev */
  inputGradient(dF: FloatArray, dPrev: FloatArray, batch: number): void {
    // [eq:input-gradient] linked from docs/notes/backward.md
    gemmRaw(true, false, this.nIn, batch, this.nOut, 1, this.weights, this.nIn, dF, batch, 0, dPrev, batch);
  }
}
