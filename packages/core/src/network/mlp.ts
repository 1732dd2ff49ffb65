import type { ActivationName } from '../activations.js';
import { brief } from '../base/limits.js';
import { checkFiniteIn, checkParameterList, checkSample } from '../validate.js';
import { DataError, ShapeError } from '../base/errors.js';
import type { InitName } from '../init.js';
import { countCorrect } from '../labels.js';
import type { LossName, OutputName } from '../losses.js';
import { type DType, type FloatArray, allocFloat } from '../matrix/alloc.js';
import { gatherColumns } from '../matrix/gather.js';
import type { KernelVariant } from '../matrix/gemm.js';
import { Matrix, type MatrixLike, toMatrix } from '../matrix/matrix.js';
import { MODEL_FORMAT, MODEL_VERSION, type ModelJSON, parseModelJSON } from '../serialize.js';
import { Engine, PREDICT_CHUNK } from './engine.js';
import { INFERENCE } from './layer.js';
import { type MLPOptions, resolveOptions } from './options.js';
import type { Evaluation, GradientOptions, GradientResult, LayerParameters } from './types.js';

/**
 * A multilayer perceptron. Layer k computes f^k = W^k g^{k−1} + b^k and g^k = σ(f^k), with
 * W^k ∈ R^{n_k x n_{k−1}} and samples as columns of g, as in the notes. The public API takes
 * samples as rows and converts at its edge, once per batch.
 */
export class MLP {
  /** Layer sizes n_0 ... n_L. */
  readonly sizes: readonly number[];
  readonly dtype: DType;
  /** The hidden layers' activation names, one per hidden layer (layers 1 ... L−1), as the option `activation`. */
  readonly activation: readonly ActivationName[];
  readonly output: OutputName;
  readonly loss: LossName;
  /** Dropout rates of the hidden layers (layers 1 ... L−1). */
  readonly dropout: readonly number[];
  readonly init: InitName;
  readonly seed: number;
  readonly #engine: Engine;

