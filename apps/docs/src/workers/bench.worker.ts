/// <reference lib="webworker" />
// The "run it in your browser" benchmark: trains the benchmark page's network (784-128-64-10,
// relu, softmax + cross-entropy, SGD lr 0.1, batch 64, float32) with Nabla and with
// TensorFlow.js on its wasm backend, in rounds that alternate which goes first, and posts each
// run and then the medians. Bundled with esbuild into static/workers/bench.js; TensorFlow.js's
// .wasm files are copied next to it (scripts/build-worker.mjs) and fetched from this origin.
// useThreads is no React hook; the alias keeps the linter's hook rules from taking it for one.
import { gemmSimdVariant, Matrix, MLP, Random, sgd, train, useThreads as setThreads } from '@nabla/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export const LAYERS = [784, 128, 64, 10] as const;
export const BATCH = 64;
export const LEARNING_RATE = 0.1;

export interface StartMessage {
  readonly type: 'start';
  /** Absolute URL of the folder holding TensorFlow.js's .wasm files (ends with '/'). */
  readonly wasmBase: string;
  /** Samples trained per run (a multiple of BATCH). */
  readonly samples: number;
  /** Timed rounds; each round runs every contestant once. */
  readonly rounds: number;
  /** Absolute URL of the worker script that runs Nabla's threads (static/workers/nabla-thread.js). */
  readonly threadWorker: string;
}

/** Nabla on one thread, Nabla on two (where the page is cross-origin isolated), TensorFlow.js wasm. */
export type Contestant = 'nabla' | 'nabla-2t' | 'tfjs-wasm';

export type BenchMessage =
  | { readonly type: 'status'; readonly text: string }
  | { readonly type: 'run'; readonly round: number; readonly name: Contestant; readonly samplesPerSecond: number; readonly loss: number }
  | {
      readonly type: 'done';
      /** Runs and medians of the contestants that ran ('nabla-2t' only with threads). */
      readonly runs: Partial<Record<Contestant, number[]>>;
      readonly medians: Partial<Record<Contestant, number>>;
      /** median(Nabla) / median(TensorFlow.js wasm). */
      readonly ratio: number;
      /** median(Nabla on 2 threads) / median(TensorFlow.js wasm), where it ran. */
      readonly ratio2t?: number;
      /** Threads Nabla could use here, and why not two where it could not. */
      readonly nablaThreads: { readonly count: number; readonly note?: string };
      /** Whether every Nabla run, on one thread or two, ended with the same loss, bit for bit. */
      readonly sameLoss: boolean;
      readonly variant: 'relaxed' | 'simd128' | null;
      readonly tfBackend: string;
      readonly tfThreads: number;
      readonly tfVersion: string;
      readonly crossOriginIsolated: boolean;
      readonly seconds: number;
    }
  | { readonly type: 'error'; readonly message: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: BenchMessage): void => scope.postMessage(m);

/** Synthetic "images": ten random prototypes in [0, 1)^784 plus noise, labelled by prototype. */
function makeData(samples: number): { x: Float32Array; y: Float32Array } {
  const rng = new Random(42);
  const [inputs, , , classes] = LAYERS;
  const prototypes = Float32Array.from({ length: classes * inputs }, () => rng.next());
  const x = new Float32Array(samples * inputs);
  const y = new Float32Array(samples * classes);
  for (let s = 0; s < samples; s++) {
    const c = rng.int(classes);
    y[s * classes + c] = 1;
    for (let i = 0; i < inputs; i++) x[s * inputs + i] = 0.7 * prototypes[c * inputs + i]! + 0.3 * rng.next();
  }
  return { x, y };
}

const fresh = (): MLP => new MLP({ sizes: [...LAYERS], activation: 'relu', output: 'softmax', loss: 'cross-entropy', seed: 1 });

/** Nabla: `train` for one pass over the samples, in order. */
async function runNabla(data: { x: Float32Array; y: Float32Array }, samples: number): Promise<{ samplesPerSecond: number; loss: number }> {
  const net = fresh();
  const x = new Matrix(samples, LAYERS[0], data.x.subarray(0, samples * LAYERS[0]));
  const y = new Matrix(samples, LAYERS[3], data.y.subarray(0, samples * LAYERS[3]));
  const t0 = performance.now();
  const history = await train(net, { x, y }, { epochs: 1, batchSize: BATCH, optimizer: sgd({ learningRate: LEARNING_RATE }), shuffle: false });
  const seconds = (performance.now() - t0) / 1000;
  return { samplesPerSecond: samples / seconds, loss: history.epochs[history.epochs.length - 1]?.loss ?? Number.NaN };
}

/**
 * TensorFlow.js: the same network from Nabla's initial weights (W^k transposed, samples as
 * rows), a loop of optimizer.minimize over the same batches.
 */
