/**
 * One configuration of the memory benchmark, run in a fresh Node process started by memory.ts
 * with `node --expose-gc --import tsx src/memory-worker.ts '<config json>'`. It prints one line,
 * `RESULT <json>`, with the engine's own accounting and what the process saw from outside.
 *
 * The baseline is taken after everything that is not activation memory exists: parameters and
 * gradient buffers (allocated by the constructor and written by a tiny-batch warm-up step), the
 * batch-64 workspace (the dG ping-pong pair and the transposed y), the GEMM kernels' scratch, the
 * schedule, the optimiser and the input batch.
 * The pool keeps its activation buffers after a step, so the growth of
 * `process.memoryUsage().arrayBuffers` across the first full-batch step is the pool, which
 * equals the peak when every width is equal.
 */
import { MLP, gemmRaw, simulateSchedule } from '@nabla/core';
import { engineOf } from '@nabla/core/internal';
import { buildNetwork, median, resetPeakRss, settle, strategyOf } from './memory-common.js';
import type { WorkerConfig, WorkerResult } from './memory-types.js';

function arrayBuffers(): number {
  return process.memoryUsage().arrayBuffers;
}

function rss(): number {
  return process.memoryUsage.rss();
}

/** Peak resident set size so far, in bytes (resourceUsage reports KiB). */
function maxRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

async function run(config: WorkerConfig): Promise<WorkerResult> {
  const { depth: L, width, batch } = config;
  const tSetup = performance.now();
  const strategy = strategyOf(config.strategy, config.budget);
  const bytesPer = 4;
  const { engine, x, y, slots, opt } = buildNetwork(L, width, batch);
  const schedule = engine.schedule(strategy, 'memory-worker');
  const sim = simulateSchedule(L, schedule, new Array<number>(L + 1).fill(width));

  // The full-batch workspace (dL/dg pair and y) first: the tiny warm-up batch below then works in
  // it, so the baseline holds exactly one workspace.
  const beforeReserve = arrayBuffers();
  engine.reserve(batch);
  const workspaceBytes = arrayBuffers() - beforeReserve;
  // Warm-up on the same network with a tiny batch: compiles every code path (forward, backward,
  // the schedule executor, the optimiser) and writes every gradient buffer, so their pages are
  // resident before the baseline. Its pool buffers have another length and are never reused by
  // the full batch; they stay in the baseline.
  const warmBatch = 4;
  const tWarm = performance.now();
  for (let s = 0; s < 2; s++) {
    engine.computeGradients({ x, y, from: 0, size: warmBatch }, schedule);
    opt.step(slots);
  }
  const msWarmup = performance.now() - tWarm;
  const msSetup = tWarm - tSetup;

  // Any scratch the GEMM kernels keep (they grow it to the largest shape seen), and compiled
  // code for the full-batch shapes: a two-layer network of the same width trains a few steps on
  // the full batch. It stays referenced to the end, so the memory it freed or allocated is not
  // reused by the measured network's pool.
  const side = new MLP({ sizes: [width, width, width], dtype: 'float32', seed: 3 });
  const sideEngine = engineOf(side);
  const sideSchedule = sideEngine.schedule('none', 'memory-worker');
  for (let s = 0; s < 3; s++) sideEngine.computeGradients({ x, y, from: 0, size: batch }, sideSchedule);
  const scratch = [new Float32Array(width * width), new Float32Array(width * batch), new Float32Array(width * batch), new Float32Array(width * width)] as const;
  {
    const [a, b, c, w] = scratch;
    gemmRaw(false, false, width, batch, width, 1, a, width, b, batch, 0, c, batch);
    gemmRaw(false, true, width, width, batch, 1, c, batch, b, batch, 0, w, width);
    gemmRaw(true, false, width, batch, width, 1, a, width, c, batch, 0, b, batch);
  }

  // The baseline holds the workspace reserved above and no activation. Checked below: the
  // reserve grew arrayBuffers by the workspace exactly, and the first step's peak equals the
  // schedule's.
  await settle();
  const peakReset = resetPeakRss();
  const base = { arrayBuffers: arrayBuffers(), rss: rss(), maxRss: maxRss() };

  const ms: number[] = [];
  const msGradients: number[] = [];
  let afterFirst = { arrayBuffers: 0, rss: 0 };
  let stats: WorkerResult['stats'] | undefined;
  let statsStable = true;
  let loss = Number.NaN;
  let timed = 0;
  for (let s = 0; s < config.maxSteps && (s < config.minSteps || timed < config.budgetMs); s++) {
    const t0 = performance.now();
    const r = engine.computeGradients({ x, y, from: 0, size: batch }, schedule);
    const t1 = performance.now();
    opt.step(slots);
    const t2 = performance.now();
    ms.push(t2 - t0);
    timed += t2 - t0;
    msGradients.push(t1 - t0);
    loss = r.loss;
    if (stats === undefined) {
      stats = r.stats;
      await settle();
      afterFirst = { arrayBuffers: arrayBuffers(), rss: rss() };
    } else if (
      r.stats.peakActivationBytes !== stats.peakActivationBytes ||
      r.stats.peakActivations !== stats.peakActivations ||
      r.stats.forwardEvaluations !== stats.forwardEvaluations
    ) {
      statsStable = false;
    }
  }
  await settle();
  const end = { arrayBuffers: arrayBuffers(), rss: rss(), maxRss: maxRss() };
  if (stats === undefined) throw new Error('memory-worker: steps must be >= 1');

  return {
    config,
    stats,
    statsStable,
    schedulePeakActivations: sim.peakActivations,
    schedulePeakBytes: sim.peakUnits * batch * bytesPer,
    scheduleForwardEvaluations: sim.forwardEvaluations,
    workspaceBytes,
    expectedWorkspaceBytes: (2 * width * batch + width * batch) * bytesPer,
    baseline: base,
    peakReset,
    measuredBytes: afterFirst.arrayBuffers - base.arrayBuffers,
    arrayBuffersGrowthAfterFirstStep: end.arrayBuffers - afterFirst.arrayBuffers,
    measuredRssBytes: end.maxRss - base.maxRss,
    rssAfterFirstStepBytes: afterFirst.rss - base.rss,
    msPerStep: median(ms),
    msGradients: median(msGradients),
    msAll: ms,
    msWarmup,
    msSetup,
    loss,
    keptAlive: side.depth + scratch.length,
  };
}

const arg = process.argv[2];
if (arg === undefined) throw new Error('memory-worker: pass the configuration as JSON');
const result = await run(JSON.parse(arg) as WorkerConfig);
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
