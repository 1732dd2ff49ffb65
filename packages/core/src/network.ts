import type { Activation, ActivationName } from './activations.js';
import { checkpointSchedule } from './checkpoint/schedule.js';
import { normalizeStrategy } from './checkpoint/strategy.js';
import type { CheckpointStep, CheckpointStrategy } from './checkpoint/types.js';
import { DataError, ShapeError } from './errors.js';
import { type InitName, initWeights } from './init.js';
import type { Head, LossName, OutputName } from './losses.js';
import { type DType, type FloatArray, allocFloat } from './matrix/alloc.js';
import { gemmRaw } from './matrix/gemm.js';
import { Matrix, type MatrixLike, assertFinite, toMatrix } from './matrix/matrix.js';
import { addColumnVector, sumRows } from './matrix/ops.js';
import { Random, hashUniform } from './random.js';
import { type ModelJSON, parseModelJSON, MODEL_FORMAT, MODEL_VERSION } from './serialize.js';
import { ActivationPool } from './workspace.js';
import { checkLabels, countCorrect } from './labels.js';
import { gatherColumns } from './matrix/gather.js';
import { resolveOptions } from './network-options.js';
import { checkFiniteIn, checkParameterList, checkRows, checkSample } from './validate.js';
import { brief } from './limits.js';

/** Options of `new MLP(...)`. */
export interface MLPOptions {
  /** Layer sizes n_0 (inputs), n_1, ..., n_L (outputs); at least two. */
  readonly layers: readonly number[];
  /** Hidden activation: one name for all hidden layers, or one per hidden layer. Default 'relu'. */
  readonly activation?: ActivationName | readonly ActivationName[];
  /** Output function. Default: 'sigmoid' for binary cross-entropy, 'linear' for mse, else 'softmax'. */
  readonly output?: OutputName;
  /** Loss. Default: the natural loss of `output` (softmax: cross-entropy, sigmoid: binary cross-entropy, others: mse); 'cross-entropy' when neither is given. */
  readonly loss?: LossName;
  /** Weight initialisation. Default 'auto' (He for relu-like layers, Xavier otherwise). */
  readonly init?: InitName;
  /** Element type. Default 'float32'; 'float64' for exact work. */
  readonly dtype?: DType;
  /** Seed of the initialisation. Default 1. */
  readonly seed?: number;
  /** Inverted-dropout rate of the hidden layers, one for all or one per hidden layer. Default 0. */
  readonly dropout?: number | readonly number[];
}

/** Options of `gradients`. */
export interface GradientOptions {
  /** How the backward pass trades compute for memory. Default 'none'. */
  readonly checkpoint?: CheckpointStrategy;
  /**
   * Seed of the dropout masks. Dropout is applied only when this is given (training); the same
   * seed gives the same masks, also for layers the checkpointing schedule recomputes.
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

/** The gradient of one layer: dL/dW^k (n_k x n_{k−1}) and dL/db^k (n_k). */
export interface LayerGradient {
  readonly weights: Matrix;
  readonly bias: FloatArray;
}

/** What `gradients` returns: the mean loss of the batch, one gradient per layer, and stats. */
export interface GradientResult {
  readonly loss: number;
  /** gradients[k − 1] belongs to layer k (the notes number layers from 1). */
  readonly gradients: LayerGradient[];
  readonly stats: GradientStats;
}

/** What `evaluate` returns. Accuracy is present for classification losses. */
export interface Evaluation {
  readonly loss: number;
  readonly accuracy?: number;
}

/** One layer's parameters, as returned by `getParameters` (copies). */
export interface LayerParameters {
  readonly weights: Matrix;
  readonly bias: FloatArray;
}

const PREDICT_CHUNK = 256;

/**
 * A multilayer perceptron. Layer k computes f^k = W^k g^{k−1} + b^k and g^k = σ(f^k), with
 * W^k ∈ R^{n_k x n_{k−1}} and samples as columns of g, as in the notes. The public API takes
 * samples as rows and converts at its edge, once per batch.
 */
export class MLP {
  /** Layer sizes n_0 ... n_L. */
  readonly sizes: readonly number[];
  readonly dtype: DType;
  /** Hidden activation names, one per hidden layer (layers 1 ... L−1). */
  readonly activations: readonly ActivationName[];
  readonly output: OutputName;
  readonly loss: LossName;
  /** Dropout rates of the hidden layers (layers 1 ... L−1). */
  readonly dropout: readonly number[];
  readonly init: InitName;
  readonly seed: number;

