// Both cores: Nabla with 1 and 2 threads, interleaved round by round (1 2 1 2 ...), medians.
// GEMM (square n and the shapes of a training step), the threshold below which splitting does
// not pay, and the training epoch of the speed benchmark. Also what a training step reaches as
// a fraction of its GEMMs' own throughput.
import { MLP, Matrix, PARALLEL_MIN_WORK, gemmRaw, sgd, train } from '@nabla/core';
import { residentFloat32, setParallelMinWork } from '@nabla/core/internal';
import { type CrossCoreResult, benchCrossCore } from './cross-core.js';
import { CLASSES, type Digits, INPUTS } from './mnist.js';
import { type Summary, now, summarize } from './stats.js';
import { setThreads } from './threads.js';
import { BATCH, INIT_SEED, LAYERS, LEARNING_RATE } from './train-bench.js';

/**
 * [name, transA, transB, m, n, k] of every GEMM in a training step of LAYERS at batch B, as the
 * engine calls them: activations as columns, except the input batch, which stays as rows (X =
 * g0ᵀ), so layer 1 multiplies by Xᵀ and its weight gradient by X as stored.
 */
export function stepShapes(layers: readonly number[], batch: number): [string, boolean, boolean, number, number, number][] {
  const shapes: [string, boolean, boolean, number, number, number][] = [];
  const L = layers.length - 1;
  for (let k = 1; k <= L; k++) shapes.push([k === 1 ? 'f1 = W1 Xᵀ' : `f${k} = W${k} g${k - 1}`, false, k === 1, layers[k]!, batch, layers[k - 1]!]);
  for (let k = L; k >= 1; k--) {
    shapes.push([k === 1 ? 'dW1 = dF1 X' : `dW${k} = dF${k} g${k - 1}ᵀ`, false, k !== 1, layers[k]!, layers[k - 1]!, batch]);
    if (k > 1) shapes.push([`dG${k - 1} = W${k}ᵀ dF${k}`, true, false, layers[k - 1]!, batch, layers[k]!]);
  }
  return shapes;
}

/** Floating-point operations of the GEMMs of one training step, per sample. */
export function stepFlopPerSample(layers: readonly number[]): number {
  return stepShapes(layers, 1).reduce((s, [, , , m, n, k]) => s + 2 * m * n * k, 0);
}

/**
 * n pseudo-random floats: in an ordinary array (a caller's matrix, copied in and out of the
 * kernel's memory by every product), or resident, in the kernel's shared memory where a
 * network's own parameters, gradients and activations live (read and written in place).
 */
function filled(n: number, seed: number, resident = false): Float32Array {
  const a = (resident ? residentFloat32(n) : null) ?? new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    a[i] = s / 4294967296 - 0.5;
  }
  return a;
}

type Shape = [transA: boolean, transB: boolean, m: number, n: number, k: number];

/** A closure running the GEMMs of `shapes` once each, on fixed operands (resident or a caller's arrays). */
function gemms(shapes: readonly Shape[], resident = false): { run: () => void; flop: number } {
  const ops = shapes.map(([tA, tB, m, n, k], i) => ({ tA, tB, m, n, k, a: filled(m * k, 2 * i + 1, resident), b: filled(k * n, 2 * i + 2, resident), c: filled(m * n, 0, resident) }));
  const flop = shapes.reduce((s, [, , m, n, k]) => s + 2 * m * n * k, 0);
  return {
    flop,
    run: () => {
      for (const o of ops) gemmRaw(o.tA, o.tB, o.m, o.n, o.k, 1, o.a, o.tA ? o.m : o.k, o.b, o.tB ? o.k : o.n, 0, o.c, o.n);
    },
  };
}

/** GFLOP/s of `run` over about `seconds`. */
function rate(w: { run: () => void; flop: number }, seconds: number): number {
  w.run();
  let reps = 1;
  let t = 0;
  for (;;) {
    const t0 = now();
    for (let r = 0; r < reps; r++) w.run();
    t = (now() - t0) / 1000;
    if (t >= seconds) break;
    reps = Math.max(reps * 2, Math.ceil((reps * seconds) / Math.max(t, 1e-6)));
  }
  return (w.flop * reps) / t / 1e9;
}

