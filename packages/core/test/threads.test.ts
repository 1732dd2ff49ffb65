import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, DivergenceError, MLP, Matrix, type Optimizer, PARALLEL_MIN_WORK, Random, adam, gemmRaw, momentum, nesterov, setThreadsPaused, sgd, threadCount, threadsPaused, train, useThreads } from '../src/index.js';
import { PARALLEL_MIN_UPDATE, engineOf, setParallelMinWork } from '../src/internal.js';
import { isResident, residentFloat32 } from '../src/matrix/simd/resident.js';
import { updateSimd } from '../src/matrix/simd/gemm-simd.js';
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

const optimizers: [string, () => Optimizer][] = [
  ['sgd + weight decay', () => sgd({ learningRate: 0.05, weightDecay: 0.01 })],
  ['momentum', () => momentum({ learningRate: 0.02 })],
  ['nesterov', () => nesterov({ learningRate: 0.02, weightDecay: 0.001 })],
  ['adam', () => adam({ learningRate: 0.003 })],
];

/**
 * Parameters after a short training with each optimiser (the first layer's update, 256 x 300,
 * is split among threads), then what a learning rate of 1e30 leaves: the divergence error and
 * the parameters from before the step that overflowed.
 */
async function updateResults(): Promise<(Float32Array | string)[]> {
  const rng = new Random(6);
  const x = Array.from({ length: 64 }, () => Array.from({ length: 300 }, () => rng.normal()));
  const y = Array.from({ length: 64 }, (_, i) => Array.from({ length: 10 }, (_, j) => (j === i % 10 ? 1 : 0)));
  const out: (Float32Array | string)[] = [];
  for (const [, make] of optimizers) {
    const net = new MLP({ sizes: [300, 256, 10], activation: 'relu', seed: 4 });
    expect(256 * 300).toBeGreaterThanOrEqual(PARALLEL_MIN_UPDATE);
    // dW1 at batch 32 is a split product (an update is split only after one)
    expect(256 * 300 * 32).toBeGreaterThanOrEqual(PARALLEL_MIN_WORK);
    expect(isResident(engineOf(net).slots[0]!.param as Float32Array)).toBe(true);
    await train(net, { x, y }, { epochs: 2, batchSize: 32, optimizer: make(), shuffle: true });
    for (const p of net.getParameters()) out.push(p.weights.data as Float32Array, p.bias as Float32Array);
  }
  const net = new MLP({ sizes: [300, 256, 10], activation: 'relu', seed: 4 });
  const error = await train(net, { x, y }, { epochs: 3, batchSize: 32, optimizer: sgd({ learningRate: 1e30 }) }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DivergenceError);
  out.push((error as Error).message);
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

  it('splits optimiser updates among 2 and 3 threads with bit-identical parameters, divergence included', async () => {
    expect((await useThreads({ count: 1 })).count).toBe(1);
    const one = await updateResults();
    for (const count of [2, 3]) {
      expect(await useThreads({ count, spawn, startTimeoutMs: 60_000 })).toEqual({ count });
      const many = await updateResults();
      expect(many.length).toBe(one.length);
      many.forEach((r, i) => {
        if (typeof r === 'string') expect(r).toBe(one[i]);
        else expect(sameBits(r, one[i] as Float32Array), `array ${i}, ${count} threads`).toBe(true);
      });
    }
    await useThreads({ count: 1 });
  });

  it('a split update reports a parameter overflowing in any thread’s range', async () => {
    expect(await useThreads({ count: 2, spawn, startTimeoutMs: 60_000 })).toEqual({ count: 2 });
    // g as a split product writes it (an update is split only then): 128 x 520 x 32 of zeros.
    const [rows, cols, k] = [128, 520, 32];
    const n = rows * cols;
    expect(n).toBeGreaterThanOrEqual(2 * PARALLEL_MIN_UPDATE);
    expect(rows * cols * k).toBeGreaterThanOrEqual(PARALLEL_MIN_WORK);
    const args = { lr: 10, lambda: 0, a: 0, b: 0, c1: 0, c2: 0, eps: 0 };
    for (const at of [0, n >> 1, n - 1]) {
      const p = residentFloat32(n)!;
      const g = residentFloat32(n)!;
      gemmRaw(false, false, rows, cols, k, 1, new Float32Array(rows * k), k, new Float32Array(k * cols), cols, 0, g, cols);
      g[at] = -3e38;
      expect(updateSimd(0, p, g, undefined, undefined, args), `overflow at ${at}`).toBe(false);
      expect(p[at]).toBe(Number.POSITIVE_INFINITY);
      g[at] = 1;
      p[at] = 0;
      expect(updateSimd(0, p, g, undefined, undefined, args), `finite, ${at}`).toBe(true);
      expect(p[at]).toBe(-10);
    }
    await useThreads({ count: 1 });
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

describe('with threads, a worker gathers each next batch while a step runs', () => {
  // 203 samples in batches of 48: four full batches and one of 11, so the last "next" is smaller.
  const rng = new Random(12);
  const x = new Matrix(203, 40, random(rng, 203 * 40));
  const y = new Matrix(203, 3, Float32Array.from({ length: 203 * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0)));
  const epochs = 3;
  const batches = Math.ceil(203 / 48);

  async function run(options: { lr?: number; onBatchEnd?: (batch: number, epoch: number) => void } = {}) {
    const net = new MLP({ sizes: [40, 24, 16, 3], activation: 'relu', dropout: [0.1, 0], seed: 3 });
    const outcome = await train(net, { x, y }, {
      epochs,
      batchSize: 48,
      optimizer: momentum({ learningRate: options.lr ?? 0.05 }),
      checkpoint: { every: 2 },
      onBatchEnd: (e) => options.onBatchEnd?.(e.batch, e.epoch),
    }).catch((e: unknown) => e);
    const params = net.getParameters().flatMap((p) => [p.weights.data as Float32Array, p.bias as Float32Array]);
    return { outcome, params, ahead: engineOf(net).batchesGatheredAhead };
  }

  function expectSame(a: Float32Array[], b: Float32Array[], what: string): void {
    expect(a.length).toBe(b.length);
    a.forEach((p, i) => expect(sameBits(p, b[i]!), `${what}: parameter array ${i}`).toBe(true));
  }

  it('gives the same bits as one thread, and takes over every batch but an epoch’s first', async () => {
    expect((await useThreads({ count: 1 })).count).toBe(1);
    const one = await run();
    expect(one.ahead).toBe(0);
    for (const count of [2, 3]) {
      expect(await useThreads({ count, spawn, startTimeoutMs: 60_000 })).toEqual({ count });
      const many = await run();
      expect(many.ahead, `${count} threads`).toBe(epochs * (batches - 1));
      expectSame(many.params, one.params, `${count} threads`);
    }
    await useThreads({ count: 1 });
  });

  it('loses nothing when training diverges with a batch being gathered, nor when threads stop mid-epoch', async () => {
    expect((await useThreads({ count: 1 })).count).toBe(1);
    const diverged1 = await run({ lr: 1e30 });
    const plain1 = await run();
    expect(diverged1.outcome).toBeInstanceOf(DivergenceError);
    expect(await useThreads({ count: 2, spawn, startTimeoutMs: 60_000 })).toEqual({ count: 2 });
    const diverged2 = await run({ lr: 1e30 });
    expect(diverged2.outcome).toBeInstanceOf(DivergenceError);
    expect((diverged2.outcome as Error).message).toBe((diverged1.outcome as Error).message);
    // past an epoch's first batch, so the next one was being gathered when it failed
    expect((diverged2.outcome as DivergenceError).batch).toBeGreaterThan(1);
    expectSame(diverged2.params, diverged1.params, 'diverged');
    // The next run starts clean: nothing left of the batch gathered when the last one failed.
    const after = await run();
    expectSame(after.params, plain1.params, 'after a divergence');
    // Threads stopped from a callback while the next batch is being gathered: the run goes on,
    // on one thread, with that batch.
    const stopped = await run({ onBatchEnd: (b, e) => void (e === 1 && b === 2 ? useThreads({ count: 1 }) : undefined) });
    expect(threadCount()).toBe(1);
    expect(stopped.ahead).toBe(2);
    expectSame(stopped.params, plain1.params, 'threads stopped mid-epoch');
  });

  it('paused from a callback, hands the workers nothing until resumed, with the same bits', async () => {
    expect((await useThreads({ count: 1 })).count).toBe(1);
    const one = await run();
    setThreadsPaused(true);
    expect(threadsPaused(), 'no effect without workers').toBe(false);
    expect(() => setThreadsPaused('yes' as unknown as boolean)).toThrow(/setThreadsPaused: pause must be true or false, got yes/);
    expect(await useThreads({ count: 2, spawn, startTimeoutMs: 60_000 })).toEqual({ count: 2 });
    // Paused after epoch 1's second batch, while the third is being gathered (that one is
    // finished and used), resumed after epoch 2's second: gathered ahead are epoch 1's batches
    // 2 and 3, epoch 2's 4 and 5, and every batch of epoch 3 but its first.
    const states: boolean[] = [];
    const toggled = await run({
      onBatchEnd: (b, e) => {
        if (e === 1 && b === 2) setThreadsPaused(true);
        if (e === 2 && b === 2) setThreadsPaused(false);
        states.push(threadsPaused());
      },
    });
    expect(states.filter(Boolean).length).toBe(batches);
    expect(toggled.ahead).toBe(2 + 2 + (batches - 1));
    expectSame(toggled.params, one.params, 'paused and resumed');
    // Paused for a whole run: nothing gathered ahead; useThreads resumes.
    setThreadsPaused(true);
    const idle = await run();
    expect(idle.ahead).toBe(0);
    expectSame(idle.params, one.params, 'paused throughout');
    expect(await useThreads({ count: 2, spawn, startTimeoutMs: 60_000 })).toEqual({ count: 2 });
    expect(threadsPaused()).toBe(false);
    expect((await run()).ahead).toBe(epochs * (batches - 1));
    await useThreads({ count: 1 });
  });

  it("threads: 'auto' times steps with the workers paused and not, with the same bits, and leaves them as it found them", async () => {
    // 203 samples in batches of 4, 3 epochs: 153 steps, the last of each epoch of 3 samples.
    const fit = async (threads?: 'all' | 'auto') => {
      const net = new MLP({ sizes: [40, 24, 16, 3], activation: 'relu', seed: 3 });
      const h = await train(net, { x, y }, { epochs: 3, batchSize: 4, optimizer: momentum({ learningRate: 0.05 }), ...(threads ? { threads } : {}) });
      return { h, params: net.getParameters().flatMap((p) => [p.weights.data as Float32Array, p.bias as Float32Array]) };
    };
    expect((await useThreads({ count: 1 })).count).toBe(1);
    const one = await fit('auto');
    expect(one.h.autoThreads, 'no workers: nothing to choose').toBeUndefined();
    await expect(fit('some' as 'auto')).rejects.toThrow(/train: threads must be 'all' or 'auto', got "some"/);
    expect(await useThreads({ count: 2, spawn, startTimeoutMs: 60_000 })).toEqual({ count: 2 });
    for (const before of [false, true]) {
      setThreadsPaused(before);
      const auto = await fit('auto');
      const a = auto.h.autoThreads!;
      expect(a.stepsTwo + a.stepsOne).toBe(153);
      // 24 warm-up steps with the workers, then blocks of 12 on each: both ran, both were timed
      expect(a.stepsTwo).toBeGreaterThanOrEqual(24 + 36);
      expect(a.stepsOne).toBeGreaterThanOrEqual(36);
      expect(a.lastMedianStepMs!.two).toBeGreaterThan(0);
      expect(a.lastMedianStepMs!.one).toBeGreaterThan(0);
      expect(threadsPaused(), 'as found').toBe(before);
      expectSame(auto.params, one.params, `auto, paused before: ${before}`);
    }
    setThreadsPaused(false);
    const all = await fit('all');
    expect(all.h.autoThreads).toBeUndefined();
    expectSame(all.params, one.params, 'all');
    await useThreads({ count: 1 });
  });

  it('rejects a non-finite x from the copy made for the workers, naming the element, and changes nothing', async () => {
    const bad = x.clone();
    bad.data[150 * 40 + 17] = Number.NaN;
    for (const count of [1, 2]) {
      expect(await useThreads(count === 1 ? { count } : { count, spawn, startTimeoutMs: 60_000 })).toEqual({ count });
      const net = new MLP({ sizes: [40, 24, 16, 3], activation: 'relu', dropout: [0.1, 0], seed: 3 });
      const before = net.getParameters().flatMap((p) => [(p.weights.data as Float32Array).slice(), (p.bias as Float32Array).slice()]);
      await expect(train(net, { x: bad, y }, { epochs: 1, batchSize: 48 }), `${count} threads`).rejects.toThrow(/^train: x: row 150, column 17 is NaN; inputs must be finite$/);
      const params = net.getParameters().flatMap((p) => [p.weights.data as Float32Array, p.bias as Float32Array]);
      expectSame(params, before, `${count} threads: parameters after the rejected run`);
      expect(engineOf(net).kernel, `${count} threads: no run recorded`).toBeUndefined();
    }
    // The region of the rejected copy is free again: the next run trains as one thread does.
    const again = await run();
    await useThreads({ count: 1 });
    const one = await run();
    expectSame(again.params, one.params, 'the run after a rejected one');
  });
});
