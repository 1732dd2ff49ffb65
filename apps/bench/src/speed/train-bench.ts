import { execFileSync } from 'node:child_process';
import { MLP, Matrix, sgd, train } from '@nabla/core';
import brain from 'brain.js';
import { type GemmBackend, gemmSimdVariant, setGemmBackend } from './core-internals.js';
import { CLASSES, type Digits, INPUTS } from './mnist.js';
import { cpuSeconds, now } from './stats.js';
import { TfMlp, type TfBackend, tf, useBackend } from './tfjs.js';

export const LAYERS = [INPUTS, 128, 64, CLASSES] as const;
export const BATCH = 64;
export const LEARNING_RATE = 0.1;
export const INIT_SEED = 1;

/** One epoch's outcome: time and the quality reached. */
export interface EpochResult {
  readonly seconds: number;
  readonly samplesPerSecond: number;
  /** Samples per CPU second of this process (user + system). */
  readonly samplesPerCpuSecond: number;
  /** Mean softmax cross-entropy over the 10,000 digits after the epoch (NaN where it does not apply). */
  readonly loss: number;
  /** Accuracy over the 10,000 digits after the epoch. */
  readonly accuracy: number;
}

export interface TrainContestant {
  readonly name: string;
  readonly config: string;
  /** Train a fresh network for `samples` samples (a whole epoch or a warm-up slice). */
  run(samples: number): Promise<EpochResult>;
}

export function freshNabla(): MLP {
  return new MLP({ sizes: [...LAYERS], activation: 'relu', output: 'softmax', loss: 'cross-entropy', seed: INIT_SEED });
}

/** Evaluate parameters in Nabla's layout with Nabla's evaluate: one metric for everyone. */
export function evaluateParams(data: Digits, params: { weights: number[][] | Matrix; bias: ArrayLike<number> }[]): { loss: number; accuracy: number } {
  const net = freshNabla();
  net.setParameters(params);
  const e = net.evaluate(new Matrix(data.count, INPUTS, data.x), new Matrix(data.count, CLASSES, data.y));
  return { loss: e.loss, accuracy: e.accuracy ?? Number.NaN };
}

export function nablaContestant(data: Digits, backend: GemmBackend, name: string): TrainContestant {
  return {
    name,
    config: `train() one epoch, SGD lr ${LEARNING_RATE}, batch ${BATCH}, float32, GEMM backend '${backend}'${backend === 'js' ? '' : ` (kernel ${gemmSimdVariant()})`}`,
    async run(samples) {
      setGemmBackend(backend);
      const net = freshNabla();
      const x = new Matrix(samples, INPUTS, data.x.subarray(0, samples * INPUTS));
      const y = new Matrix(samples, CLASSES, data.y.subarray(0, samples * CLASSES));
      const t0 = now();
      const c0 = cpuSeconds();
      await train(net, { x, y }, { epochs: 1, batchSize: BATCH, optimizer: sgd({ learningRate: LEARNING_RATE }), shuffle: false });
      const seconds = (now() - t0) / 1000;
      const cpu = cpuSeconds() - c0;
      setGemmBackend('auto');
      const e = net.evaluate(new Matrix(data.count, INPUTS, data.x), new Matrix(data.count, CLASSES, data.y));
      return { seconds, samplesPerSecond: samples / seconds, samplesPerCpuSecond: samples / cpu, loss: e.loss, accuracy: e.accuracy ?? Number.NaN };
    },
  };
}

