// The playground's training loop, free of any worker or page: one mini-batch per `step()`, in
// an order fixed by the seed alone, so the same configuration gives the same parameters after
// the same number of steps however the steps are grouped into chunks, frames or clicks.
import {
  type CheckpointStrategy,
  cosineDecay,
  exponentialDecay,
  gemmSimdVariant,
  type LearningRate,
  Matrix,
  MLP,
  type Optimizer,
  optimizer as makeOptimizer,
  type ParamSlot,
  Random,
  stepDecay,
} from '@nabla/core';
import { featureRows, gridCentres, type PlaygroundData } from './playground-data';
import { type CheckpointChoice, type CheckpointReport, type Metrics, type PlaygroundConfig, UNIT_GRID } from './playground-protocol';

/** The engine's strategy for the playground's choice; k and budgets are clamped to 1 ... L. */
export function strategyOf(choice: CheckpointChoice, k: number, layers: number): CheckpointStrategy {
  const kk = Math.max(1, Math.min(layers, Math.round(k)));
  if (choice === 'every') return { every: kk };
  if (choice === 'budget') return { budget: kk };
  return choice;
}

/** The learning rate of the configuration: a constant or one of core's schedules. */
export function learningRateOf(config: PlaygroundConfig, stepsPerEpoch: number): LearningRate {
  const rate = config.learningRate;
  switch (config.schedule) {
    case 'step':
      return stepDecay({ rate, every: 50 * stepsPerEpoch, factor: 0.5 });
    case 'exponential':
      return exponentialDecay({ rate, decay: 0.9995 });
    case 'cosine':
      return cosineDecay({ rate, steps: 500 * stepsPerEpoch, minRate: rate / 100 });
    default:
      return rate;
  }
}

/** The network of a configuration: softmax + cross-entropy for classes, linear + mse for regression. */
export function networkOf(config: PlaygroundConfig, inputs: number, classes: number): MLP {
  const hidden = config.hidden;
  return new MLP({
    sizes: [inputs, ...hidden, classes > 0 ? classes : 1],
    activation: hidden.map((_, i) => config.activations[i] ?? 'tanh'),
    output: classes > 0 ? 'softmax' : 'linear',
    loss: classes > 0 ? 'cross-entropy' : 'mse',
    dropout: hidden.map((_, i) => config.dropout[i] ?? 0),
    seed: config.seed,
  });
}

function targetRows(targets: Float64Array, from: number, to: number, classes: number): Matrix {
  const n = to - from;
  const m = classes > 0 ? classes : 1;
  const y = new Matrix(n, m);
  for (let i = 0; i < n; i++) {
    const t = targets[from + i]!;
    if (classes > 0) y.data[i * m + t] = 1;
    else y.data[i] = t;
  }
  return y;
}

export type StepResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** A network training on a data set, one mini-batch at a time. */
export class Trainer {
  /** The configuration; the worker replaces it for changes that keep the run (checkpointing, view, stop conditions). */
  config: PlaygroundConfig;
  readonly data: PlaygroundData;
  readonly net: MLP;
  readonly outputs: number;
  /** Mini-batches done, and whole passes over the training set. */
  steps = 0;
  epoch = 0;
  /** Position of the next batch in the current epoch's order. */
  position = 0;
  /** Training-set indices of the batch trained last (empty before the first step). */
  lastBatch: Uint32Array = new Uint32Array(0);
  checkpoint: CheckpointStrategy;
  readonly #trainX: Matrix;
  readonly #trainY: Matrix;
  readonly #testX: Matrix;
  readonly #testY: Matrix;
  readonly #inputs: number;
  readonly #rng: Random;
  readonly #order: Uint32Array;
  readonly #opt: Optimizer;
  readonly #weights: Float32Array[];
  readonly #biases: Float32Array[];
  readonly #backupW: Float32Array[];
  readonly #backupB: Float32Array[];
  #gridSide = 0;
  #gridX: Matrix | null = null;
  #unitX: Float64Array[] | null = null;

