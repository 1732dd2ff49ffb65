// How cost grows: training and inference throughput against the hidden width (784-W-W-10,
// batch 64) and the batch size (784-128-64-10), for Nabla on 1 and 2 threads, TensorFlow.js
// (wasm) and NumPy on one OpenBLAS thread. Random data (speed only; the speed section checks
// the losses). Rounds interleave the contestants point by point (NumPy: one process per round
// over all points). Samples/s and GFLOP/s (the GEMM flop of a step or a forward pass).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MLP, Matrix, sgd, train } from '@nabla/core';
import { type Summary, now, summarize } from './stats.js';
import { setThreads } from './threads.js';
import { stepFlopPerSample } from './threads-bench.js';
import { TfMlp, tf, useBackend } from './tfjs.js';

export interface SweepPoint {
  readonly axis: 'width' | 'batch';
  readonly value: number;
  readonly sizes: number[];
  readonly batch: number;
  readonly trainSamples: number;
  readonly inferSamples: number;
}

export interface SweepRow extends SweepPoint {
  readonly contestant: string;
  readonly train: Summary;
  readonly infer: Summary;
  readonly trainGflops: number;
  readonly inferGflops: number;
}

const script = join(dirname(fileURLToPath(import.meta.url)), 'numpy_sweep.py');
export const WIDTHS = [64, 128, 256, 512, 1024, 2048];
export const BATCHES = [1, 4, 16, 64, 256, 1024];

function parameters(sizes: readonly number[]): number {
  let p = 0;
  for (let k = 1; k < sizes.length; k++) p += sizes[k]! * (sizes[k - 1]! + 1);
  return p;
}

/** Samples for about `seconds` of training at ~20 GFLOP/s: whole batches, at least two, at most 20,000. */
function samplesFor(sizes: readonly number[], batch: number, seconds: number, cheaper: number): number {
  const s = (seconds * 20e9 * cheaper) / (6 * parameters(sizes));
  return Math.max(2 * batch, Math.min(20_000, Math.round(s / batch) * batch));
}

export function sweepPoints(quick: boolean): SweepPoint[] {
  const seconds = quick ? 0.05 : 0.15;
  const widths = quick ? [64, 512, 2048] : WIDTHS;
  const batches = quick ? [1, 64, 1024] : BATCHES;
  return [
    ...widths.map((w) => ({ axis: 'width' as const, value: w, sizes: [784, w, w, 10], batch: 64 })),
    ...batches.map((b) => ({ axis: 'batch' as const, value: b, sizes: [784, 128, 64, 10], batch: b })),
  ].map((p) => ({ ...p, trainSamples: samplesFor(p.sizes, p.batch, seconds, 1), inferSamples: samplesFor(p.sizes, p.batch, seconds, 3) }));
}

function random(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    a[i] = s / 4294967296;
  }
  return a;
}

interface Data {
  x: Float32Array;
  y: Float32Array;
  count: number;
}

function dataFor(p: SweepPoint): Data {
  const count = Math.max(p.trainSamples, p.inferSamples);
  const y = new Float32Array(count * 10);
  for (let i = 0; i < count; i++) y[i * 10 + ((i * 7) % 10)] = 1;
  return { x: random(count * 784, 7), y, count };
}

async function nabla(p: SweepPoint, d: Data): Promise<{ train: number; infer: number }> {
  const net = new MLP({ sizes: p.sizes, activation: 'relu', seed: 1 });
  const x = new Matrix(p.trainSamples, 784, d.x.subarray(0, p.trainSamples * 784));
  const y = new Matrix(p.trainSamples, 10, d.y.subarray(0, p.trainSamples * 10));
  let t0 = now();
  await train(net, { x, y }, { epochs: 1, batchSize: p.batch, optimizer: sgd({ learningRate: 0.01 }), shuffle: false });
  const trainRate = p.trainSamples / ((now() - t0) / 1000);
  const views: Matrix[] = [];
  for (let from = 0; from + p.batch <= p.inferSamples; from += p.batch) views.push(new Matrix(p.batch, 784, d.x.subarray(from * 784, (from + p.batch) * 784)));
  t0 = now();
  for (const v of views) net.predict(v);
  return { train: trainRate, infer: (views.length * p.batch) / ((now() - t0) / 1000) };
}