export function tfjsContestant(data: Digits, backend: TfBackend): TrainContestant {
  return {
    name: `tfjs-${backend}`,
    config: `manual loop: optimizer.minimize(softmaxCrossEntropy), SGD lr ${LEARNING_RATE}, batch ${BATCH}, Nabla's initial weights`,
    async run(samples) {
      await useBackend(backend);
      const model = new TfMlp(freshNabla().getParameters().map((p) => ({ weights: p.weights, bias: p.bias })));
      const opt = tf.train.sgd(LEARNING_RATE);
      const t0 = now();
      const c0 = cpuSeconds();
      for (let from = 0; from < samples; from += BATCH) {
        const size = Math.min(BATCH, samples - from);
        const xb = tf.tensor2d(data.x.subarray(from * INPUTS, (from + size) * INPUTS), [size, INPUTS]);
        const yb = tf.tensor2d(data.y.subarray(from * CLASSES, (from + size) * CLASSES), [size, CLASSES]);
        const cost = opt.minimize(() => tf.losses.softmaxCrossEntropy(yb, model.logits(xb)) as tf.Scalar, true);
        if (cost === null || !Number.isFinite(cost.dataSync()[0]!)) throw new Error(`tfjs-${backend}: loss is not finite`);
        tf.dispose([xb, yb, cost]);
      }
      const seconds = (now() - t0) / 1000;
      const cpu = cpuSeconds() - c0;
      const params = model.toParams();
      model.dispose();
      opt.dispose();
      const e = evaluateParams(data, params);
      return { seconds, samplesPerSecond: samples / seconds, samplesPerCpuSecond: samples / cpu, ...e };
    },
  };
}

interface BrainNet {
  train(data: { input: number[]; output: number[] }[], options: Record<string, unknown>): { error: number; iterations: number };
  run(input: number[]): ArrayLike<number>;
}

export function brainContestant(data: Digits): TrainContestant {
  const rows: { input: number[]; output: number[] }[] = [];
  for (let i = 0; i < data.count; i++) {
    rows.push({
      input: Array.from(data.x.subarray(i * INPUTS, (i + 1) * INPUTS)),
      output: Array.from(data.y.subarray(i * CLASSES, (i + 1) * CLASSES)),
    });
  }
  return {
    name: 'brain.js',
    config:
      'closest configuration: brain.js 1.6.1 has no mini-batches and no softmax: per-sample SGD (lr 0.3, momentum 0.1, its defaults), sigmoid on every layer, mean squared error, its own initialisation',
    async run(samples) {
      const Net = (brain as unknown as { NeuralNetwork: new (o: Record<string, unknown>) => BrainNet }).NeuralNetwork;
      const net = new Net({ hiddenLayers: [128, 64], activation: 'sigmoid' });
      const t0 = now();
      const c0 = cpuSeconds();
      net.train(rows.slice(0, samples), { iterations: 1, errorThresh: 1e-6, log: false, learningRate: 0.3 });
      const seconds = (now() - t0) / 1000;
      const cpu = cpuSeconds() - c0;
      let correct = 0;
      for (let i = 0; i < data.count; i++) {
        const out = net.run(rows[i]!.input);
        let best = 0;
        for (let c = 1; c < CLASSES; c++) if (out[c]! > out[best]!) best = c;
        if (best === data.labels[i]) correct++;
      }
      return { seconds, samplesPerSecond: samples / seconds, samplesPerCpuSecond: samples / cpu, loss: Number.NaN, accuracy: correct / data.count };
    },
  };
}

/**
 * Nabla in a fresh child process per run with a chosen kernel variant (fixed per process), so
 * simd128 and relaxed (FMA) are compared on equal terms: its own warm-up, time measured inside it.
 */
export function nablaChildContestant(childScript: string, name: string, variant: 'simd128' | 'relaxed'): TrainContestant {
  return {
    name,
    config: `train() one epoch, SGD lr ${LEARNING_RATE}, batch ${BATCH}, float32, GEMM backend 'auto', fresh child process per run, kernel ${variant}`,
    async run(samples) {
      const env = { ...process.env, NABLA_RELAXED_SIMD: variant === 'relaxed' ? '1' : '0' };
      const out = execFileSync(process.execPath, ['--import', 'tsx', childScript, String(samples)], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'inherit'] });
      const r = JSON.parse(out.trim().split('\n').pop()!) as EpochResult & { variant: string | null };
      if (r.variant !== variant) throw new Error(`${name}: the child process ran the '${String(r.variant)}' kernel, expected '${variant}'`);
      return r;
    },
  };
}