  readonly #weights: FloatArray[] = [];
  readonly #biases: FloatArray[] = [];
  readonly #gradWeights: FloatArray[] = [];
  readonly #gradBiases: FloatArray[] = [];
  readonly #hidden: Activation[];
  readonly #head: Head;
  readonly #pool: ActivationPool;
  /** The backward workspace: dL/dg ping-pong pair and the transposed targets, sized for the largest batch so far. */
  #batchBuffers: { batch: number; dA: FloatArray; dB: FloatArray; y: FloatArray } | undefined;
  readonly #schedules = new Map<string, CheckpointStep[]>();
  /** g^0 ... g^L during a gradient computation: the live activation buffers by layer. */
  readonly #live: (FloatArray | undefined)[] = [];
  #forwardCount = 0;

  constructor(options: MLPOptions) {
    const o = resolveOptions(options);
    this.sizes = o.sizes;
    this.dtype = o.dtype;
    this.#hidden = o.hidden;
    this.activations = o.hidden.map((a) => a.name);
    this.#head = o.head;
    this.output = o.head.output;
    this.loss = o.head.loss;
    this.dropout = o.dropout;
    this.init = o.init;
    this.seed = o.seed;
    const L = this.sizes.length - 1;

    const rng = new Random(this.seed);
    for (let k = 1; k <= L; k++) {
      const nIn = this.sizes[k - 1]!;
      const nOut = this.sizes[k]!;
      const w = allocFloat(this.dtype, nOut * nIn);
      initWeights(w, nIn, nOut, this.init, k < L ? this.activations[k - 1]! : this.output, rng);
      this.#weights.push(w);
      this.#biases.push(allocFloat(this.dtype, nOut));
      this.#gradWeights.push(allocFloat(this.dtype, nOut * nIn));
      this.#gradBiases.push(allocFloat(this.dtype, nOut));
    }
    this.#pool = new ActivationPool(this.dtype);
  }

  /** Number of layers L (weight matrices). */
  get depth(): number {
    return this.sizes.length - 1;
  }

  /** Input width n_0. */
  get inputSize(): number {
    return this.sizes[0]!;
  }

  /** Output width n_L. */
  get outputSize(): number {
    return this.sizes[this.sizes.length - 1]!;
  }

  /** Total number of parameters (weights and biases). */
  get parameterCount(): number {
    let n = 0;
    for (let k = 1; k <= this.depth; k++) n += this.sizes[k]! * (this.sizes[k - 1]! + 1);
    return n;
  }