  constructor(config: PlaygroundConfig, data: PlaygroundData, model?: MLP) {
    this.config = config;
    this.data = data;
    const d = data.inputs ? data.inputs.width : config.features.length;
    if (d === 0) throw new Error('Trainer: pick at least one input feature');
    this.#inputs = d;
    const n = data.targets.length;
    const nt = data.trainCount;
    const rows = data.inputs ? data.inputs.data : featureRows(data.points, config.features);
    this.#trainX = new Matrix(nt, d, Float32Array.from(rows.subarray(0, nt * d)));
    this.#testX = new Matrix(n - nt, d, Float32Array.from(rows.subarray(nt * d)));
    this.#trainY = targetRows(data.targets, 0, nt, data.classes);
    this.#testY = targetRows(data.targets, nt, n, data.classes);
    this.net = model ?? networkOf(config, d, data.classes);
    if (this.net.inputSize !== d) throw new Error(`Trainer: the model takes ${this.net.inputSize} inputs, but ${d} features are selected`);
    this.outputs = this.net.outputSize;
    const m = data.classes > 0 ? data.classes : 1;
    if (this.outputs !== m) throw new Error(`Trainer: the model has ${this.outputs} outputs, but the data needs ${m}`);
    this.#rng = new Random(config.seed);
    this.#order = new Uint32Array(nt);
    for (let i = 0; i < nt; i++) this.#order[i] = i;
    const batches = Math.ceil(nt / this.batchSize);
    this.#opt = makeOptimizer(config.optimizer, { learningRate: learningRateOf(config, batches) });
    const params = this.net.getParameters();
    this.#weights = params.map((p) => Float32Array.from(p.weights.data));
    this.#biases = params.map((p) => Float32Array.from(p.bias));
    this.#backupW = this.#weights.map((w) => w.slice());
    this.#backupB = this.#biases.map((b) => b.slice());
    this.checkpoint = strategyOf(config.checkpoint, config.checkpointK, this.net.depth);
  }

  get batchSize(): number {
    return Math.max(1, Math.min(this.config.batchSize, this.data.trainCount));
  }

  get learningRate(): number {
    return this.#opt.learningRate;
  }

