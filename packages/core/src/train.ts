import type { CheckpointStrategy } from './checkpoint/types.js';
import { ConfigError, DivergenceError } from './base/errors.js';
import { type FloatArray, allocEngine } from './matrix/alloc.js';
import { type KernelVariant, gemmKernelVariant } from './matrix/gemm.js';
import type { Matrix, MatrixLike } from './matrix/matrix.js';
import { engineOf, trainingRows } from './network/engine.js';
import type { MLP } from './network/mlp.js';
import { type Optimizer, adam, keepBefore } from './optimizers.js';
import { Random } from './random.js';
import { checkTrainData, checkTrainOptions, claimTraining } from './validate.js';
import { AutoThreads, type AutoThreadsReport } from './threads/auto.js';
import { setThreadsPaused, threadCount, threadsPaused } from './threads/pool.js';
import { brief } from './base/limits.js';

/** Metrics of one epoch. Accuracy fields are present for classification losses. */
export interface EpochRecord {
  /** 1-based epoch number. */
  readonly epoch: number;
  /** Mean training loss over the epoch's batches (with dropout, as trained). */
  readonly loss: number;
  readonly accuracy?: number;
  readonly valLoss?: number;
  readonly valAccuracy?: number;
  /** Training samples processed per second of wall time in this epoch. */
  readonly samplesPerSecond: number;
  readonly seconds: number;
}

/** What `train` resolves to. */
export interface History {
  readonly epochs: EpochRecord[];
  /** Why training ended. */
  readonly stopReason: 'completed' | 'aborted' | 'early-stopping';
  /** With early stopping: the epoch whose parameters the network holds at the end. */
  readonly bestEpoch?: number;
  /**
   * The GEMM kernel variant that ran every product of this training (see `KernelVariant`);
   * the network and its model file record it too. A seed reproduces the run bit for bit
   * under the same variant.
   */
  readonly kernel: KernelVariant;
  /** With `threads: 'auto'` and workers running: how many steps ran with them and without. */
  readonly autoThreads?: AutoThreadsReport;
}

/** Passed to `onBatchEnd`. */
export interface BatchInfo {
  readonly epoch: number;
  /** 1-based batch number within the epoch. */
  readonly batch: number;
  readonly batches: number;
  readonly loss: number;
  /** Samples seen so far in this epoch. */
  readonly samples: number;
}

/** Early stopping on a monitored metric. */
export interface EarlyStoppingOptions {
  /** Metric to watch. Default 'valLoss' with validation data, else 'loss'. */
  readonly monitor?: 'loss' | 'accuracy' | 'valLoss' | 'valAccuracy';
  /** Epochs without improvement before stopping. Default 5. */
  readonly patience?: number;
  /** Smallest change that counts as an improvement. Default 0. */
  readonly minDelta?: number;
  /** Put back the parameters of the best epoch when stopping. Default true. */
  readonly restoreBest?: boolean;
}

/** Options of `train`. */
export interface TrainOptions {
  /** Passes over the data. Default 10. */
  readonly epochs?: number;
  /** Samples per gradient step; the last batch of an epoch may be smaller. Default 32. */
  readonly batchSize?: number;
  /** Default `adam()` (learning rate 0.001). */
  readonly optimizer?: Optimizer;
  /** Reshuffle the samples every epoch. Default true. */
  readonly shuffle?: boolean;
  /** Seed of shuffling and dropout masks. Default: the network's seed. */
  readonly seed?: number;
  /** Data evaluated after every epoch. */
  readonly validation?: { readonly x: MatrixLike; readonly y: MatrixLike };
  /** Checkpointing strategy of every gradient computation. Default 'none'. */
  readonly checkpoint?: CheckpointStrategy;
  /** Called after every batch. */
  readonly onBatchEnd?: (info: BatchInfo) => void;
  /** Called after every epoch; may be async (awaited). */
  readonly onEpochEnd?: (record: EpochRecord) => void | Promise<void>;
  /** Stops training after the current batch; `train` then resolves with stopReason 'aborted'. */
  readonly signal?: AbortSignal;
  readonly earlyStopping?: EarlyStoppingOptions | boolean;
  /** Longest stretch of work, in milliseconds, between yields to the event loop. Default 10. */
  readonly yieldEveryMs?: number;
  /**
   * With the workers of `useThreads`: 'all' (the default) gives them their share of every step;
   * 'auto' gives it only while that is faster, timing blocks of steps with them paused
   * (`setThreadsPaused`) and not, and comparing again as training runs (after 480 steps, then
   * twice as long each time the answer stays the same). The results are the same bits either
   * way; `History.autoThreads` says what it chose. The workers are left as they were found.
   */
  readonly threads?: 'all' | 'auto';
}

const now = (): number => globalThis.performance.now();