  /** Copies of every layer's parameters; gradients[k − 1] style indexing (layer k at k − 1). */
  getParameters(): LayerParameters[] {
    return this.#weights.map((w, i) => ({
      weights: new Matrix(this.sizes[i + 1]!, this.sizes[i]!, w.slice()),
      bias: this.#biases[i]!.slice(),
    }));
  }

  /** Replace every layer's parameters, after checking every shape and value (all or nothing). */
  setParameters(params: readonly { weights: MatrixLike; bias: ArrayLike<number> }[]): void {
    const L = this.depth;
    checkParameterList(params, L);
    if (!Array.isArray(params) || params.length !== L) {
      throw new ShapeError(`MLP.setParameters: expected ${L} layers, got ${Array.isArray(params) ? params.length : brief(params)}`);
    }
    const ws: Matrix[] = [];
    const bs: FloatArray[] = [];
    for (let k = 1; k <= L; k++) {
      const p = params[k - 1]!;
      const w = toMatrix(p.weights, this.dtype, `MLP.setParameters: layer ${k} weights`);
      if (w.rows !== this.sizes[k] || w.cols !== this.sizes[k - 1]) {
        throw new ShapeError(`MLP.setParameters: layer ${k} weights are ${w.rows}x${w.cols}, expected ${this.sizes[k]}x${this.sizes[k - 1]}`);
      }
      if (p.bias === undefined || p.bias.length !== this.sizes[k]) {
        throw new ShapeError(`MLP.setParameters: layer ${k} bias has ${p.bias?.length} entries, expected ${this.sizes[k]}`);
      }
      const b = allocFloat(this.dtype, this.sizes[k]!);
      for (let i = 0; i < b.length; i++) {
        const v = p.bias[i]!;
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new DataError(`MLP.setParameters: layer ${k} bias[${i}] is ${brief(v)}`);
        b[i] = v;
        checkFiniteIn(this.dtype, b[i]!, v, `MLP.setParameters: layer ${k} bias[${i}]`);
      }
      ws.push(w);
      bs.push(b);
    }
    for (let k = 0; k < L; k++) {
      this.#weights[k]!.set(ws[k]!.data);
      this.#biases[k]!.set(bs[k]!);
    }
  }

  /**
   * The live parameter and gradient buffers, in the order W^1, b^1, W^2, b^2, ...
   * For optimisers and the training loop: the engine overwrites the gradients on every call to
   * `gradients`, and writing the parameters changes the network.
   * @internal
   */
  _buffers(): { params: FloatArray[]; grads: FloatArray[] } {
    const params: FloatArray[] = [];
    const grads: FloatArray[] = [];
    for (let k = 0; k < this.depth; k++) {
      params.push(this.#weights[k]!, this.#biases[k]!);
      grads.push(this.#gradWeights[k]!, this.#gradBiases[k]!);
    }
    return { params, grads };
  }

  // ---------------------------------------------------------------------------------------------
  // Input checks

  /** Convert and check x (samples as rows) against n_0. @internal */
  _checkX(x: MatrixLike, caller: string, checkFinite = true): Matrix {
    checkRows(x, `${caller}: x`);
    const m = toMatrix(x, this.dtype, `${caller}: x`, checkFinite);
    if (m.rows === 0) throw new DataError(`${caller}: x is an empty batch (0 samples)`);
    if (m.cols !== this.inputSize) {
      throw new ShapeError(`${caller}: x has ${m.cols} columns, but the network takes ${this.inputSize} inputs`);
    }
    return m;
  }

  /** Convert and check y against n_L, the batch size and the loss's label rules. @internal */
  _checkY(y: MatrixLike, rows: number, caller: string): Matrix {
    checkRows(y, `${caller}: y`);
    const m = toMatrix(y, this.dtype, `${caller}: y`);
    if (m.cols !== this.outputSize) {
      throw new ShapeError(`${caller}: y has ${m.cols} columns, but the network has ${this.outputSize} outputs`);
    }
    if (m.rows !== rows) throw new ShapeError(`${caller}: x has ${rows} samples but y has ${m.rows}`);
    checkLabels(m, this.loss, caller);
    return m;
  }

  // ---------------------------------------------------------------------------------------------
  // Forward

  /**
   * Layer k forward: out = σ(W^k g^{k−1} + b^k) for a batch of B columns, with inverted dropout
   * on hidden layers when a seed is given. For the output layer, out holds the logits f^L.
   */
  #forwardLayer(k: number, gPrev: FloatArray, out: FloatArray, batch: number, dropoutSeed: number | undefined): void {
    const nIn = this.sizes[k - 1]!;
    const nOut = this.sizes[k]!;
    this.#forwardCount++;
    // f^k = W^k g^{k−1}      [n_k x B] = [n_k x n_{k−1}][n_{k−1} x B]
    gemmRaw(false, false, nOut, batch, nIn, 1, this.#weights[k - 1]!, nIn, gPrev, batch, 0, out, batch);
    const n = nOut * batch;
    if (k < this.depth && this.#hidden[k - 1]!.name === 'relu') {
      // g^k = relu(f^k + b^k 1ᵀ), bias and activation fused in one pass over [n_k x B]
      // (the same operations in the same order as the unfused path: bit-identical).
      const bias = this.#biases[k - 1]!;
      for (let i = 0; i < nOut; i++) {
        const bi = bias[i]!;
        const end = (i + 1) * batch;
        for (let j = i * batch; j < end; j++) {
          const v = out[j]! + bi;
          // biome-ignore lint/complexity/useMathMinMax: Math.max keeps NaN and −0; relu maps both to +0, as the unfused path does
          out[j] = v > 0 ? v : 0;
        }
      }
    } else {
      // f^k += b^k 1ᵀ          [n_k x B] += [n_k x 1][1 x B]
      addColumnVector(out, nOut, batch, this.#biases[k - 1]!);
      if (k === this.depth) return;
      // g^k = σ(f^k)
      this.#hidden[k - 1]!.forward(out, n);
    }
    const p = this.dropout[k - 1]!;
    if (p > 0 && dropoutSeed !== undefined) {
      // g^k ← g^k ⊙ m^k / (1 − p), m^k_i = [u(seed, k, i) >= p]
      const scale = 1 / (1 - p);
      for (let i = 0; i < n; i++) out[i] = hashUniform(dropoutSeed, k, i) >= p ? out[i]! * scale : 0;
    }
  }

  /** Copy rows `rows[from..from+batch)` of X (samples as rows) into g^0 as columns. */
  /**
   * Run the network over x (checked, samples as rows) in chunks of PREDICT_CHUNK samples,
   * without keeping activations, and hand each chunk's logits f^L (n_L x B, columns) to `visit`.
   * The finiteness of x is checked while each chunk is gathered, not in a pass of its own.
   */
  #forEachChunk(x: Matrix, caller: string, visit: (logits: FloatArray, from: number, batch: number) => void): void {
    const pool = this.#pool;
    for (let from = 0; from < x.rows; from += PREDICT_CHUNK) {
      const batch = Math.min(PREDICT_CHUNK, x.rows - from);
      const g0 = pool.acquire(this.inputSize * batch);
      if (gatherColumns(x, undefined, from, batch, g0) !== 0) {
        try {
          assertFinite(x, `${caller}: x`);
        } catch (e) {
          pool.release(g0);
          throw e;
        }
      }
      let cur = g0;
      for (let k = 1; k <= this.depth; k++) {
        const out = pool.acquire(this.sizes[k]! * batch);
        this.#forwardLayer(k, cur, out, batch, undefined);
        pool.release(cur);
        cur = out;
      }
      visit(cur, from, batch);
      pool.release(cur);
    }
    pool.resetPeak();
  }

  /**
   * The network's outputs ŷ for x (samples as rows): class probabilities for softmax, values for
   * linear outputs. Returns nested arrays for nested-array input and a Matrix for Matrix input.
   */
  predict(x: readonly (readonly number[])[]): number[][];
  predict(x: Matrix): Matrix;
  predict(x: MatrixLike): number[][] | Matrix {
    const xm = this._checkX(x, 'MLP.predict', false);
    const m = this.outputSize;
    const result = new Matrix(xm.rows, m, this.dtype);
    this.#forEachChunk(xm, 'MLP.predict', (out, from, batch) => {
      this.#head.forward(out, undefined, m, batch);
      for (let j = 0; j < batch; j++) for (let i = 0; i < m; i++) result.data[(from + j) * m + i] = out[i * batch + j]!;
    });
    return x instanceof Matrix ? result : result.toArray();
  }

  /**
   * Every layer's activation g^0 ... g^L for one sample, as plain arrays: what a network
   * diagram shades its nodes by. g^L is the network's output ŷ.
   */
  activationsOf(sample: ArrayLike<number>): number[][] {
    checkSample(sample, 'MLP.activationsOf');
    const xm = this._checkX([Array.from(sample)], 'MLP.activationsOf');
    const result: number[][] = [Array.from(xm.data)];
    let cur: FloatArray = xm.data;
    for (let k = 1; k <= this.depth; k++) {
      const out = allocFloat(this.dtype, this.sizes[k]!);
      this.#forwardLayer(k, cur, out, 1, undefined);
      if (k === this.depth) this.#head.forward(out, undefined, this.outputSize, 1);
      result.push(Array.from(out));
      cur = out;
    }
    return result;
  }

  /** Mean loss over (x, y), and accuracy for classification losses. */
  evaluate(x: MatrixLike, y: MatrixLike): Evaluation {
    const xm = this._checkX(x, 'MLP.evaluate', false);
    const ym = this._checkY(y, xm.rows, 'MLP.evaluate');
    const m = this.outputSize;
    let total = 0;
    let correct = 0;
    const yT = this.#pool.acquire(m * Math.min(PREDICT_CHUNK, xm.rows));
    try {
      this.#forEachChunk(xm, 'MLP.evaluate', (out, from, batch) => {
        gatherColumns(ym, undefined, from, batch, yT);
        total += this.#head.forward(out, yT, m, batch) * batch;
        correct += countCorrect(this.loss, out, yT, m, batch);
      });
    } finally {
      this.#pool.release(yT);
    }
    const loss = total / xm.rows;
    if (this.loss === 'mse') return { loss };
    const outputs = this.loss === 'binary-cross-entropy' ? xm.rows * m : xm.rows;
    return { loss, accuracy: correct / outputs };
  }

  // ---------------------------------------------------------------------------------------------
  // Backward

  /** The schedule for a strategy, validated and built once per network and strategy. @internal */
  _scheduleFor(strategy: CheckpointStrategy | undefined, caller: string): CheckpointStep[] {
    const s = normalizeStrategy(this.depth, strategy, caller);
    const key = s.kind === 'none' ? 'none' : s.kind === 'every' ? `every:${s.k}` : `budget:${s.s}`;
    let steps = this.#schedules.get(key);
    if (steps === undefined) {
      steps = checkpointSchedule(this.depth, s.kind === 'none' ? 'none' : s.kind === 'every' ? { every: s.k } : { budget: s.s });
      this.#schedules.set(key, steps);
    }
    return steps;
  }

  #batchBuffersFor(batch: number): { dA: FloatArray; dB: FloatArray; y: FloatArray } {
    // The kernels take the batch size as a dimension, so buffers sized for a larger batch serve
    // smaller ones (the last, partial batch of an epoch) without a second set.
    let b = this.#batchBuffers;
    if (b === undefined || b.batch < batch) {
      const widest = Math.max(...this.sizes);
      b = {
        batch,
        dA: allocFloat(this.dtype, widest * batch),
        dB: allocFloat(this.dtype, widest * batch),
        y: allocFloat(this.dtype, this.outputSize * batch),
      };
      this.#batchBuffers = b;
    }
    return b;
  }

  /**
   * Allocate the backward workspace for batches of up to `batch` samples now rather than on the
   * first gradient computation (benchmarks use it to measure a baseline). @internal
   */
  _reserveBatch(batch: number): void {
    this.#batchBuffersFor(batch);
  }

  /** The activation pool's counters: bytes ever allocated (live and free) and live now. @internal */
  _poolStats(): { allocatedBytes: number; liveBytes: number; liveCount: number } {
    return { allocatedBytes: this.#pool.allocatedBytes, liveBytes: this.#pool.liveBytes, liveCount: this.#pool.liveCount };
  }

  /**
   * dL/dW^k and dL/db^k of every layer for the batch (x, y), samples as rows. The gradients
   * are copies; `stats` reports the exact activation memory and forward count of the schedule
   * chosen by `options.checkpoint`.
   */
  gradients(x: MatrixLike, y: MatrixLike, options: GradientOptions = {}): GradientResult {
    const steps = this._scheduleFor(options.checkpoint, 'MLP.gradients');
    const xm = this._checkX(x, 'MLP.gradients');
    const ym = this._checkY(y, xm.rows, 'MLP.gradients');
    const { loss, stats } = this._computeGradients(xm, ym, undefined, 0, xm.rows, steps, options.dropoutSeed);
    const gradients = this.#gradWeights.map((gw, i) => ({
      weights: new Matrix(this.sizes[i + 1]!, this.sizes[i]!, gw.slice()),
      bias: this.#gradBiases[i]!.slice(),
    }));
    return { loss, gradients, stats };
  }

  /**
   * The engine's gradient computation on rows order[from .. from + batch) of checked x and y
   * (all rows in order when `order` is undefined). Leaves the gradients in the internal buffers
   * (see `_buffers`). Runs the schedule step by step on pooled buffers: no allocation once the
   * pool has warmed up. @internal
   */
  _computeGradients(
    x: Matrix,
    y: Matrix,
    order: ArrayLike<number> | undefined,
    from: number,
    batch: number,
    steps: readonly CheckpointStep[],
    dropoutSeed: number | undefined,
  ): { loss: number; correct: number; stats: GradientStats } {
    const L = this.depth;
    const pool = this.#pool;
    const buffers = this.#batchBuffersFor(batch);
    const yT = buffers.y;
    const m = this.outputSize;
    gatherColumns(y, order, from, batch, yT);
    pool.resetPeak();
    this.#forwardCount = 0;
    const g = this.#live;
    g[0] = pool.acquire(this.inputSize * batch);
    gatherColumns(x, order, from, batch, g[0]);
    let loss = Number.NaN;
    let correct = 0;
    // dG holds dL/dg^k and, after the activation's backward, dL/df^k; dNext receives dL/dg^{k−1}.
    let dG = buffers.dA;
    let dNext = buffers.dB;
    for (let s = 0; s < steps.length; s++) {
      const step = steps[s]!;
      const k = step.layer;
      if (step.op === 'forward') {
        const out = pool.acquire(this.sizes[k]! * batch);
        this.#forwardLayer(k, g[k - 1]!, out, batch, dropoutSeed);
        if (k === L) {
          // ŷ = output(f^L) in place; the loss is taken from the logits.
          loss = this.#head.forward(out, yT, m, batch);
          correct = countCorrect(this.loss, out, yT, m, batch);
        }
        g[k] = out;
      } else if (step.op === 'free') {
        pool.release(g[k]!);
        g[k] = undefined;
      } else if (step.op === 'backward') {
        this.#backwardLayer(k, g[k]!, g[k - 1]!, dG, dNext, yT, batch, dropoutSeed);
        const t = dG;
        dG = dNext;
        dNext = t;
      }
    }
    const stats: GradientStats = {
      forwardEvaluations: this.#forwardCount,
      recomputations: this.#forwardCount - L,
      peakActivations: pool.peakCount,
      peakActivationBytes: pool.peakBytes,
    };
    return { loss, correct, stats };
  }

  /**
   * Layer k backward. On entry dG holds dL/dg^k (unused for the output layer, whose loss is
   * fused); on exit the gradient buffers hold dL/dW^k, dL/db^k and dNext holds dL/dg^{k−1}.
   */
  #backwardLayer(
    k: number,
    gK: FloatArray,
    gPrev: FloatArray,
    dG: FloatArray,
    dNext: FloatArray,
    yT: FloatArray,
    batch: number,
    dropoutSeed: number | undefined,
  ): void {
    const nIn = this.sizes[k - 1]!;
    const nOut = this.sizes[k]!;
    const n = nOut * batch;
    const dF = dG;
    if (k === this.depth) {
      // dL/df^L from ŷ and y, fused with the loss (see losses.ts)      [n_L x B]
      this.#head.backward(gK, yT, dF, nOut, batch);
    } else {
      const act = this.#hidden[k - 1]!;
      const p = this.dropout[k - 1]!;
      if (p > 0 && dropoutSeed !== undefined) {
        // dL/df^k = dL/dg^k ⊙ m^k/(1 − p) ⊙ σ'(f^k), σ' from the pre-dropout g^k = g^k (1 − p)
        const scale = 1 / (1 - p);
        for (let i = 0; i < n; i++) {
          dF[i] = hashUniform(dropoutSeed, k, i) >= p ? dG[i]! * scale * act.derivativeFromOutput(gK[i]! * (1 - p)) : 0;
        }
      } else {
        // dL/df^k = dL/dg^k ⊙ σ'(f^k), σ' computed from g^k      [n_k x B]
        act.backward(gK, dG, dF, n);
      }
    }
    // dL/dW^k = dL/df^k (g^{k−1})ᵀ      [n_k x n_{k−1}] = [n_k x B][B x n_{k−1}]
    gemmRaw(false, true, nOut, nIn, batch, 1, dF, batch, gPrev, batch, 0, this.#gradWeights[k - 1]!, nIn);
    // dL/db^k = dL/df^k 1              [n_k x 1] = [n_k x B][B x 1]
    sumRows(dF, nOut, batch, this.#gradBiases[k - 1]!);
    if (k > 1) {
      // dL/dg^{k−1} = (W^k)ᵀ dL/df^k    [n_{k−1} x B] = [n_{k−1} x n_k][n_k x B]
      gemmRaw(true, false, nIn, batch, nOut, 1, this.#weights[k - 1]!, nIn, dF, batch, 0, dNext, batch);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Serialisation

  /** The model as plain, versioned JSON data; also the snapshot the views draw. */
  toJSON(): ModelJSON {
    return {
      format: MODEL_FORMAT,
      version: MODEL_VERSION,
      dtype: this.dtype,
      sizes: [...this.sizes],
      loss: this.loss,
      init: this.init,
      seed: this.seed,
      layers: this.#weights.map((w, i) => {
        const rows = this.sizes[i + 1]!;
        const cols = this.sizes[i]!;
        const weights: number[][] = new Array(rows);
        for (let r = 0; r < rows; r++) weights[r] = Array.from(w.subarray(r * cols, (r + 1) * cols));
        return {
          activation: i + 1 < this.depth ? this.activations[i]! : this.output,
          dropout: i + 1 < this.depth ? this.dropout[i]! : 0,
          weights,
          bias: Array.from(this.#biases[i]!),
        };
      }),
    };
  }

  /** Load a model from `toJSON` output (an object or its JSON text), validating everything. */
  static fromJSON(json: unknown): MLP {
    const model = parseModelJSON(json);
    const L = model.layers.length;
    const net = new MLP({
      layers: model.sizes,
      activation: model.layers.slice(0, L - 1).map((l) => l.activation as ActivationName),
      output: model.layers[L - 1]!.activation as OutputName,
      loss: model.loss,
      dtype: model.dtype,
      init: model.init,
      seed: model.seed,
      dropout: model.layers.slice(0, L - 1).map((l) => l.dropout),
    });
    net.setParameters(model.layers.map((l) => ({ weights: l.weights, bias: l.bias })));
    return net;
  }

  /** A deep copy of the network (parameters and configuration). */
  clone(): MLP {
    return MLP.fromJSON(this.toJSON());
  }
}