export interface ThreadsResult {
  rounds: number;
  parallelMinWork: number;
  /** Square GEMMs on a caller's arrays (copied in and out). */
  gemm: { n: number; gflops1: Summary; gflops2: Summary; speedup: Summary }[];
  /** The same on resident operands, as a network's products run; absent without SharedArrayBuffer. */
  gemmResident?: { n: number; gflops1: Summary; gflops2: Summary; speedup: Summary }[];
  threshold: { size: number; work: number; gflops1: Summary; gflops2: Summary; speedup: Summary }[];
  /** The GEMMs of a training step on resident operands (what the step runs; its copies-free throughput). */
  stepGemms: { gflops1: Summary; gflops2: Summary; speedup: Summary };
  /** The same GEMMs on a caller's arrays (copies in and out included), as measured before round six. */
  stepGemmsCopied: { gflops1: Summary; gflops2: Summary; speedup: Summary };
  training: {
    samplesPerSecond1: Summary;
    samplesPerSecond2: Summary;
    speedup: Summary;
    loss1: number;
    loss2: number;
    sameLoss: boolean;
    /** The epoch's median step, µs (its steady state), and 1 thread's over 2 threads'. */
    medianStepUs1: Summary;
    medianStepUs2: Summary;
    stepSpeedup: Summary;
    /** From the call to the end of its first step, ms: the call's setup and a cold first step. */
    firstStepMs1: Summary;
    firstStepMs2: Summary;
    /** What the other steps took beyond the median, summed, ms: the slow tail. */
    tailMs1: Summary;
    tailMs2: Summary;
  };
  /**
   * The epoch's GEMM flop per second over its GEMMs' own GFLOP/s (the target's measure), and the
   * same for the epoch's median step alone (its steady state, without setup and slow tail).
   */
  stepFraction: { threads: number; stepGflops: number; gemmGflops: number; fraction: number; medianStepGflops: number; medianStepFraction: number }[];
  /** Copying 392 KB that the other core has just written against what this one has. */
  crossCore: CrossCoreResult;
}

/**
 * One epoch of `train` on a fresh network, as the training table measures it, with where its
 * time went: the median step (the steady state), the first step (with the call's setup: checks,
 * the copy for the workers, first use of the buffers) and what the other steps took beyond the
 * median (the slow tail: a thread descheduled, a cold cache).
 */
async function trainEpoch(data: Digits): Promise<{ sps: number; loss: number; medianStepUs: number; firstStepMs: number; tailMs: number }> {
  const net = new MLP({ sizes: [...LAYERS], activation: 'relu', output: 'softmax', loss: 'cross-entropy', seed: INIT_SEED });
  const x = new Matrix(data.count, INPUTS, data.x);
  const y = new Matrix(data.count, CLASSES, data.y);
  const ends = new Float64Array(Math.ceil(data.count / BATCH) + 1);
  let steps = 0;
  const t0 = now();
  ends[0] = t0;
  await train(net, { x, y }, { epochs: 1, batchSize: BATCH, optimizer: sgd({ learningRate: LEARNING_RATE }), shuffle: false, onBatchEnd: () => void (ends[++steps] = now()) });
  const sps = data.count / ((now() - t0) / 1000);
  const durations = Array.from({ length: steps - 1 }, (_, i) => ends[i + 2]! - ends[i + 1]!).sort((a, b) => a - b);
  const median = durations[durations.length >> 1]!;
  const tailMs = durations.reduce((sum, d) => sum + d - median, 0);
  return { sps, loss: net.evaluate(x, y).loss, medianStepUs: median * 1000, firstStepMs: ends[1]! - t0, tailMs };
}