/** Let the event loop run (timers, rendering, input) before continuing. */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (fn: () => void) => unknown };
  if (typeof g.setImmediate === 'function') return new Promise((resolve) => g.setImmediate!(resolve));
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        resolve();
      };
      ch.port2.postMessage(0);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ConfigError(`train: ${name} must be an integer >= 1, got ${brief(v)}`);
  return v;
}

/**
 * Fit the network to (x, y) with mini-batch gradient descent. Samples are rows. Time-sliced:
 * yields to the event loop about every `yieldEveryMs` so a page stays responsive. Resolves to
 * the history; rejects with a DivergenceError if the loss or a parameter turns non-finite, in
 * which case the network keeps its parameters from before the failing step.
 */
export async function train(net: MLP, data: { readonly x: MatrixLike; readonly y: MatrixLike }, options: TrainOptions = {}): Promise<History> {
  checkTrainData(data);
  checkTrainOptions(options);
  const release = claimTraining(net);
  try {
    return await trainClaimed(net, data, options);
  } finally {
    release();
  }
}

async function trainClaimed(net: MLP, data: { readonly x: MatrixLike; readonly y: MatrixLike }, options: TrainOptions): Promise<History> {
  const epochs = positiveInteger(options.epochs, 10, 'epochs');
  const batchSize = positiveInteger(options.batchSize, 32, 'batchSize');
  const yieldEvery = options.yieldEveryMs ?? 10;
  if (!(yieldEvery >= 0)) throw new ConfigError(`train: yieldEveryMs must be >= 0, got ${brief(yieldEvery)}`);
  const engine = engineOf(net);
  const schedule = engine.schedule(options.checkpoint, 'train');
  const opt = options.optimizer ?? adam();
  if (opt === null || typeof opt !== 'object' || typeof opt.step !== 'function') {
    throw new ConfigError(`train: optimizer must be an optimizer such as adam() or sgd(), got ${brief(opt)}`);
  }
  // x is checked to be finite by trainingRows below, where it is copied for the worker threads.
  const x = engine.checkX(data.x, 'train', false);
  const y = engine.checkY(data.y, x.rows, 'train');
  let vx: Matrix | undefined;
  let vy: Matrix | undefined;
  if (options.validation !== undefined) {
    vx = engine.checkX(options.validation.x, 'train: validation');
    vy = engine.checkY(options.validation.y, vx.rows, 'train: validation');
  }
  const early = normalizeEarlyStopping(options.earlyStopping, vx !== undefined, net.loss);
  // With worker threads: x copied into their memory (and checked there), each next batch
  // gathered by a worker. The last check: nothing is changed before it passes.
  const rows = trainingRows(x, 'train: x');
  const kernel = gemmKernelVariant(net.dtype);
  engine.kernel = kernel;

  const slots = engine.slots;
  const params = slots.map((s) => s.param);
  // The parameters before the current step: the optimiser copies them there as it updates
  // (split among threads, each copies the rows it updates), or for another optimiser, this loop.
  const backup: FloatArray[] = params.map((p) => {
    const b = allocEngine(net.dtype, p.length);
    b.set(p);
    return b;
  });
  const copiedByStep = keepBefore(opt, slots, backup);
  const best: FloatArray[] | undefined = early?.restoreBest ? params.map((p) => p.slice()) : undefined;

  const n = x.rows;
  const rng = new Random(options.seed ?? net.seed);
  const order = rows.order;
  const batches = Math.ceil(n / batchSize);
  const history: EpochRecord[] = [];
  const classification = net.loss !== 'mse';
  const outputsPerSample = net.loss === 'binary-cross-entropy' ? net.outputSize : 1;
  let stopReason: History['stopReason'] = 'completed';
  let bestValue = Number.NaN;
  let bestEpoch = 0;
  let sinceBest = 0;
  let lastYield = now();
  const pausedBefore = threadsPaused();
  const chooser = options.threads === 'auto' && threadCount() > 1 ? new AutoThreads() : undefined;

  try {
    outer: for (let epoch = 1; epoch <= epochs; epoch++) {
      if (options.shuffle ?? true) rng.shuffle(order);
      const start = now();
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      for (let b = 0; b < batches; b++) {
        if (options.signal?.aborted) {
          stopReason = 'aborted';
          break outer;
        }
        const from = b * batchSize;
        const size = Math.min(batchSize, n - from);
        const mode = { training: true, dropoutSeed: rng.nextUint32() };
        const next = b + 1 < batches ? { from: from + size, size: Math.min(batchSize, n - from - size) } : undefined;
        const result = engine.computeGradients({ x: rows.x, y, order, from, size }, schedule, mode, next);
        if (!Number.isFinite(result.loss)) {
          // The last step gave parameters with a non-finite loss: go back to those before it, whose loss was finite.
          for (let i = 0; i < params.length; i++) params[i]!.set(backup[i]!);
          opt.reset();
          throw new DivergenceError(`train: loss became ${result.loss} at epoch ${epoch}, batch ${b + 1}; the network keeps its parameters from before the last step (the last finite loss) and the optimizer is reset`, epoch, b + 1);
        }
        if (!copiedByStep) for (let i = 0; i < params.length; i++) backup[i]!.set(params[i]!);
        const finite = opt.step(slots);
        if (finite === false || (finite !== true && !allFinite(params))) {
          for (let i = 0; i < params.length; i++) params[i]!.set(backup[i]!);
          opt.reset();
          throw new DivergenceError(
            `train: a parameter became non-finite at epoch ${epoch}, batch ${b + 1} (learning rate ${opt.learningRate} too large?); the network keeps its parameters from before this step and the optimizer is reset`,
            epoch,
            b + 1,
          );
        }
        lossSum += result.loss * size;
        correct += result.correct;
        seen += size;
        chooser?.step(size === batchSize, b === 0);
        options.onBatchEnd?.({ epoch, batch: b + 1, batches, loss: result.loss, samples: seen });
        if (now() - lastYield >= yieldEvery) {
          await yieldToEventLoop();
          lastYield = now();
        }
      }
      const seconds = (now() - start) / 1000;
      let record: EpochRecord = {
        epoch,
        loss: lossSum / seen,
        ...(classification ? { accuracy: correct / (seen * outputsPerSample) } : {}),
        samplesPerSecond: seen / Math.max(seconds, 1e-9),
        seconds,
      };
      if (vx !== undefined && vy !== undefined) {
        const v = net.evaluate(vx, vy);
        record = { ...record, valLoss: v.loss, ...(v.accuracy !== undefined ? { valAccuracy: v.accuracy } : {}) };
      }
      history.push(record);
      await options.onEpochEnd?.(record);
      await yieldToEventLoop();
      lastYield = now();
      if (early !== undefined) {
        const value = record[early.monitor];
        if (value === undefined) throw new ConfigError(`train: earlyStopping monitors ${early.monitor}, which this run does not measure`);
        const improved = Number.isNaN(bestValue) || (early.maximize ? value > bestValue + early.minDelta : value < bestValue - early.minDelta);
        if (improved) {
          bestValue = value;
          bestEpoch = epoch;
          sinceBest = 0;
          if (best !== undefined) for (let i = 0; i < params.length; i++) best[i]!.set(params[i]!);
        } else if (++sinceBest >= early.patience) {
          stopReason = 'early-stopping';
          break;
        }
      }
    }
  } finally {
    if (chooser !== undefined) setThreadsPaused(pausedBefore);
    engine.dropAhead();
    rows.release();
    if (copiedByStep) keepBefore(opt, slots, undefined);
  }
  if (early !== undefined && best !== undefined && bestEpoch > 0 && bestEpoch !== history.length) {
    for (let i = 0; i < params.length; i++) params[i]!.set(best[i]!);
  }
  return {
    epochs: history,
    stopReason,
    kernel,
    ...(early !== undefined && bestEpoch > 0 ? { bestEpoch: best !== undefined ? bestEpoch : history.length } : {}),
    ...(chooser !== undefined ? { autoThreads: chooser.report } : {}),
  };
}

