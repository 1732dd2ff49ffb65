import { ConfigError, DataError, ShapeError } from '../base/errors.js';
import { checkRows } from '../validate.js';
import { checkpointSchedule } from '../checkpoint/schedule.js';
import { simulateSchedule } from '../checkpoint/stats.js';
import { normalizeStrategy } from '../checkpoint/strategy.js';
import type { CheckpointStep, CheckpointStrategy } from '../checkpoint/types.js';
import { initWeights } from '../init.js';
import { checkLabels } from '../labels.js';
import type { Head, LossName } from '../losses.js';
import { type DType, type FloatArray, allocEngine } from '../matrix/alloc.js';
import { gatherColumns, gatherRows } from '../matrix/gather.js';
import { type KernelVariant, getGemmBackend } from '../matrix/gemm.js';
import { Matrix, type MatrixLike, assertFinite, firstNonFinite, toMatrix } from '../matrix/matrix.js';
import { freeResident, isResident, residentFloat32Unfilled, residentUint32 } from '../matrix/simd/resident.js';
import { threadCount } from '../threads/pool.js';
import { residentFinite, settleGather, startGather } from '../matrix/simd/gemm-simd.js';
import type { ParamSlot } from '../optimizers.js';
import { Random } from '../random.js';
import { type PassContext, type PassResult, referenceBackprop, runSchedule } from './executor.js';
import { INFERENCE, Layer, type PassMode } from './layer.js';
import type { ResolvedOptions } from './options.js';
import type { GradientStats } from './types.js';
import { ActivationPool } from './workspace.js';

/** Largest training set (bytes) `trainingRows` copies into the kernel's shared memory. */
const RESIDENT_SET_LIMIT = 1 << 28;

/**
 * The shared-memory copy of the last training set, kept for the next run once its training is
 * over: a fresh region costs a page fault per 4 KiB on first touch (18 ms for 31 MB here, against
 * 3 ms to copy into mapped pages), and a WebAssembly memory never shrinks anyway.
 */
let spare: { readonly data: Float32Array; readonly order: Uint32Array } | undefined;

/**
 * A training set as `train` steps through it, with the order of its rows (the identity, shuffled
 * in place by the caller), and `release`, to call once training is over. With worker threads,
 * x is copied into the kernel's shared memory (up to 256 MiB) and the order put beside it, so
 * that a worker can gather each next batch (`Engine.computeGradients` with `next`). Otherwise
 * x itself and an ordinary order.
 *
 * With `name`, x is also checked to be finite (a DataError naming the first NaN or infinite
 * element, under that name): where it is copied, the copy is checked in the kernel where it lies
 * (it is still in cache), so the training set is read once, not twice.
 * @internal
 */
export function trainingRows(x: Matrix, name?: string): { x: Matrix; order: Uint32Array; release: () => void } {
  const n = x.rows;
  const d = x.data;
  const region = threadCount() > 1 && d instanceof Float32Array && getGemmBackend() !== 'js' && d.length * 4 <= RESIDENT_SET_LIMIT ? residentRegion(d.length, n) : undefined;
  if (region === undefined) {
    if (name !== undefined) assertFinite(x, name);
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return { x, order, release: () => {} };
  }
  const copy = region.data.subarray(0, d.length);
  const order = region.order.subarray(0, n);
  const release = (): void => {
    if (spare === undefined) spare = region;
    else freeRegion(region);
  };
  copy.set(d);
  if (name !== undefined && !residentFinite(copy, d.length)) {
    release();
    assertFinite(x, name);
  }
  for (let i = 0; i < n; i++) order[i] = i;
  return { x: new Matrix(n, x.cols, copy), order, release };
}

/** A region for `floats` and `rows`: the spare one when it is big enough, else a new one. */
function residentRegion(floats: number, rows: number): { readonly data: Float32Array; readonly order: Uint32Array } | undefined {
  const s = spare;
  spare = undefined;
  if (s !== undefined && s.data.length >= floats && s.order.length >= rows) return s;
  if (s !== undefined) freeRegion(s);
  const order = residentUint32(rows);
  const data = order === null ? null : residentFloat32Unfilled(floats);
  if (order !== null && data !== null) return { data, order };
  if (order !== null) freeResident(order);
  return undefined;
}

function freeRegion(r: { readonly data: Float32Array; readonly order: Uint32Array }): void {
  freeResident(r.data);
  freeResident(r.order);
}

/** Samples per chunk of `predict` and `evaluate`. */
export const PREDICT_CHUNK = 256;