async function tfjsWasm(p: SweepPoint, d: Data): Promise<{ train: number; infer: number }> {
  await useBackend('wasm');
  const init = new MLP({ sizes: p.sizes, activation: 'relu', seed: 1 }).getParameters();
  const model = new TfMlp(init.map((l) => ({ weights: l.weights, bias: l.bias })));
  const opt = tf.train.sgd(0.01);
  let t0 = now();
  for (let from = 0; from < p.trainSamples; from += p.batch) {
    const size = Math.min(p.batch, p.trainSamples - from);
    const xb = tf.tensor2d(d.x.subarray(from * 784, (from + size) * 784), [size, 784]);
    const yb = tf.tensor2d(d.y.subarray(from * 10, (from + size) * 10), [size, 10]);
    const cost = opt.minimize(() => tf.losses.softmaxCrossEntropy(yb, model.logits(xb)) as tf.Scalar, true);
    cost?.dataSync();
    tf.dispose([xb, yb, cost ?? []]);
  }
  const trainRate = p.trainSamples / ((now() - t0) / 1000);
  let done = 0;
  t0 = now();
  for (let from = 0; from + p.batch <= p.inferSamples; from += p.batch) {
    const out = tf.tidy(() => tf.softmax(model.logits(tf.tensor2d(d.x.subarray(from * 784, (from + p.batch) * 784), [p.batch, 784]))));
    out.dataSync();
    out.dispose();
    done += p.batch;
  }
  const inferRate = done / ((now() - t0) / 1000);
  model.dispose();
  opt.dispose();
  return { train: trainRate, infer: inferRate };
}

function numpyRound(points: readonly SweepPoint[], dir: string): { train: number; infer: number }[] {
  const file = join(dir, 'points.json');
  writeFileSync(file, JSON.stringify(points.map((p) => ({ sizes: p.sizes, batch: p.batch, trainSamples: p.trainSamples, inferSamples: p.inferSamples }))));
  const out = execFileSync('python3', [script, file], { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop()!) as { train: number; infer: number }[];
}

export async function benchSweep(quick: boolean, numpy: boolean, log: (s: string) => void): Promise<{ rounds: number; points: SweepPoint[]; results: SweepRow[] }> {
  const rounds = quick ? 1 : 3;
  const points = sweepPoints(quick);
  const names = ['nabla-1t', 'nabla-2t', 'tfjs-wasm', ...(numpy ? ['numpy-1t'] : [])];
  const runs = points.map(() => names.map(() => ({ train: [] as number[], infer: [] as number[] })));
  const dir = mkdtempSync(join(tmpdir(), 'nabla-sweep-'));
  try {
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < points.length; i++) {
        const p = points[i]!;
        const d = dataFor(p);
        for (const t of [1, 2]) {
          await setThreads(t);
          if (r === 0) await nabla({ ...p, trainSamples: 2 * p.batch, inferSamples: 2 * p.batch }, d); // warm-up
          const res = await nabla(p, d);
          runs[i]![t - 1]!.train.push(res.train);
          runs[i]![t - 1]!.infer.push(res.infer);
        }
        await setThreads(1);
        if (r === 0) await tfjsWasm({ ...p, trainSamples: 2 * p.batch, inferSamples: 2 * p.batch }, d);
        const tw = await tfjsWasm(p, d);
        runs[i]![2]!.train.push(tw.train);
        runs[i]![2]!.infer.push(tw.infer);
      }
      if (numpy) numpyRound(points, dir).forEach((res, i) => {
        runs[i]![3]!.train.push(res.train);
        runs[i]![3]!.infer.push(res.infer);
      });
      log(`sweep round ${r + 1}/${rounds} done`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await setThreads(1);
  }
  const results: SweepRow[] = [];
  points.forEach((p, i) => {
    const trainFlop = stepFlopPerSample(p.sizes);
    let inferFlop = 0; // the forward GEMMs: 2 sum n_k n_{k-1}
    for (let k = 1; k < p.sizes.length; k++) inferFlop += 2 * p.sizes[k]! * p.sizes[k - 1]!;
    names.forEach((name, c) => {
      const train = summarize(runs[i]![c]!.train);
      const infer = summarize(runs[i]![c]!.infer);
      results.push({ ...p, contestant: name, train, infer, trainGflops: (train.median * trainFlop) / 1e9, inferGflops: (infer.median * inferFlop) / 1e9 });
    });
  });
  return { rounds, points, results };
}