function allFinite(arrays: readonly FloatArray[]): boolean {
  for (const a of arrays) {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i]! * 0;
    if (s !== 0) return false;
  }
  return true;
}

function normalizeEarlyStopping(
  es: EarlyStoppingOptions | boolean | undefined,
  hasValidation: boolean,
  loss: string,
): { monitor: 'loss' | 'accuracy' | 'valLoss' | 'valAccuracy'; patience: number; minDelta: number; restoreBest: boolean; maximize: boolean } | undefined {
  if (es === undefined || es === false) return undefined;
  const o: EarlyStoppingOptions = es === true ? {} : es;
  const monitor = o.monitor ?? (hasValidation ? 'valLoss' : 'loss');
  if (!['loss', 'accuracy', 'valLoss', 'valAccuracy'].includes(monitor)) {
    throw new ConfigError(`train: earlyStopping.monitor must be loss, accuracy, valLoss or valAccuracy, got ${brief(monitor)}`);
  }
  if (monitor.startsWith('val') && !hasValidation) throw new ConfigError(`train: earlyStopping monitors ${monitor} but no validation data was given`);
  if (monitor.toLowerCase().includes('accuracy') && loss === 'mse') throw new ConfigError(`train: earlyStopping monitors ${monitor}, but mse has no accuracy`);
  const patience = o.patience ?? 5;
  if (!Number.isInteger(patience) || patience < 1) throw new ConfigError(`train: earlyStopping.patience must be an integer >= 1, got ${brief(patience)}`);
  const minDelta = o.minDelta ?? 0;
  if (!(minDelta >= 0)) throw new ConfigError(`train: earlyStopping.minDelta must be >= 0, got ${brief(minDelta)}`);
  return { monitor, patience, minDelta, restoreBest: o.restoreBest ?? true, maximize: monitor.toLowerCase().includes('accuracy') };
}
