// Steady-state allocation of Nabla training steps, run by speed.ts in a fresh child process per
// configuration with --expose-gc: ArrayBuffer bytes (process.memoryUsage().arrayBuffers, which
// also counts the WebAssembly kernel's memory) before and after 100 steps that follow a warm-up.
// Usage: node --expose-gc --import tsx src/speed-alloc.ts auto|js|threads|control. Prints one JSON line.
// threads: the SIMD kernel split among 2 threads (the shared memory and the workers' messages count too).
import { MLP, Matrix, sgd } from '@nabla/core';
import { engineOf, trainingRows } from '@nabla/core/internal';
import { setGemmBackend } from './speed/core-internals.js';
import { CLASSES, INPUTS, loadDigits } from './speed/mnist.js';
import { setThreads } from './speed/threads.js';
import { BATCH, INIT_SEED, LAYERS, LEARNING_RATE } from './speed/train-bench.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('speed-alloc: run with node --expose-gc');

const STEPS = 100;
const WARMUP = 20;

/** Full collection, then a turn of the event loop so freed backing stores are accounted. */
async function settle(): Promise<number> {
  gc!();
  await new Promise((resolve) => setImmediate(resolve));
  gc!();
  await new Promise((resolve) => setImmediate(resolve));
  return process.memoryUsage().arrayBuffers;
}

async function measure(backend: 'auto' | 'js', control: boolean): Promise<{ bytes: number; bytesNoGc: number; gatheredAhead: number }> {
  setGemmBackend(backend);
  const data = loadDigits();
  const x = new Matrix(data.count, INPUTS, data.x);
  const y = new Matrix(data.count, CLASSES, data.y);
  const net = new MLP({ sizes: [...LAYERS], seed: INIT_SEED });
  const engine = engineOf(net);
  const schedule = engine.schedule('none', 'speed-alloc');
  const slots = engine.slots;
  const opt = sgd({ learningRate: LEARNING_RATE });
  const kept: Float32Array[] = [];
  // The training set as train() steps through it: with threads, copied into their memory, and
  // each next batch gathered by a worker during the step.
  const rows = trainingRows(x);
  const batches = Math.floor(data.count / BATCH);
  // One training step of train(): gradients on the batch, the next one named, then the optimiser update.
  const step = (s: number): void => {
    const from = (s % batches) * BATCH;
    engine.computeGradients({ x: rows.x, y, order: rows.order, from, size: BATCH }, schedule, undefined, { from: ((s + 1) % batches) * BATCH, size: BATCH });
    opt.step(slots);
    if (control) kept.push(new Float32Array(1024));
  };
  for (let s = 0; s < WARMUP; s++) step(s);
  const before = await settle();
  for (let s = WARMUP; s < WARMUP + STEPS; s++) step(s);
  const afterNoGc = process.memoryUsage().arrayBuffers;
  const after = await settle();
  if (kept.length < 0) console.log(kept.length);
  const gatheredAhead = engine.batchesGatheredAhead;
  engine.dropAhead();
  rows.release();
  return { bytes: after - before, bytesNoGc: afterNoGc - before, gatheredAhead };
}

const mode = process.argv[2] ?? 'auto';
if (mode !== 'auto' && mode !== 'js' && mode !== 'threads' && mode !== 'control') throw new Error(`speed-alloc: mode must be auto, js, threads or control, got ${mode}`);
if (mode === 'threads') await setThreads(2);
const result = {
  mode,
  steps: STEPS,
  warmupSteps: WARMUP,
  ...(await measure(mode === 'js' ? 'js' : 'auto', mode === 'control')),
};
console.log(JSON.stringify(result));
