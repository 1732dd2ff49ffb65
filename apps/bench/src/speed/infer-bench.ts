import { MLP, Matrix } from '@nabla/core';
import brain from 'brain.js';
import { setGemmBackend } from './core-internals.js';
import { CLASSES, type Digits, INPUTS } from './mnist.js';
import { now } from './stats.js';
import { setThreads } from './threads.js';
import { TfMlp, type TfBackend, tf, useBackend } from './tfjs.js';
import { INIT_SEED, LAYERS } from './train-bench.js';

/**
 * Every contestant starts each round with untimed calls, at least 3 and for at least 50 ms, after
 * switching its backend, threads or model: a round measures the steady state. Freshly spawned
 * worker threads need it most: right after `useThreads`, batch-256 predictions with two threads
 * took 1.3-2 ms for the first 15-80 calls and 0.8 ms after that (one thread: 1.27 ms), seen
 * call by call on this machine; which part of the start-up costs this was not isolated.
 */
export function warmUp(call: () => void): void {
  const t0 = now();
  for (let i = 0; i < 3 || now() - t0 < 50; i++) call();
}

/** An inference contestant: `run(batch, samples)` returns samples per second of predictions. */
export interface InferContestant {
  readonly name: string;
  readonly note: string;
  run(batch: number, samples: number): Promise<number>;
}

export function nablaInfer(data: Digits, threads = 1): InferContestant {
  const net = new MLP({ sizes: [...LAYERS], seed: INIT_SEED });
  return {
    name: threads === 1 ? 'nabla' : `nabla-${threads}t`,
    note: `predict(Matrix) with softmax, GEMM backend auto, ${threads === 1 ? 'one thread' : `useThreads({ count: ${threads} })`}`,
    async run(batch, samples) {
      setGemmBackend('auto');
      await setThreads(threads);
      const views: Matrix[] = [];
      for (let from = 0; from + batch <= samples; from += batch) views.push(new Matrix(batch, INPUTS, data.x.subarray(from * INPUTS, (from + batch) * INPUTS)));
      let w = 0;
      warmUp(() => net.predict(views[w++ % views.length]!));
      const t0 = now();
      for (const v of views) net.predict(v);
      const rate = (views.length * batch) / ((now() - t0) / 1000);
      await setThreads(1);
      return rate;
    },
  };
}

export function tfjsInfer(data: Digits, backend: TfBackend): InferContestant {
  const init = new MLP({ sizes: [...LAYERS], seed: INIT_SEED }).getParameters();
  let model: TfMlp | undefined;
  return {
    name: `tfjs-${backend}`,
    note: 'tidy(softmax(logits(tensor2d(x)))).dataSync()',
    async run(batch, samples) {
      await useBackend(backend);
      model?.dispose();
      model = new TfMlp(init.map((p) => ({ weights: p.weights, bias: p.bias })));
      const m = model;
      const predict = (from: number): void => {
        const out = tf.tidy(() => tf.softmax(m.logits(tf.tensor2d(data.x.subarray(from * INPUTS, (from + batch) * INPUTS), [batch, INPUTS]))));
        out.dataSync();
        out.dispose();
      };
      warmUp(() => predict(0));
      let done = 0;
      const t0 = now();
      for (let from = 0; from + batch <= samples; from += batch) {
        predict(from);
        done += batch;
      }
      return done / ((now() - t0) / 1000);
    },
  };
}

export function brainInfer(data: Digits): InferContestant {
  const Net = (brain as unknown as { NeuralNetwork: new (o: Record<string, unknown>) => { train: (d: unknown, o: unknown) => unknown; run: (x: number[]) => unknown } }).NeuralNetwork;
  const net = new Net({ hiddenLayers: [128, 64], activation: 'sigmoid' });
  // brain.js sizes its layers on the first train call: one sample, one iteration.
  net.train([{ input: Array.from(data.x.subarray(0, INPUTS)), output: Array.from(data.y.subarray(0, CLASSES)) }], { iterations: 1, log: false });
  const rows: number[][] = [];
  for (let i = 0; i < data.count; i++) rows.push(Array.from(data.x.subarray(i * INPUTS, (i + 1) * INPUTS)));
  return {
    name: 'brain.js',
    note: 'run(sample) per sample (no batched inference); sigmoid outputs',
    async run(batch, samples) {
      warmUp(() => {
        for (let j = 0; j < batch; j++) net.run(rows[j]!);
      });
      let done = 0;
      const t0 = now();
      for (let from = 0; from + batch <= samples; from += batch) {
        for (let j = 0; j < batch; j++) net.run(rows[from + j]!);
        done += batch;
      }
      return done / ((now() - t0) / 1000);
    },
  };
}