  constructor(options: MLPOptions) {
    const o = resolveOptions(options);
    this.sizes = o.sizes;
    this.dtype = o.dtype;
    this.activation = o.hidden.map((a) => a.name);
    this.output = o.head.output;
    this.loss = o.head.loss;
    this.dropout = o.dropout;
    this.init = o.init;
    this.seed = o.seed;
    this.#engine = new Engine(o, this);
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

  /**
   * The GEMM kernel variant that last trained this network (recorded by `train`, kept in the
   * model file), or undefined for a network never trained. Bit-reproducibility of a seeded run
   * holds per variant: FMA and separate multiply-add round differently.
   */
  get kernel(): KernelVariant | undefined {
    return this.#engine.kernel;
  }

  /** Copies of every layer's parameters; layer k at index k − 1. */
  getParameters(): LayerParameters[] {
    return this.#engine.layers.map((l) => ({ weights: new Matrix(l.nOut, l.nIn, l.weights.slice()), bias: l.bias.slice() }));
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
    this.#engine.layers.forEach((l, i) => {
      l.weights.set(ws[i]!.data);
      l.bias.set(bs[i]!);
    });
  }

  /**
   * The network's outputs ŷ for x (samples as rows): class probabilities for softmax, values for
   * linear outputs. Returns nested arrays for nested-array input and a Matrix for Matrix input.
   */
  predict(x: readonly (readonly number[])[]): number[][];
  predict(x: Matrix): Matrix;
  predict(x: MatrixLike): number[][] | Matrix {
    const e = this.#engine;
    const xm = e.checkX(x, 'MLP.predict', false);
    const m = this.outputSize;
    const result = new Matrix(xm.rows, m, this.dtype);
    const r = result.data;
    e.forEachChunk(xm, 'MLP.predict', (out, from, batch) => {
      e.head.forward(out, undefined, m, batch);
      for (let j = 0; j < batch; j++) for (let i = 0; i < m; i++) r[(from + j) * m + i] = out[i * batch + j]!;
    });
    return x instanceof Matrix ? result : result.toArray();
  }

  /**
   * Every layer's activation g^0 ... g^L for one sample, as plain arrays: what a network
   * diagram shades its nodes by. g^L is the network's output ŷ.
   */
  activationsOf(sample: ArrayLike<number>): number[][] {
    const e = this.#engine;
    checkSample(sample, 'MLP.activationsOf');
    const xm = e.checkX([Array.from(sample)], 'MLP.activationsOf');
    const result: number[][] = [Array.from(xm.data)];
    let cur: FloatArray = xm.data;
    for (const layer of e.layers) {
      const out = allocFloat(this.dtype, layer.nOut);
      layer.forward(cur, out, 1, INFERENCE);
      if (layer.k === this.depth) e.head.forward(out, undefined, this.outputSize, 1);
      result.push(Array.from(out));
      cur = out;
    }
    return result;
  }

  /** Mean loss over (x, y), and accuracy for classification losses. */
  evaluate(x: MatrixLike, y: MatrixLike): Evaluation {
    const e = this.#engine;
    const xm = e.checkX(x, 'MLP.evaluate', false);
    const ym = e.checkY(y, xm.rows, 'MLP.evaluate');
    const m = this.outputSize;
    let total = 0;
    let correct = 0;
    const yT = e.acquire(m * Math.min(PREDICT_CHUNK, xm.rows));
    try {
      e.forEachChunk(xm, 'MLP.evaluate', (out, from, batch) => {
        gatherColumns(ym, undefined, from, batch, yT);
        total += e.head.forward(out, yT, m, batch) * batch;
        correct += countCorrect(this.loss, out, yT, m, batch);
      });
    } finally {
      e.release(yT);
    }
    const loss = total / xm.rows;
    if (this.loss === 'mse') return { loss };
    const outputs = this.loss === 'binary-cross-entropy' ? xm.rows * m : xm.rows;
    return { loss, accuracy: correct / outputs };
  }

  /**
   * dL/dW^k and dL/db^k of every layer for the batch (x, y), samples as rows. The gradients
   * are copies; `stats` reports the exact activation memory and forward count of the schedule
   * chosen by `options.checkpoint`. Dropout applies only with `{ training: true }`.
   */
  gradients(x: MatrixLike, y: MatrixLike, options: GradientOptions = {}): GradientResult {
    const e = this.#engine;
    const schedule = e.schedule(options.checkpoint, 'MLP.gradients');
    const mode = Engine.passMode(options.training, options.dropoutSeed, this.seed, 'MLP.gradients');
    const xm = e.checkX(x, 'MLP.gradients');
    const ym = e.checkY(y, xm.rows, 'MLP.gradients');
    const { loss, stats } = e.computeGradients({ x: xm, y: ym, from: 0, size: xm.rows }, schedule, mode);
    const layers = e.layers.map((l) => ({ weights: new Matrix(l.nOut, l.nIn, l.gradWeights.slice()), bias: l.gradBias.slice() }));
    return { loss, layers, stats };
  }

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
      ...(this.#engine.kernel !== undefined ? { kernel: this.#engine.kernel } : {}),
      layers: this.#engine.layers.map((l) => {
        const weights: number[][] = new Array(l.nOut);
        for (let r = 0; r < l.nOut; r++) weights[r] = Array.from(l.weights.subarray(r * l.nIn, (r + 1) * l.nIn));
        return {
          activation: l.activation?.name ?? this.output,
          dropout: l.dropout,
          weights,
          bias: Array.from(l.bias),
        };
      }),
    };
  }

  /** Load a model from `toJSON` output (an object or its JSON text), validating everything. */
  static fromJSON(json: unknown): MLP {
    const model = parseModelJSON(json);
    const L = model.layers.length;
    const net = new MLP({
      sizes: model.sizes,
      activation: model.layers.slice(0, L - 1).map((l) => l.activation as ActivationName),
      output: model.layers[L - 1]!.activation as OutputName,
      loss: model.loss,
      dtype: model.dtype,
      init: model.init,
      seed: model.seed,
      dropout: model.layers.slice(0, L - 1).map((l) => l.dropout),
    });
    net.setParameters(model.layers.map((l) => ({ weights: l.weights, bias: l.bias })));
    net.#engine.kernel = model.kernel;
    return net;
  }

  /** A deep copy of the network (parameters and configuration). */
  clone(): MLP {
    return MLP.fromJSON(this.toJSON());
  }
}
