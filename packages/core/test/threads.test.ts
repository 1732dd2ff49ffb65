import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, MLP, PARALLEL_MIN_WORK, Random, gemmRaw, sgd, threadCount, train, useThreads } from '../src/index.js';
import { setParallelMinWork } from '../src/internal.js';
import { sameBits, spawnTestWorker } from './helpers.js';

// Workers run the built worker side (dist/thread-worker.js); turbo builds before it tests.
const spawn = spawnTestWorker;

afterAll(() => useThreads({ count: 1 }));

function random(rng: Random, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform(-1, 1);
  return a;
}

// Shapes with edge tiles, both splits, and more threads than panels; each is split whatever the
// default threshold (runCases lowers it to 0).
const cases = [
  { tA: false, tB: false, m: 128, n: 64, k: 784, alpha: 1, beta: 0 },
  { tA: false, tB: true, m: 128, n: 784, k: 64, alpha: 1, beta: 0 },
  { tA: true, tB: false, m: 784, n: 64, k: 128, alpha: 1, beta: 0 },
  { tA: true, tB: true, m: 67, n: 93, k: 129, alpha: -0.5, beta: 0.75 },
  { tA: false, tB: false, m: 5, n: 301, k: 200, alpha: 2.25, beta: 1 },
  { tA: false, tB: true, m: 301, n: 6, k: 200, alpha: 1, beta: -1.5 },
  { tA: true, tB: false, m: 257, n: 255, k: 300, alpha: 1, beta: 0 },
];

/** C of every case under the current thread count, every case split. */
function runCases(): Float32Array[] {
  setParallelMinWork(0);
  try {
    return cases.map(runCase);
  } finally {
    setParallelMinWork(undefined);
  }
}

function runCase(cs: (typeof cases)[number], i: number): Float32Array {
    const { tA, tB, m, n, k, alpha, beta } = cs;
    const rng = new Random(100 + i);
    const a = random(rng, m * k);
    const b = random(rng, k * n);
    const c = random(rng, m * n);
    gemmRaw(tA, tB, m, n, k, alpha, a, tA ? m : k, b, tB ? k : n, beta, c, n);
    return c;
}

/**
 * Gradients of a training step, store-all and checkpointed, and parameters after a short training,
 * at the default threshold: the first two layers' products (256 x 64 x 300, 128 x 64 x 256) reach it.
 */
async function stepResults(): Promise<Float32Array[]> {
  const rng = new Random(5);
  const x = Array.from({ length: 64 }, () => Array.from({ length: 300 }, () => rng.normal()));
  const y = Array.from({ length: 64 }, (_, i) => Array.from({ length: 10 }, (_, j) => (j === i % 10 ? 1 : 0)));
  expect(128 * 64 * 256).toBeGreaterThanOrEqual(PARALLEL_MIN_WORK);
  const net = new MLP({ sizes: [300, 256, 128, 64, 10], activation: 'relu', seed: 9 });
  const out: Float32Array[] = [];
  for (const checkpoint of ['none', { every: 2 }, { budget: 1 }] as const) {
    const g = net.gradients(x, y, { checkpoint, training: true, dropoutSeed: 1 });
    for (const l of g.layers) out.push(l.weights.data as Float32Array, l.bias as Float32Array);
  }
  await train(net, { x, y }, { epochs: 2, batchSize: 32, optimizer: sgd({ learningRate: 0.05 }), shuffle: true });
  for (const p of net.getParameters()) out.push(p.weights.data as Float32Array);
  return out;
}

describe('useThreads({ count, spawn })', () => {
  it('splits GEMMs and training steps among 1, 2 and 3 threads with bit-identical results', async () => {
    expect((await useThreads({ count: 1 })).count).toBe(1);
    const gemm1 = runCases();
    const step1 = await stepResults();
    for (const count of [2, 3]) {
      const status = await useThreads({ count, spawn, startTimeoutMs: 60_000 });
      expect(status).toEqual({ count });
      expect(threadCount()).toBe(count);
      runCases().forEach((c, i) => expect(sameBits(c, gemm1[i]!), `gemm case ${i}, ${count} threads`).toBe(true));
      (await stepResults()).forEach((g, i) => expect(sameBits(g, step1[i]!), `step array ${i}, ${count} threads`).toBe(true));
    }
    // store-all and checkpointed gradients agree exactly under threads too
    const n = step1.length - 4;
    const perStrategy = n / 3;
    for (let i = 0; i < perStrategy; i++) {
      expect(sameBits(step1[i]!, step1[perStrategy + i]!)).toBe(true);
      expect(sameBits(step1[i]!, step1[2 * perStrategy + i]!)).toBe(true);
    }
    expect(await useThreads({ count: 1 })).toEqual({ count: 1 });
    expect(threadCount()).toBe(1);
  });

  it('falls back to one thread, with a note, when the workers never start', async () => {
    const silent = (): Worker => {
      const w = new Worker('require("node:worker_threads").parentPort.once("message", () => {})', { eval: true });
      w.unref();
      return w;
    };
    const status = await useThreads({ count: 2, spawn: silent, startTimeoutMs: 300 });
    expect(status.count).toBe(1);
    expect(status.note).toMatch(/1 of 1 workers did not start within 300 ms/);
    expect(threadCount()).toBe(1);
  });

  it.each([[0], [9], [1.5], ['2']])('rejects count %j, naming the range', async (count) => {
    await expect(useThreads({ count: count as number, spawn })).rejects.toThrow(ConfigError);
    await expect(useThreads({ count: count as number, spawn })).rejects.toThrow(/useThreads: count must be an integer from 1 to 8/);
  });

  it('rejects count 2 without spawn', async () => {
    await expect(useThreads({ count: 2 })).rejects.toThrow(/useThreads: count 2 needs spawn\(index\)/);
  });
});