  /** The next batch's rows of the training set, and advance the position (reshuffling at each epoch's start). */
  #nextBatch(): { x: Matrix; y: Matrix } {
    const nt = this.data.trainCount;
    if (this.position === 0) this.#rng.shuffle(this.#order);
    const size = Math.min(this.batchSize, nt - this.position);
    const d = this.#inputs;
    const m = this.outputs;
    const x = new Matrix(size, d);
    const y = new Matrix(size, m);
    for (let i = 0; i < size; i++) {
      const src = this.#order[this.position + i]!;
      x.data.set(this.#trainX.data.subarray(src * d, (src + 1) * d), i * d);
      y.data.set(this.#trainY.data.subarray(src * m, (src + 1) * m), i * m);
    }
    this.lastBatch = this.#order.slice(this.position, this.position + size);
    this.position += size;
    if (this.position >= nt) {
      this.position = 0;
      this.epoch++;
    }
    return { x, y };
  }

  /**
   * One mini-batch: gradient (with dropout, the chosen checkpointing), L1 or L2 penalty, one
   * optimiser update. A non-finite loss or parameter puts back the parameters from before the
   * step and reports the divergence; the network keeps its last finite weights.
   */
  step(): StepResult {
    const { x, y } = this.#nextBatch();
    const dropout = this.config.dropout.some((p) => p > 0);
    // The mask seed is drawn on every step, dropout or not, so that turning dropout on changes nothing but the masks.
    const dropoutSeed = this.#rng.nextUint32();
    const g = this.net.gradients(x, y, dropout ? { checkpoint: this.checkpoint, training: true, dropoutSeed } : { checkpoint: this.checkpoint });
    this.steps++;
    if (!Number.isFinite(g.loss)) {
      // The last update gave parameters with a non-finite loss: go back to those before it.
      this.#restore();
      return { ok: false, message: `Training diverged at step ${this.steps}: the loss became ${g.loss}. The network is back at its weights from before the last update, whose loss was finite; lower the learning rate and press play again.` };
    }
    const lambda = this.config.regularization === 'none' ? 0 : this.config.regRate;
    const slots: ParamSlot[] = [];
    for (let k = 0; k < this.#weights.length; k++) {
      const w = this.#weights[k]!;
      const gw = g.layers[k]!.weights.data;
      if (lambda > 0) {
        // d/dw of λ|w| is λ sign(w); of (λ/2) w² it is λ w.
        if (this.config.regularization === 'l1') for (let i = 0; i < w.length; i++) gw[i]! += lambda * Math.sign(w[i]!);
        else for (let i = 0; i < w.length; i++) gw[i]! += lambda * w[i]!;
      }
      this.#backupW[k]!.set(w);
      this.#backupB[k]!.set(this.#biases[k]!);
      slots.push({ layer: k + 1, kind: 'weights', param: w, grad: gw });
      slots.push({ layer: k + 1, kind: 'bias', param: this.#biases[k]!, grad: g.layers[k]!.bias });
    }
    const finite = this.#opt.step(slots);
    if (finite === false || !this.#allFinite()) {
      this.#restore();
      return { ok: false, message: `Training diverged at step ${this.steps}: a weight became non-finite (learning rate ${this.#opt.learningRate} too large?). The network keeps its last finite weights.` };
    }
    this.#push();
    return { ok: true };
  }

  /** Put back the parameters from before the last update and forget the optimiser's state. */
  #restore(): void {
    for (let k = 0; k < this.#weights.length; k++) {
      this.#weights[k]!.set(this.#backupW[k]!);
      this.#biases[k]!.set(this.#backupB[k]!);
    }
    this.#opt.reset();
    this.#push();
  }

  #allFinite(): boolean {
    for (const a of this.#weights) for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
    for (const a of this.#biases) for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
    return true;
  }

  #push(): void {
    this.net.setParameters(this.#weights.map((w, k) => ({ weights: new Matrix(this.net.sizes[k + 1]!, this.net.sizes[k]!, w), bias: this.#biases[k]! })));
  }

  /** Set one weight W^k[i][j] (k from 1), as a click on an edge does. */
  setWeight(k: number, i: number, j: number, value: number): void {
    const w = this.#weights[k - 1];
    const cols = this.net.sizes[k - 1]!;
    if (w === undefined || !Number.isFinite(value) || i < 0 || j < 0 || j >= cols || i * cols + j >= w.length) {
      throw new Error(`setWeight: no weight W^${k}[${i}][${j}] in a network of sizes [${this.net.sizes.join(', ')}], or value ${value} is not finite`);
    }
    w[i * cols + j] = value;
    this.#push();
  }

  /** Loss and accuracy on train and test; confusion matrix, or R² and RMSE, on the test set. */
  metrics(): Metrics {
    const tr = this.net.evaluate(this.#trainX, this.#trainY);
    const te = this.net.evaluate(this.#testX, this.#testY);
    const base = {
      trainLoss: tr.loss,
      testLoss: te.loss,
      ...(tr.accuracy !== undefined ? { trainAccuracy: tr.accuracy } : {}),
      ...(te.accuracy !== undefined ? { testAccuracy: te.accuracy } : {}),
    };
    const p = this.net.predict(this.#testX).data;
    const nt = this.data.trainCount;
    const n = this.#testX.rows;
    const k = this.data.classes;
    if (k > 0) {
      const confusion = new Array<number>(k * k).fill(0);
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let j = 1; j < k; j++) if (p[i * k + j]! > p[i * k + best]!) best = j;
        confusion[this.data.targets[nt + i]! * k + best]!++;
      }
      return { ...base, confusion };
    }
    let mean = 0;
    for (let i = 0; i < n; i++) mean += this.data.targets[nt + i]!;
    mean /= n;
    let ssRes = 0;
    let ssTot = 0;
    for (let i = 0; i < n; i++) {
      const t = this.data.targets[nt + i]!;
      ssRes += (t - p[i]!) ** 2;
      ssTot += (t - mean) ** 2;
    }
    return { ...base, r2: ssTot > 0 ? 1 - ssRes / ssTot : 0, rmse: Math.sqrt(ssRes / n) };
  }

  /** The network's outputs on a side x side grid over the domain, row 0 at y min (a fresh buffer, for transfer). */
  grid(side: number): Float32Array | undefined {
    if (this.data.inputs) return undefined;
    if (side !== this.#gridSide || this.#gridX === null) {
      this.#gridSide = side;
      this.#gridX = new Matrix(side * side, this.#inputs, Float32Array.from(featureRows(gridCentres(this.data.domain, side), this.config.features)));
    }
    return Float32Array.from(this.net.predict(this.#gridX).data);
  }

  /**
   * Every input feature and every hidden unit over a UNIT_GRID² grid, in layer order: what each
   * unit has learnt to detect. At most `limit` maps; the output layer is the decision boundary.
   */
  unitMaps(limit: number): Float32Array | undefined {
    if (this.data.inputs) return undefined;
    const sizes = this.net.sizes;
    let units = 0;
    for (let k = 0; k < sizes.length - 1; k++) units += sizes[k]!;
    if (units > limit) return undefined;
    if (this.#unitX === null) {
      const c = gridCentres(this.data.domain, UNIT_GRID);
      const f = featureRows(c, this.config.features);
      const d = this.#inputs;
      this.#unitX = Array.from({ length: UNIT_GRID * UNIT_GRID }, (_, i) => f.slice(i * d, (i + 1) * d));
    }
    const cells = UNIT_GRID * UNIT_GRID;
    const out = new Float32Array(units * cells);
    this.#unitX.forEach((sample, cell) => {
      const acts = this.net.activationsOf(sample);
      let u = 0;
      for (let k = 0; k < sizes.length - 1; k++) {
        const a = acts[k]!;
        for (let j = 0; j < a.length; j++) out[(u + j) * cells + cell] = a[j]!;
        u += a.length;
      }
    });
    return out;
  }

  /** Image mode: the predicted class of the first `count` test samples, and every layer's activation for the first. */
  predictions(count: number): { predictions: Int32Array; activations: number[][] } | undefined {
    if (!this.data.inputs) return undefined;
    const n = Math.min(count, this.#testX.rows);
    const d = this.#inputs;
    const x = new Matrix(n, d, this.#testX.data.slice(0, n * d));
    const p = this.net.predict(x).data;
    const m = this.outputs;
    const predictions = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 1; j < m; j++) if (p[i * m + j]! > p[i * m + best]!) best = j;
      predictions[i] = best;
    }
    return { predictions, activations: this.net.activationsOf(this.#testX.data.subarray(0, d)) };
  }

  /** The parameters flat, layer by layer: W^k row-major then b^k (a fresh buffer, for transfer). */
  params(): Float64Array {
    let n = 0;
    for (const w of this.#weights) n += w.length;
    for (const b of this.#biases) n += b.length;
    const out = new Float64Array(n);
    let at = 0;
    for (let k = 0; k < this.#weights.length; k++) {
      out.set(this.#weights[k]!, at);
      at += this.#weights[k]!.length;
      out.set(this.#biases[k]!, at);
      at += this.#biases[k]!.length;
    }
    return out;
  }

  /**
   * Measure the chosen checkpointing on a full batch of the training set (its first rows, dropout
   * masks of the network's seed): the engine's peak activation bytes and forward count, and the
   * largest difference between its gradient and the store-all gradient of the same batch.
   */
  checkpointReport(choice: CheckpointChoice, k: number): CheckpointReport {
    const b = this.batchSize;
    const d = this.#inputs;
    const m = this.outputs;
    const x = new Matrix(b, d, this.#trainX.data.slice(0, b * d));
    const y = new Matrix(b, m, this.#trainY.data.slice(0, b * m));
    const dropout = this.config.dropout.some((p) => p > 0);
    const mode = dropout ? { training: true, dropoutSeed: this.config.seed } : {};
    const strategy = strategyOf(choice, k, this.net.depth);
    const g = this.net.gradients(x, y, { ...mode, checkpoint: strategy });
    const ref = choice === 'none' ? g : this.net.gradients(x, y, { ...mode, checkpoint: 'none' });
    let diff = 0;
    g.layers.forEach((l, i) => {
      const r = ref.layers[i]!;
      for (let j = 0; j < l.weights.data.length; j++) diff = Math.max(diff, Math.abs(l.weights.data[j]! - r.weights.data[j]!));
      for (let j = 0; j < l.bias.length; j++) diff = Math.max(diff, Math.abs(l.bias[j]! - r.bias[j]!));
    });
    return {
      strategy: choice,
      k: typeof strategy === 'object' ? ('every' in strategy ? strategy.every : strategy.budget) : 0,
      forwardEvaluations: g.stats.forwardEvaluations,
      peakActivations: g.stats.peakActivations,
      peakActivationBytes: g.stats.peakActivationBytes,
      batch: b,
      maxGradDiff: diff,
    };
  }

  /** The model as Nabla's JSON, with the GEMM kernel variant it was trained with and the playground's configuration. */
  exportJSON(): string {
    return JSON.stringify({ ...this.net.toJSON(), kernelVariant: gemmSimdVariant() ?? 'js', playground: { config: this.config, steps: this.steps, epoch: this.epoch } });
  }
}