async function runTfjs(data: { x: Float32Array; y: Float32Array }, samples: number): Promise<{ samplesPerSecond: number; loss: number }> {
  const vars = fresh()
    .getParameters()
    .map((p) => {
      const { rows, cols } = p.weights;
      const wT = new Float32Array(rows * cols);
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) wT[j * rows + i] = p.weights.data[i * cols + j]!;
      return { w: tf.variable(tf.tensor2d(wT, [cols, rows])), b: tf.variable(tf.tensor1d(Float32Array.from(p.bias))) };
    });
  const logits = (x: tf.Tensor2D): tf.Tensor2D => {
    let h = x;
    vars.forEach((v, i) => {
      h = tf.add(tf.matMul(h, v.w), v.b);
      if (i < vars.length - 1) h = tf.relu(h);
    });
    return h;
  };
  const opt = tf.train.sgd(LEARNING_RATE);
  const [inputs, , , classes] = LAYERS;
  let loss = Number.NaN;
  const t0 = performance.now();
  for (let from = 0; from < samples; from += BATCH) {
    const size = Math.min(BATCH, samples - from);
    const xb = tf.tensor2d(data.x.subarray(from * inputs, (from + size) * inputs), [size, inputs]);
    const yb = tf.tensor2d(data.y.subarray(from * classes, (from + size) * classes), [size, classes]);
    const cost = opt.minimize(() => tf.losses.softmaxCrossEntropy(yb, logits(xb)) as tf.Scalar, true);
    // Reading the loss waits for the step, as Nabla's train has finished its step.
    loss = cost === null ? Number.NaN : cost.dataSync()[0]!;
    tf.dispose(cost === null ? [xb, yb] : [xb, yb, cost]);
  }
  const seconds = (performance.now() - t0) / 1000;
  opt.dispose();
  for (const v of vars) tf.dispose([v.w, v.b]);
  if (!Number.isFinite(loss)) throw new Error(`bench worker: TensorFlow.js's loss is ${loss}`);
  return { samplesPerSecond: samples / seconds, loss };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Nabla's threads: this worker and one more running static/workers/nabla-thread.js. */
const twoThreads = (url: string) => setThreads({ count: 2, spawn: () => new Worker(url, { type: 'module', name: 'nabla-thread' }) });

/**
 * Nabla on two threads: start them, train untimed for 20 batches (fresh worker threads run slower
 * for their first few dozen products), time the run, back to one thread.
 */
async function runNabla2t(data: { x: Float32Array; y: Float32Array }, samples: number, url: string): Promise<{ samplesPerSecond: number; loss: number }> {
  const status = await twoThreads(url);
  try {
    if (status.count !== 2) throw new Error(`bench worker: two threads started, then only ${status.count} (${status.note ?? 'no reason given'})`);
    await runNabla(data, BATCH * 20);
    return await runNabla(data, samples);
  } finally {
    await setThreads({ count: 1 });
  }
}

async function run(msg: StartMessage): Promise<void> {
  const started = performance.now();
  post({ type: 'status', text: 'loading TensorFlow.js wasm backend' });
  setWasmPaths(msg.wasmBase);
  if (!(await tf.setBackend('wasm'))) throw new Error("bench worker: TensorFlow.js's wasm backend failed to initialise");
  await tf.ready();
  const data = makeData(msg.samples);
  post({ type: 'status', text: 'starting Nabla\'s threads' });
  const threads = await twoThreads(msg.threadWorker);
  await setThreads({ count: 1 });
  const nablaThreads = threads.note === undefined ? { count: threads.count } : { count: threads.count, note: threads.note };
  const contestants: Contestant[] = threads.count === 2 ? ['nabla', 'nabla-2t', 'tfjs-wasm'] : ['nabla', 'tfjs-wasm'];
  post({ type: 'status', text: 'warming up' });
  await runNabla(data, BATCH * 5);
  await runTfjs(data, BATCH * 5);
  const runs: Partial<Record<Contestant, number[]>> = {};
  const losses: number[] = [];
  for (let round = 1; round <= msg.rounds; round++) {
    // Each round starts with the next contestant: every one goes first, middle and last as often.
    const order = contestants.map((_, i) => contestants[(i + round - 1) % contestants.length]!);
    for (const name of order) {
      const r = name === 'nabla' ? await runNabla(data, msg.samples) : name === 'nabla-2t' ? await runNabla2t(data, msg.samples, msg.threadWorker) : await runTfjs(data, msg.samples);
      (runs[name] ??= []).push(r.samplesPerSecond);
      if (name !== 'tfjs-wasm') losses.push(r.loss);
      post({ type: 'run', round, name, samplesPerSecond: r.samplesPerSecond, loss: r.loss });
    }
  }
  const medians: Partial<Record<Contestant, number>> = {};
  for (const c of contestants) medians[c] = median(runs[c]!);
  post({
    type: 'done',
    runs,
    medians,
    ratio: medians.nabla! / medians['tfjs-wasm']!,
    ...(medians['nabla-2t'] !== undefined ? { ratio2t: medians['nabla-2t'] / medians['tfjs-wasm']! } : {}),
    nablaThreads,
    sameLoss: losses.every((l) => Object.is(l, losses[0])),
    variant: gemmSimdVariant(),
    tfBackend: tf.getBackend(),
    tfThreads: getThreadsCount(),
    tfVersion: tf.version_core,
    crossOriginIsolated: scope.crossOriginIsolated,
    seconds: (performance.now() - started) / 1000,
  });
}

scope.onmessage = (event: MessageEvent<StartMessage>) => {
  if (event.data.type !== 'start') return;
  run(event.data).catch((e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
};