export async function benchThreads(data: Digits, quick: boolean, log: (s: string) => void): Promise<ThreadsResult> {
  const rounds = quick ? 3 : 7;
  const seconds = quick ? 0.1 : 0.25;
  const squares = quick ? [256, 512] : [256, 512, 1024];
  const cubes = [32, 48, 64, 80, 96, 128, 160, 192];
  const shapes = stepShapes(LAYERS, BATCH).map(([, tA, tB, m, n, k]) => [tA, tB, m, n, k] as Shape);
  const resident = residentFloat32(1) !== null;
  const step = gemms(shapes, true);
  const stepCopied = gemms(shapes);
  const sq = squares.map((n) => gemms([[false, false, n, n, n]]));
  const sqRes = resident ? squares.map((n) => gemms([[false, false, n, n, n]], true)) : [];
  const cu = cubes.map((n) => gemms([[false, false, n, n, n]]));
  const r = { sq: squares.map(() => [[], []] as number[][]), sqRes: squares.map(() => [[], []] as number[][]), cu: cubes.map(() => [[], []] as number[][]), step: [[], []] as number[][], stepCopied: [[], []] as number[][], train: [[], []] as number[][], stepUs: [[], []] as number[][], firstMs: [[], []] as number[][], tailMs: [[], []] as number[][], loss: [0, 0] };
  await trainEpoch({ ...data, count: BATCH * 20, x: data.x.subarray(0, BATCH * 20 * INPUTS), y: data.y.subarray(0, BATCH * 20 * CLASSES) });
  for (let round = 0; round < rounds; round++) {
    for (const t of [1, 2]) {
      await setThreads(t);
      const i = t - 1;
      sq.forEach((w, s) => r.sq[s]![i]!.push(rate(w, seconds)));
      sqRes.forEach((w, s) => r.sqRes[s]![i]!.push(rate(w, seconds)));
      // Below the default threshold too, to measure where splitting starts to pay.
      setParallelMinWork(0);
      cu.forEach((w, s) => r.cu[s]![i]!.push(rate(w, seconds / 2)));
      setParallelMinWork(undefined);
      r.step[i]!.push(rate(step, seconds));
      r.stepCopied[i]!.push(rate(stepCopied, seconds));
      const e = await trainEpoch(data);
      r.train[i]!.push(e.sps);
      r.stepUs[i]!.push(e.medianStepUs);
      r.firstMs[i]!.push(e.firstStepMs);
      r.tailMs[i]!.push(e.tailMs);
      r.loss[i] = e.loss;
    }
    log(`threads round ${round + 1}/${rounds}: training ${r.train[0]!.at(-1)!.toFixed(0)} vs ${r.train[1]!.at(-1)!.toFixed(0)} samples/s, step GEMMs ${r.step[0]!.at(-1)!.toFixed(1)} vs ${r.step[1]!.at(-1)!.toFixed(1)} GFLOP/s (1 vs 2 threads)`);
  }
  await setThreads(1);
  const crossCore = await benchCrossCore(rounds, quick ? 50 : 200);
  const pair = (a: number[], b: number[]) => ({ gflops1: summarize(a), gflops2: summarize(b), speedup: summarize(a.map((v, i) => b[i]! / v)) });
  const training = {
    samplesPerSecond1: summarize(r.train[0]!),
    samplesPerSecond2: summarize(r.train[1]!),
    speedup: summarize(r.train[0]!.map((v, i) => r.train[1]![i]! / v)),
    loss1: r.loss[0]!,
    loss2: r.loss[1]!,
    sameLoss: r.loss[0] === r.loss[1],
    medianStepUs1: summarize(r.stepUs[0]!),
    medianStepUs2: summarize(r.stepUs[1]!),
    stepSpeedup: summarize(r.stepUs[0]!.map((v, i) => v / r.stepUs[1]![i]!)),
    firstStepMs1: summarize(r.firstMs[0]!),
    firstStepMs2: summarize(r.firstMs[1]!),
    tailMs1: summarize(r.tailMs[0]!),
    tailMs2: summarize(r.tailMs[1]!),
  };
  const stepGemms = pair(r.step[0]!, r.step[1]!);
  const stepGemmsCopied = pair(r.stepCopied[0]!, r.stepCopied[1]!);
  const flopPerSample = stepFlopPerSample(LAYERS);
  const stepFraction = [1, 2].map((t) => {
    const stepGflops = ((t === 1 ? training.samplesPerSecond1 : training.samplesPerSecond2).median * flopPerSample) / 1e9;
    const gemmGflops = (t === 1 ? stepGemms.gflops1 : stepGemms.gflops2).median;
    const medianStepUs = (t === 1 ? training.medianStepUs1 : training.medianStepUs2).median;
    const medianStepGflops = (flopPerSample * BATCH) / (medianStepUs * 1e3);
    return { threads: t, stepGflops, gemmGflops, fraction: stepGflops / gemmGflops, medianStepGflops, medianStepFraction: medianStepGflops / gemmGflops };
  });
  return {
    rounds,
    parallelMinWork: PARALLEL_MIN_WORK,
    gemm: squares.map((n, s) => ({ n, ...pair(r.sq[s]![0]!, r.sq[s]![1]!) })),
    ...(resident ? { gemmResident: squares.map((n, s) => ({ n, ...pair(r.sqRes[s]![0]!, r.sqRes[s]![1]!) })) } : {}),
    threshold: cubes.map((size, s) => ({ size, work: size ** 3, ...pair(r.cu[s]![0]!, r.cu[s]![1]!) })),
    stepGemms,
    stepGemmsCopied,
    training,
    stepFraction,
    crossCore,
  };
}