/** Rows from .. from + size of x and y (in `order` when given, else in their own order). @internal */
export interface BatchRef {
  readonly x: Matrix;
  readonly y: Matrix;
  readonly order?: ArrayLike<number>;
  readonly from: number;
  readonly size: number;
}

/** What one gradient computation reports; the gradients themselves are in the slots. @internal */
export interface StepResult {
  readonly loss: number;
  readonly correct: number;
  readonly stats: GradientStats;
}

const engines = new WeakMap<object, Engine>();

/**
 * The engine behind one `MLP`: its layers, the parameter slots, the schedule cache and the
 * backward workspace. It is the one internal protocol between the network and `train`,
 * `gradcheck`, the optimisers and the benchmarks; reach it with `engineOf(net)`.
 * @internal
 */
export class Engine {
  readonly sizes: readonly number[];
  readonly dtype: DType;
  readonly layers: readonly Layer[];
  readonly head: Head;
  readonly loss: LossName;
  /**
   * The live parameter and gradient buffers as typed slots, W^1, b^1, W^2, b^2, ...: what the
   * optimisers update. The engine overwrites the gradients on every gradient computation, and
   * writing a parameter changes the network.
   */
  readonly slots: readonly ParamSlot[];
  /** The GEMM kernel variant that last trained the parameters (set by `train` and by loading a model file). */
  kernel: KernelVariant | undefined;
  readonly #pool: ActivationPool;
  readonly #schedules = new Map<string, CheckpointStep[]>();
  /** g^0 ... g^L during a gradient computation. */
  readonly #live: (FloatArray | undefined)[] = [];
  /**
   * The next batch of the training set (`computeGradients` with `next`): which rows, set for the
   * step, and the borrowed pool buffer a worker gathers them into once it has started.
   */
  readonly #ahead: { x: Matrix | undefined; order: Uint32Array | undefined; from: number; size: number; buffer: Float32Array | undefined } = {
    x: undefined,
    order: undefined,
    from: 0,
    size: 0,
    buffer: undefined,
  };
  readonly #gatherAhead = (): void => this.#startAhead();
  /** Batches whose rows a worker gathered ahead (for tests and benchmarks). */
  batchesGatheredAhead = 0;
  /** The dL/dg pair and the transposed targets, sized for the largest batch so far. */
  #workspace: { batch: number; deltas: [FloatArray, FloatArray]; y: FloatArray } | undefined;

  constructor(o: ResolvedOptions, owner: object) {
    this.sizes = o.sizes;
    this.dtype = o.dtype;
    this.head = o.head;
    this.loss = o.head.loss;
    const L = o.sizes.length - 1;
    const rng = new Random(o.seed);
    const layers: Layer[] = [];
    for (let k = 1; k <= L; k++) {
      const hidden = k < L ? o.hidden[k - 1]! : undefined;
      const layer = new Layer(k, o.sizes[k - 1]!, o.sizes[k]!, o.dtype, hidden, k < L ? o.dropout[k - 1]! : 0);
      initWeights(layer.weights, layer.nIn, layer.nOut, o.init, hidden?.name ?? o.head.output, rng);
      layers.push(layer);
    }
    this.layers = layers;
    this.slots = layers.flatMap((l): ParamSlot[] => [
      { layer: l.k, kind: 'weights', param: l.weights, grad: l.gradWeights },
      { layer: l.k, kind: 'bias', param: l.bias, grad: l.gradBias },
    ]);
    this.#pool = new ActivationPool(o.dtype);
    engines.set(owner, this);
  }

  get inputSize(): number {
    return this.sizes[0]!;
  }

  get outputSize(): number {
    return this.sizes[this.sizes.length - 1]!;
  }

  /** Convert and check x (samples as rows) against n_0. */
  checkX(x: MatrixLike, caller: string, checkFinite = true): Matrix {
    checkRows(x, `${caller}: x`);
    const m = toMatrix(x, this.dtype, `${caller}: x`, checkFinite);
    if (m.rows === 0) throw new DataError(`${caller}: x is an empty batch (0 samples)`);
    if (m.cols !== this.inputSize) {
      throw new ShapeError(`${caller}: x has ${m.cols} columns, but the network takes ${this.inputSize} inputs`);
    }
    return m;
  }

  /** Convert and check y against n_L, the batch size and the loss's label rules. */
  checkY(y: MatrixLike, rows: number, caller: string): Matrix {
    checkRows(y, `${caller}: y`);
    const m = toMatrix(y, this.dtype, `${caller}: y`);
    if (m.cols !== this.outputSize) {
      throw new ShapeError(`${caller}: y has ${m.cols} columns, but the network has ${this.outputSize} outputs`);
    }
    if (m.rows !== rows) throw new ShapeError(`${caller}: x has ${rows} samples but y has ${m.rows}`);
    checkLabels(m, this.loss, caller);
    return m;
  }

  /** Check `training` and `dropoutSeed` of a gradient computation; the seed defaults to `seed`. */
  static passMode(training: unknown, dropoutSeed: unknown, seed: number, caller: string): PassMode {
    if (training !== undefined && typeof training !== 'boolean') throw new ConfigError(`${caller}: training must be true or false, got ${String(training)}`);
    if (dropoutSeed !== undefined && (typeof dropoutSeed !== 'number' || !Number.isInteger(dropoutSeed))) {
      throw new ConfigError(`${caller}: dropoutSeed must be an integer, got ${String(dropoutSeed)}`);
    }
    if (dropoutSeed !== undefined && training !== true) {
      throw new ConfigError(`${caller}: dropoutSeed ${dropoutSeed} is given but training is not true; pass { training: true, dropoutSeed } for dropout`);
    }
    return training === true ? { training: true, dropoutSeed: dropoutSeed ?? seed } : INFERENCE;
  }

  /** The schedule for a strategy: built, validated and cached once per network and strategy. */
  schedule(strategy: CheckpointStrategy | undefined, caller: string): readonly CheckpointStep[] {
    const L = this.layers.length;
    const s = normalizeStrategy(L, strategy, caller);
    const key = s.kind === 'none' ? 'none' : s.kind === 'every' ? `every:${s.k}` : `budget:${s.s}`;
    let steps = this.#schedules.get(key);
    if (steps === undefined) {
      steps = checkpointSchedule(L, s.kind === 'none' ? 'none' : s.kind === 'every' ? { every: s.k } : { budget: s.s });
      // The executor trusts its schedule: check it once here, on paper.
      simulateSchedule(L, steps);
      this.#schedules.set(key, steps);
    }
    return steps;
  }

  /** The backward workspace for batches of up to `batch` samples (a larger batch serves smaller ones). */
  reserve(batch: number): { deltas: readonly [FloatArray, FloatArray]; y: FloatArray } {
    let w = this.#workspace;
    if (w === undefined || w.batch < batch) {
      const widest = Math.max(...this.sizes);
      w = { batch, deltas: [allocEngine(this.dtype, widest * batch), allocEngine(this.dtype, widest * batch)], y: allocEngine(this.dtype, this.outputSize * batch) };
      this.#workspace = w;
    }
    return w;
  }

  /** The activation pool's counters: bytes ever allocated (live and free) and live now. */
  poolStats(): { allocatedBytes: number; liveBytes: number; liveCount: number } {
    return { allocatedBytes: this.#pool.allocatedBytes, liveBytes: this.#pool.liveBytes, liveCount: this.#pool.liveCount };
  }

  /**
   * One gradient computation on a batch of checked x and y: runs the schedule on pooled buffers
   * (no allocation once warm) and leaves dL/dW^k and dL/db^k in the slots' `grad` buffers.
   * `schedule` undefined runs the plain store-all reference backprop instead. With `next` (the
   * rows of the same x and order the following call will ask for), where x and order are resident
   * and worker threads run, a worker gathers that batch while this thread works on this one: it
   * starts once layer 1 has read this batch, and the next call takes it over.
   */
  computeGradients(batch: BatchRef, schedule: readonly CheckpointStep[] | undefined, mode: PassMode = INFERENCE, next?: { readonly from: number; readonly size: number }): StepResult {
    const pool = this.#pool;
    const w = this.reserve(batch.size);
    gatherColumns(batch.y, batch.order, batch.from, batch.size, w.y);
    pool.resetPeak();
    const live = this.#live;
    live[0] = this.#input(batch);
    const ahead = next !== undefined && batch.x.data instanceof Float32Array && isResident(batch.x.data) && batch.order instanceof Uint32Array;
    if (ahead) {
      const a = this.#ahead;
      a.x = batch.x;
      a.order = batch.order as Uint32Array;
      a.from = next.from;
      a.size = next.size;
    }
    const c: PassContext = {
      layers: this.layers,
      head: this.head,
      loss: this.loss,
      pool,
      live,
      y: w.y,
      batch: batch.size,
      mode,
      deltas: w.deltas,
      afterLayer1: ahead ? this.#gatherAhead : undefined,
    };
    const r: PassResult = schedule === undefined ? referenceBackprop(c) : runSchedule(c, schedule);
    const stats: GradientStats = {
      forwardEvaluations: r.forwards,
      recomputations: r.forwards - this.layers.length,
      peakActivations: pool.peakCount,
      peakActivationBytes: pool.peakBytes,
    };
    return { loss: r.loss, correct: r.correct, stats };
  }

  /** g^0 for a batch: the rows gathered ahead when they are this batch's, else gathered now. */
  #input(batch: BatchRef): FloatArray {
    const a = this.#ahead;
    const buf = a.buffer;
    if (buf !== undefined && a.x === batch.x && a.order === batch.order && a.from === batch.from && a.size === batch.size) {
      settleGather();
      this.#forgetAhead();
      this.batchesGatheredAhead++;
      return this.#pool.adopt(buf);
    }
    this.dropAhead();
    const rows = this.#pool.acquire(this.inputSize * batch.size);
    gatherRows(batch.x, batch.order, batch.from, batch.size, rows);
    return rows;
  }

  /** Hand the step's next batch to the worker threads (once a step; nothing where they cannot). */
  #startAhead(): void {
    const a = this.#ahead;
    if (a.x === undefined || a.order === undefined || a.buffer !== undefined) return;
    const buf = this.#pool.borrow(this.inputSize * a.size);
    if (buf instanceof Float32Array && startGather(a.x.data as Float32Array, a.x.cols, a.order, a.from, a.size, buf)) a.buffer = buf;
    else this.#pool.giveBack(buf);
  }

  /** Finish and forget a batch being gathered ahead (when training ends or takes another turn). */
  dropAhead(): void {
    const buf = this.#ahead.buffer;
    if (buf !== undefined) {
      settleGather();
      this.#pool.giveBack(buf);
    }
    this.#forgetAhead();
  }

  #forgetAhead(): void {
    const a = this.#ahead;
    a.buffer = undefined;
    a.x = undefined;
    a.order = undefined;
  }

  /**
   * Run the network over checked x in chunks of PREDICT_CHUNK samples without keeping
   * activations, and hand each chunk's logits f^L (n_L x B, columns) to `visit`. Layer 1 reads
   * each chunk's rows of x where they are (op(B) = Xᵀ, no copy); every chunk is checked to be
   * finite just before.
   */
  forEachChunk(x: Matrix, caller: string, visit: (logits: FloatArray, from: number, batch: number) => void): void {
    const pool = this.#pool;
    const n0 = this.inputSize;
    for (let from = 0; from < x.rows; from += PREDICT_CHUNK) {
      const batch = Math.min(PREDICT_CHUNK, x.rows - from);
      // The rows, staged in a pool buffer where that is resident (the kernel checks them there,
      // and layer 1 reads them in place), else read where they are and checked here.
      const rows = pool.acquire(n0 * batch);
      const staged = rows instanceof Float32Array && isResident(rows) && getGemmBackend() !== 'js';
      if (staged) gatherRows(x, undefined, from, batch, rows);
      else pool.release(rows);
      if (staged ? !residentFinite(rows as Float32Array, n0 * batch) : firstNonFinite(x.data, from * n0, (from + batch) * n0) >= 0) {
        if (staged) pool.release(rows);
        assertFinite(x, `${caller}: x`);
      }
      const layers = this.layers;
      let cur = pool.acquire(layers[0]!.nOut * batch);
      layers[0]!.forward(staged ? rows : x.data.subarray(from * n0, (from + batch) * n0), cur, batch, INFERENCE, true);
      if (staged) pool.release(rows);
      for (let k = 1; k < layers.length; k++) {
        const layer = layers[k]!;
        const out = pool.acquire(layer.nOut * batch);
        layer.forward(cur, out, batch, INFERENCE);
        pool.release(cur);
        cur = out;
      }
      visit(cur, from, batch);
      pool.release(cur);
    }
    pool.resetPeak();
  }

  /** A scratch buffer from the pool, for callers of `forEachChunk`; give it back with `release`. */
  acquire(length: number): FloatArray {
    return this.#pool.acquire(length);
  }

  release(buf: FloatArray): void {
    this.#pool.release(buf);
  }
}

/**
 * The engine of a network made by `new MLP(...)`. The internal protocol of the package and its
 * benchmarks, not part of the public API.
 * @internal
 */
export function engineOf(net: object): Engine {
  const e = engines.get(net);
  if (e === undefined) throw new ConfigError(`engineOf: ${String(net)} is not an MLP`);
  return e;
}
