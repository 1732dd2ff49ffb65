// Over 400 lines: the one runner that interleaves every contestant and section (peak, GEMM, threads, training, inference, allocation, sweeps) and writes the results files; each measurement lives in src/speed/.
// Side-by-side speed benchmark: Nabla against NumPy, TensorFlow.js (cpu and wasm backends) and brain.js.
// Every contestant runs in this one process, interleaved round by round (A B C A B C ...) after
// a warm-up; the table gives medians with min–max. Writes results/speed.json, and the sweeps
// results/sweep.json with their charts (results/sweep-*.svg).
//
//   pnpm bench:speed                 full run, every section (about 7 minutes on 2 cores)
//   pnpm bench:speed --quick         fewer rounds and sizes, for a smoke test
//   pnpm bench:speed --only=peak,gemm,threads,train,infer,alloc,sweep   some sections only
//   pnpm bench:speed --only=sweep    width and batch sweeps alone (about 2 minutes), writes sweep.json and the charts
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gemmSimdVariant } from './speed/core-internals.js';
import { type GemmContestant, gflops, nablaGemm, tfjsGemm } from './speed/gemm-bench.js';
import { type InferContestant, brainInfer, nablaInfer, tfjsInfer } from './speed/infer-bench.js';
import { writeSweepCharts } from './speed/sweep-plot.js';
import { loadDigits } from './speed/mnist.js';
import { METHOD, type PeakVariant, peakKernel, timePeak } from './speed/peak.js';
import { numpyContestant, numpyWorkdir, probeNumpy } from './speed/numpy-bench.js';
import { type Summary, cell, fmt, markdownTable, now, summarize, table } from './speed/stats.js';
import { tfVersion } from './speed/tfjs.js';
import { benchSweep } from './speed/sweep.js';
import { type ThreadsResult, benchThreads } from './speed/threads-bench.js';
import { BATCH, LAYERS, LEARNING_RATE, type TrainContestant, brainContestant, nablaChildContestant, nablaContestant, tfjsContestant } from './speed/train-bench.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.find((a) => a.startsWith('--only='));
const only = new Set((onlyArg?.slice('--only='.length) ?? 'peak,gemm,threads,train,infer,alloc,sweep').split(','));
const here = dirname(fileURLToPath(import.meta.url));

/** Version of a devDependency of this workspace, from its package.json. */
function version(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(join(here, '..', 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

const log = (s: string): void => console.log(s);
const markdown: string[] = [];

// ------------------------------------------------------------------------------------------------
// 0. Peak: the platform's limit (WebAssembly SIMD128 on one core, with and without FMA)

interface PeakRow {
  variant: PeakVariant;
  available: boolean;
  note: string;
  iterations: number;
  gflops?: Summary;
  gflopsCpu?: Summary;
}

async function benchPeak(): Promise<{ rounds: number; method: string; results: PeakRow[] }> {
  const rounds = quick ? 3 : 7;
  const kernels = await Promise.all((['simd128', 'relaxed'] as const).map((v) => peakKernel(v)));
  const live = kernels.flatMap((k) => ('run' in k ? [{ k, iters: 0, wall: [] as number[], cpu: [] as number[] }] : []));
  for (const x of live) {
    x.k.run(10_000); // compile and warm up
    const t0 = now();
    x.k.run(200_000);
    const t = Math.max((now() - t0) / 1000, 1e-6);
    x.iters = Math.ceil((200_000 * 0.2) / t); // about 0.2 s per timed call
  }
  for (let r = 0; r < rounds; r++) {
    for (const x of live) {
      const g = timePeak(x.k, x.iters);
      x.wall.push(g.wall);
      x.cpu.push(g.cpu);
    }
  }
  const results: PeakRow[] = kernels.map((k) => {
    const x = live.find((l) => l.k === k);
    const op = k.variant === 'relaxed' ? 'f32x4.relaxed_madd (fused multiply-add)' : 'f32x4.mul + f32x4.add';
    if (x === undefined) return { variant: k.variant, available: false, note: 'unavailable' in k ? k.unavailable : '', iterations: 0 };
    return { variant: k.variant, available: true, note: op, iterations: x.iters, gflops: summarize(x.wall), gflopsCpu: summarize(x.cpu) };
  });
  const method = `mul + add: ${METHOD.simd128}; FMA: ${METHOD.relaxed}; 2 flop per lane per multiply-add`;
  const header = ['variant', 'operation', 'GFLOP/s (median, min–max)', 'GFLOP per CPU second'];
  const rows = results.map((r) => [r.variant, r.available ? r.note : `not measured: ${r.note}`, r.gflops ? cell(r.gflops) : 'n/a', r.gflopsCpu ? fmt(r.gflopsCpu.median) : 'n/a']);
  log(`\nPeak WebAssembly SIMD throughput, ${rounds} interleaved rounds (${method})\n${table(header, rows)}\n`);
  markdown.push(`### Peak of the platform: WebAssembly SIMD, one core (${rounds} rounds)\n\n${method}.\n\n${markdownTable(header, rows)}`);
  return { rounds, method, results };
}

/** Measured peak GFLOP/s (median) of a variant, if it ran. */
function peakOf(peak: Awaited<ReturnType<typeof benchPeak>> | undefined, variant: PeakVariant | null): number | undefined {
  return peak?.results.find((r) => r.variant === variant && r.available)?.gflops?.median;
}

// ------------------------------------------------------------------------------------------------
// 1. GEMM

interface GemmRow {
  name: string;
  dtype: string;
  n: number;
  reps: number;
  /** GFLOP per wall-clock second. */
  gflops: Summary;
  /** GFLOP per CPU second of this process. */
  gflopsCpu: Summary;
}

async function benchGemm(peak: Awaited<ReturnType<typeof benchPeak>> | undefined): Promise<{ sizes: number[]; rounds: number; results: GemmRow[]; fractionOfPeak: { name: string; peakVariant: PeakVariant; n: number; fraction: number }[] }> {
  const sizes = quick ? [128, 512] : [128, 256, 512, 1024];
  const rounds = quick ? 3 : 5;
  const contestants: GemmContestant[] = [
    nablaGemm('nabla-ts', 'js', 'float32'),
    nablaGemm('nabla-ts-f64', 'js', 'float64'),
    nablaGemm('nabla-simd', 'simd', 'float32'),
    nablaGemm('nabla-simd-resident', 'simd', 'float32', true),
    tfjsGemm('cpu'),
    tfjsGemm('wasm'),
  ];
  const results: GemmRow[] = [];
  for (const n of sizes) {
    const runs: { c: GemmContestant; run: () => void; reps: number; values: number[]; cpu: number[] }[] = [];
    for (const c of contestants) {
      const run = await c.prepare(n);
      await c.enter();
      run(); // warm-up, and an estimate of the time per call
      const t0 = now();
      run();
      const t = (now() - t0) / 1000;
      runs.push({ c, run, reps: Math.max(1, Math.min(2000, Math.ceil(0.25 / Math.max(t, 1e-6)))), values: [], cpu: [] });
    }
    for (let r = 0; r < rounds; r++) {
      for (const x of runs) {
        await x.c.enter();
        const g = gflops(x.run, n, x.reps);
        x.values.push(g.wall);
        x.cpu.push(g.cpu);
      }
    }
    for (const x of runs) {
      x.c.release();
      results.push({ name: x.c.name, dtype: x.c.dtype, n, reps: x.reps, gflops: summarize(x.values), gflopsCpu: summarize(x.cpu) });
    }
    log(`gemm n=${n}: ${runs.map((x) => `${x.c.name} ${fmt(summarize(x.values).median)}`).join(', ')} GFLOP/s`);
  }
  const names = [...new Set(results.map((r) => r.name))];
  const header = ['GFLOP/s (median, min–max)', ...sizes.map((n) => `n = ${n}`)];
  const rows = names.map((name) => {
    const dtype = results.find((r) => r.name === name)!.dtype;
    return [`${name} (${dtype})`, ...sizes.map((n) => cell(results.find((r) => r.name === name && r.n === n)!.gflops))];
  });
  const cpuHeader = ['GFLOP per CPU second (median)', ...sizes.map((n) => `n = ${n}`)];
  const cpuRows = names.map((name) => [name, ...sizes.map((n) => fmt(results.find((r) => r.name === name && r.n === n)!.gflopsCpu.median))]);
  // Every SIMD GEMM figure as a fraction of the measured peak of the variant it runs on: Nabla's
  // kernel on gemmSimdVariant(); TensorFlow.js's wasm backend against both peaks (its kernels are
  // its own; 4.22 ships SIMD128 builds).
  const variant = gemmSimdVariant();
  const fractionRows: string[][] = [];
  const fractions: { name: string; peakVariant: PeakVariant; n: number; fraction: number }[] = [];
  const addFraction = (name: string, pv: PeakVariant, label: string): void => {
    const p = peakOf(peak, pv);
    if (p === undefined || !names.includes(name)) return;
    fractionRows.push([
      label,
      ...sizes.map((n) => {
        const f = results.find((r) => r.name === name && r.n === n)!.gflops.median / p;
        fractions.push({ name, peakVariant: pv, n, fraction: f });
        return `${(100 * f).toFixed(0)}%`;
      }),
    ]);
  };
  if (variant !== null) addFraction('nabla-simd', variant, `nabla-simd (runs ${variant}) / ${variant} peak`);
  if (variant !== null) addFraction('nabla-simd-resident', variant, `nabla-simd-resident (runs ${variant}) / ${variant} peak`);
  addFraction('tfjs-wasm', 'simd128', 'tfjs-wasm / simd128 peak');
  addFraction('tfjs-wasm', 'relaxed', 'tfjs-wasm / relaxed peak');
  const fractionHeader = ['fraction of measured peak (medians)', ...sizes.map((n) => `n = ${n}`)];
  const fractionText = fractionRows.length > 0 ? `\n\n${table(fractionHeader, fractionRows)}` : '\n\n(no peak measured: run without --only or include peak)';
  log(`\nGEMM C = A B, square, ${rounds} interleaved rounds\n${table(header, rows)}\n\n${table(cpuHeader, cpuRows)}${fractionText}\n`);
  markdown.push(
    `### GEMM, C = A B, square n x n (GFLOP/s, ${rounds} rounds)\n\n${markdownTable(header, rows)}\n\nThe same runs per CPU second of the process (robust to time-slicing on a busy machine):\n\n${markdownTable(cpuHeader, cpuRows)}${
      fractionRows.length > 0 ? `\n\nAs a fraction of the measured peak (section above) of the variant in use:\n\n${markdownTable(fractionHeader, fractionRows)}` : ''
    }`,
  );
  return { sizes, rounds, results, fractionOfPeak: fractions };
}

// ------------------------------------------------------------------------------------------------
// 1b. Both cores: 1 vs 2 threads

async function runThreads(data: ReturnType<typeof loadDigits>): Promise<ThreadsResult> {
  const t = await benchThreads(data, quick, log);
  const sp = (x: Summary): string => `${fmt(x.median)}x (${fmt(x.min)}–${fmt(x.max)})`;
  const header = ['1 vs 2 threads (medians of per-round ratios)', '1 thread', '2 threads', '2 / 1'];
  const rows = [
    ...t.gemm.map((g) => [`GEMM n = ${g.n}, a caller's arrays, GFLOP/s`, cell(g.gflops1), cell(g.gflops2), sp(g.speedup)]),
    ...(t.gemmResident ?? []).map((g) => [`GEMM n = ${g.n}, resident operands, GFLOP/s`, cell(g.gflops1), cell(g.gflops2), sp(g.speedup)]),
    [`the ${LAYERS.join('-')} step's GEMMs (batch ${BATCH}), resident, GFLOP/s`, cell(t.stepGemms.gflops1), cell(t.stepGemms.gflops2), sp(t.stepGemms.speedup)],
    [`the same GEMMs on a caller's arrays, GFLOP/s`, cell(t.stepGemmsCopied.gflops1), cell(t.stepGemmsCopied.gflops2), sp(t.stepGemmsCopied.speedup)],
    ['training epoch, samples/s', cell(t.training.samplesPerSecond1), cell(t.training.samplesPerSecond2), sp(t.training.speedup)],
    ["the epoch's median step, µs (2 / 1: the speed-up)", cell(t.training.medianStepUs1), cell(t.training.medianStepUs2), sp(t.training.stepSpeedup)],
    ["the epoch's first step from the call (setup included), ms", cell(t.training.firstStepMs1), cell(t.training.firstStepMs2), ''],
    ["the other steps' time beyond the median, summed, ms", cell(t.training.tailMs1), cell(t.training.tailMs2), ''],
  ];
  const thHeader = ['GEMM n x n x n (split whatever the size)', ...t.threshold.map((x) => `n = ${x.size}`)];
  const thRows = [
    ['1 thread, GFLOP/s', ...t.threshold.map((x) => fmt(x.gflops1.median))],
    ['2 threads, GFLOP/s', ...t.threshold.map((x) => fmt(x.gflops2.median))],
    ['2 / 1', ...t.threshold.map((x) => fmt(x.speedup.median))],
  ];
  const frHeader = ['threads', 'training step GFLOP/s (GEMM flop x samples/s)', "its GEMMs alone, GFLOP/s", 'step / GEMMs'];
  const frRows = t.stepFraction.map((f) => [String(f.threads), fmt(f.stepGflops), fmt(f.gemmGflops), `${(100 * f.fraction).toFixed(0)}%`]);
  // The same for the epoch's median step alone (its steady state): not the target's measure, which is the whole epoch.
  for (const f of t.stepFraction) frRows.push([`${f.threads}, the median step only`, fmt(f.medianStepGflops), fmt(f.gemmGflops), `${(100 * f.medianStepFraction).toFixed(0)}%`]);
  const note = `Threshold in core: m n k >= ${t.parallelMinWork} (${Math.round(Math.cbrt(t.parallelMinWork))}^3) is split. Loss after the epoch: ${t.training.loss1} (1 thread), ${t.training.loss2} (2 threads)${t.training.sameLoss ? ', identical' : ', DIFFERENT'}.`;
  const x = t.crossCore;
  const xcNote = `Copying ${fmt(x.bytes / 1024)} KB (W1 of the network) out of a shared buffer: ${cell(x.sameCore)} GB/s when this core has just written it, ${cell(x.crossCore)} GB/s when the other core has: ${fmt(x.slowdown.median)}x slower (${fmt(x.slowdown.min)}–${fmt(x.slowdown.max)}). A split product moves its operands and result between the cores at the second rate.`;
  log(`\nBoth cores, ${t.rounds} interleaved rounds\n${table(header, rows)}\n\n${table(thHeader, thRows)}\n\n${table(frHeader, frRows)}\n${note}\n${xcNote}\n`);
  markdown.push(
    `### Both cores: 1 vs 2 threads (${t.rounds} interleaved rounds)\n\n${markdownTable(header, rows)}\n\nWhere splitting pays (square GEMMs, split below the threshold too):\n\n${markdownTable(thHeader, thRows)}\n\nA training step as a fraction of its GEMMs' own throughput:\n\n${markdownTable(frHeader, frRows)}\n\n${note}\n\nBetween the cores: ${xcNote}`,
  );
  return t;
}

// ------------------------------------------------------------------------------------------------
// 2. Training

interface TrainRow {
  name: string;
  config: string;
  samplesPerSecond: Summary;
  samplesPerCpuSecond: Summary;
  seconds: Summary;
  loss: Summary;
  accuracy: Summary;
}

async function benchTrain(data: ReturnType<typeof loadDigits>): Promise<{ rounds: number; results: TrainRow[] }> {
  const rounds = quick ? 2 : 3;
  const contestants: TrainContestant[] = [
    nablaContestant(data, 'auto', 'nabla'),
    // Where relaxed SIMD is available, both kernel variants, each in fresh child processes (the
    // variant is fixed per process; children also keep the comparison free of this process's state).
    ...(gemmSimdVariant() === 'relaxed'
      ? [nablaChildContestant(join(here, 'speed-nabla-child.ts'), 'nabla-child-relaxed', 'relaxed'), nablaChildContestant(join(here, 'speed-nabla-child.ts'), 'nabla-child-simd128', 'simd128')]
      : []),
    nablaContestant(data, 'js', 'nabla-ts'),
    tfjsContestant(data, 'cpu'),
    tfjsContestant(data, 'wasm'),
    brainContestant(data),
  ];
  // The seed's approach (NumPy + OpenBLAS), in its own processes: 1 and 2 OpenBLAS threads.
  const work = numpy.ok ? numpyWorkdir(data) : undefined;
  if (work !== undefined) contestants.push(numpyContestant(data, work.dir, 1), numpyContestant(data, work.dir, 2));
  else log(`train: NumPy contestant SKIPPED: ${numpy.ok ? '' : numpy.reason}; the benchmark goes on without it`);
  for (const c of contestants) await c.run(BATCH * 20); // warm-up: 20 batches
  const runs = contestants.map(() => [] as Awaited<ReturnType<TrainContestant['run']>>[]);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < contestants.length; i++) {
      const res = await contestants[i]!.run(data.count);
      runs[i]!.push(res);
      log(`train round ${r + 1}: ${contestants[i]!.name} ${fmt(res.samplesPerSecond)} samples/s, loss ${fmt(res.loss, 4)}, accuracy ${fmt(res.accuracy, 4)}`);
    }
  }
  const results = contestants.map((c, i) => ({
    name: c.name,
    config: c.config,
    samplesPerSecond: summarize(runs[i]!.map((x) => x.samplesPerSecond)),
    samplesPerCpuSecond: summarize(runs[i]!.map((x) => x.samplesPerCpuSecond)),
    seconds: summarize(runs[i]!.map((x) => x.seconds)),
    loss: summarize(runs[i]!.map((x) => x.loss)),
    accuracy: summarize(runs[i]!.map((x) => x.accuracy)),
  }));
  work?.dispose();
  const header = ['contestant', 'samples/s (median, min–max)', 'samples per CPU second', 'loss after epoch', 'accuracy after epoch'];
  const rows = results.map((r) => [r.name, cell(r.samplesPerSecond), fmt(r.samplesPerCpuSecond.median), Number.isNaN(r.loss.median) ? 'n/a (MSE, sigmoid)' : fmt(r.loss.median, 4), fmt(r.accuracy.median, 4)]);
  log(`\nTraining ${LAYERS.join('-')}, batch ${BATCH}, SGD lr ${LEARNING_RATE}, one epoch over ${data.count} MNIST digits, ${rounds} rounds\n${table(header, rows)}\n`);
  markdown.push(
    `### Training ${LAYERS.join('-')} (relu, softmax + cross-entropy), batch ${BATCH}, SGD lr ${LEARNING_RATE}, one epoch over ${data.count} MNIST digits (${rounds} rounds)\n\n${markdownTable(header, rows)}\n\n${results.map((r) => `- **${r.name}**: ${r.config}`).join('\n')}`,
  );
  return { rounds, results };
}

// ------------------------------------------------------------------------------------------------
// 3. Inference

async function benchInfer(data: ReturnType<typeof loadDigits>): Promise<{ rounds: number; results: { name: string; note: string; batch: number; samples: number; samplesPerSecond: Summary }[] }> {
  const rounds = quick ? 3 : 5;
  const contestants: InferContestant[] = [nablaInfer(data), nablaInfer(data, 2), tfjsInfer(data, 'cpu'), tfjsInfer(data, 'wasm'), brainInfer(data)];
  const results: { name: string; note: string; batch: number; samples: number; samplesPerSecond: Summary }[] = [];
  for (const [batch, samples] of [
    [1, quick ? 300 : 1000],
    [256, quick ? 2560 : data.count],
  ] as const) {
    for (const c of contestants) await c.run(batch, Math.min(samples, batch * 10)); // warm-up
    const values = contestants.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) for (let i = 0; i < contestants.length; i++) values[i]!.push(await contestants[i]!.run(batch, samples));
    contestants.forEach((c, i) => results.push({ name: c.name, note: c.note, batch, samples, samplesPerSecond: summarize(values[i]!) }));
  }
  const header = ['contestant', 'batch 1: samples/s', 'batch 256: samples/s'];
  const rows = contestants.map((c) => [
    c.name,
    cell(results.find((r) => r.name === c.name && r.batch === 1)!.samplesPerSecond),
    cell(results.find((r) => r.name === c.name && r.batch === 256)!.samplesPerSecond),
  ]);
  log(`\nInference ${LAYERS.join('-')}, ${rounds} rounds\n${table(header, rows)}\n`);
  markdown.push(`### Inference, same network (samples/s, ${rounds} rounds)\n\n${markdownTable(header, rows)}\n\n${contestants.map((c) => `- **${c.name}**: ${c.note}`).join('\n')}`);
  return { rounds, results };
}

// ------------------------------------------------------------------------------------------------
// 4. Allocation (child process with --expose-gc)

function benchAlloc(): unknown {
  const run = (mode: string): { bytes: number; bytesNoGc: number; gatheredAhead: number } => {
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, 'speed-alloc.ts'), mode], { encoding: 'utf8' });
    return JSON.parse(out.trim().split('\n').pop()!) as { bytes: number; bytesNoGc: number; gatheredAhead: number };
  };
  const result = {
    method:
      'process.memoryUsage().arrayBuffers change over 100 steps (_computeGradients with the next batch named, as train does, + sgd.step) after 20 warm-up steps, full gc before and after; one fresh process per row; bytesNoGc: before the final gc; gatheredAhead: steps whose batch a worker had gathered',
    simd: run('auto'),
    js: run('js'),
    threads: run('threads'),
    control: { ...run('control'), note: 'same steps plus one new Float32Array(1024) kept per step: expect 409,600 bytes' },
  };
  const header = ['100 steady-state training steps', 'ArrayBuffer bytes (after gc)', 'before the final gc', 'batches a worker gathered'];
  const rows = [
    ['nabla, SIMD kernel', String(result.simd.bytes), String(result.simd.bytesNoGc), String(result.simd.gatheredAhead)],
    ['nabla, TS kernel', String(result.js.bytes), String(result.js.bytesNoGc), String(result.js.gatheredAhead)],
    ['nabla, SIMD kernel, 2 threads', String(result.threads.bytes), String(result.threads.bytesNoGc), String(result.threads.gatheredAhead)],
    ['control: + one Float32Array(1024) per step', String(result.control.bytes), '(expect 409,600)', ''],
  ];
  log(`\nSteady-state allocation\n${table(header, rows)}\n`);
  markdown.push(`### Steady-state allocation (process.memoryUsage().arrayBuffers, --expose-gc)\n\n${markdownTable(header, rows)}`);
  return result;
}

// ------------------------------------------------------------------------------------------------
// 5. Sweeps (own results file)

async function runSweep(): Promise<void> {
  const s = await benchSweep(quick, numpy.ok, log);
  const names = Array.from(new Set(s.results.map((r) => r.contestant)));
  const tables: string[] = [];
  for (const axis of ['width', 'batch'] as const) {
    const pts = s.points.filter((p) => p.axis === axis);
    const label = axis === 'width' ? 'hidden width W (784-W-W-10, batch 64)' : 'batch (784-128-64-10)';
    for (const [what, key, gkey] of [
      ['training', 'train', 'trainGflops'],
      ['inference', 'infer', 'inferGflops'],
    ] as const) {
      const header = [`${what}: samples/s (GFLOP/s) by ${label}`, ...pts.map((p) => String(p.value))];
      const rows = names.map((n) => [
        n,
        ...pts.map((p) => {
          const r = s.results.find((x) => x.contestant === n && x.axis === axis && x.value === p.value)!;
          return `${fmt(r[key].median)} (${fmt(r[gkey], 2)})`;
        }),
      ]);
      log(`\n${table(header, rows)}`);
      tables.push(markdownTable(header, rows));
    }
  }
  markdown.push(`### Sweeps (${s.rounds} rounds, medians)\n\n${tables.join('\n\n')}`);
  const out = { benchmark: 'sweep', date: new Date().toISOString(), command: `pnpm bench:speed ${args.join(' ')}`, quick, machine, versions: { ...versions, numpy: numpy.ok ? `${numpy.version} (${numpy.blas})` : 'absent' }, kernel: gemmSimdVariant(), ...s };
  if (!quick) {
    const outDir = join(here, '..', 'results');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'sweep.json'), `${JSON.stringify(out, null, 2)}\n`);
    log(`wrote results/sweep.json and the charts ${writeSweepCharts(s.results, outDir).join(', ')}`);
  }
}

// ------------------------------------------------------------------------------------------------

const started = new Date();
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
};
const versions = {
  '@nabla/core': version('@nabla/core'),
  '@tensorflow/tfjs': tfVersion,
  '@tensorflow/tfjs-backend-wasm': version('@tensorflow/tfjs-backend-wasm'),
  'brain.js': version('brain.js'),
};
log(`Nabla speed benchmark, ${started.toISOString()}, ${machine.cpu} x ${machine.cores}, Node ${machine.node}, SIMD kernel (gemmSimdVariant()): ${gemmSimdVariant() ?? 'unavailable'}`);

const numpy = probeNumpy();
log(numpy.ok ? `NumPy ${numpy.version} (${numpy.blas}) via python3: contestant numpy-1t / numpy-2t` : `NumPy: NOT AVAILABLE (${numpy.reason}): the NumPy contestant is skipped`);
const data = loadDigits();
const peak = only.has('peak') ? await benchPeak() : undefined;
const gemm = only.has('gemm') ? await benchGemm(peak) : undefined;
const threads = only.has('threads') ? await runThreads(data) : undefined;
const training = only.has('train') ? await benchTrain(data) : undefined;
const inference = only.has('infer') ? await benchInfer(data) : undefined;
const allocation = only.has('alloc') ? benchAlloc() : undefined;
if (only.has('sweep')) await runSweep();

const ratios: Record<string, number> = {};
const checks: { target: string; value: string; met: boolean }[] = [];
if (training !== undefined) {
  const sps = (name: string): number => training.results.find((r) => r.name === name)!.samplesPerSecond.median;
  const loss = (name: string): number => training.results.find((r) => r.name === name)!.loss.median;
  const cps = (name: string): number => training.results.find((r) => r.name === name)!.samplesPerCpuSecond.median;
  for (const other of ['tfjs-wasm', 'tfjs-cpu', 'brain.js']) {
    ratios[`training nabla / ${other}`] = sps('nabla') / sps(other);
    ratios[`training nabla / ${other}, per CPU second`] = cps('nabla') / cps(other);
  }
  // Every training ratio against the seed's approach on one OpenBLAS thread (the bar of issue 15).
  if (training.results.some((r) => r.name === 'numpy-1t')) {
    for (const r of training.results) {
      if (r.name === 'numpy-1t') continue;
      ratios[`training ${r.name} / numpy-1t`] = r.samplesPerSecond.median / sps('numpy-1t');
      ratios[`training ${r.name} / numpy-1t, per CPU second`] = r.samplesPerCpuSecond.median / cps('numpy-1t');
    }
    const r = ratios['training nabla / numpy-1t']!;
    checks.push({ target: 'training samples/s >= 0.5x numpy-1t (issue 15)', value: `${r.toFixed(3)}x (per CPU second: ${ratios['training nabla / numpy-1t, per CPU second']!.toFixed(3)}x)`, met: r >= 0.5 });
    for (const other of ['numpy-1t', 'numpy-2t']) {
      const d = Math.abs(loss('nabla') - loss(other)) / loss(other);
      checks.push({ target: `loss after the epoch within 2% of ${other}`, value: `${(100 * d).toFixed(3)}% (${loss('nabla').toFixed(4)} vs ${loss(other).toFixed(4)})`, met: d <= 0.02 });
    }
  }
  const need: Record<string, number> = { 'tfjs-wasm': 3, 'tfjs-cpu': 12, 'brain.js': 15 };
  for (const [other, x] of Object.entries(need)) {
    const r = ratios[`training nabla / ${other}`]!;
    const rc = ratios[`training nabla / ${other}, per CPU second`]!;
    checks.push({ target: `training samples/s >= ${x}x ${other}`, value: `${r.toFixed(2)}x (per CPU second: ${rc.toFixed(2)}x)`, met: r >= x });
  }
  for (const other of ['tfjs-wasm', 'tfjs-cpu']) {
    const d = Math.abs(loss('nabla') - loss(other)) / loss(other);
    checks.push({ target: `loss after the epoch within 2% of ${other}`, value: `${(100 * d).toFixed(2)}% (${loss('nabla').toFixed(4)} vs ${loss(other).toFixed(4)})`, met: d <= 0.02 });
  }
}
if (gemm !== undefined) {
  const g = (name: string, n: number): number | undefined => gemm.results.find((r) => r.name === name && r.n === n)?.gflops.median;
  const ts = g('nabla-ts', 512);
  const sd = g('nabla-simd', 512);
  const gc = (name: string, n: number): number | undefined => gemm.results.find((r) => r.name === name && r.n === n)?.gflopsCpu.median;
  if (ts !== undefined) checks.push({ target: 'GEMM float32 n = 512, TS kernel >= 6 GFLOP/s', value: `${fmt(ts)} (per CPU second: ${fmt(gc('nabla-ts', 512)!)})`, met: ts >= 6 });
  if (sd !== undefined) checks.push({ target: 'GEMM float32 n = 512, SIMD kernel >= 40 GFLOP/s (one core)', value: `${fmt(sd)} (per CPU second: ${fmt(gc('nabla-simd', 512)!)})`, met: sd >= 40 });
  for (const f of gemm.fractionOfPeak.filter((x) => x.name.startsWith('nabla-simd') && x.n >= 256)) {
    checks.push({ target: `GEMM float32 n = ${f.n}, ${f.name} >= 85% of the measured ${f.peakVariant} peak (issue 15)`, value: `${(100 * f.fraction).toFixed(1)}%`, met: f.fraction >= 0.85 });
  }
  const tw = g('tfjs-wasm', 512);
  if (sd !== undefined && tw !== undefined) ratios['gemm n=512 nabla-simd / tfjs-wasm'] = sd / tw;
  for (const n of gemm.sizes) ratios[`gemm n=${n} nabla-simd / tfjs-wasm, per CPU second`] = gc('nabla-simd', n)! / gc('tfjs-wasm', n)!;
}
if (threads !== undefined) {
  for (const g of threads.gemm.filter((x) => x.n >= 256)) {
    checks.push({ target: `GEMM float32 n = ${g.n}, a caller's arrays, 2 threads >= 1.8x 1 thread (issue 15)`, value: `${g.speedup.median.toFixed(2)}x`, met: g.speedup.median >= 1.8 });
  }
  for (const g of (threads.gemmResident ?? []).filter((x) => x.n >= 256)) {
    checks.push({ target: `GEMM float32 n = ${g.n}, resident operands, 2 threads >= 1.8x 1 thread (issue 15)`, value: `${g.speedup.median.toFixed(2)}x`, met: g.speedup.median >= 1.8 });
  }
  checks.push({ target: 'training epoch, 2 threads >= 1.6x 1 thread (issue 15)', value: `${threads.training.speedup.median.toFixed(2)}x`, met: threads.training.speedup.median >= 1.6 });
  checks.push({ target: 'loss after the epoch identical with 1 and 2 threads', value: `${threads.training.loss1} vs ${threads.training.loss2}`, met: threads.training.sameLoss });
  for (const f of threads.stepFraction) {
    checks.push({ target: `training step >= 80% of its GEMMs' GFLOP/s, ${f.threads} thread${f.threads > 1 ? 's' : ''} (issue 15)`, value: `${(100 * f.fraction).toFixed(0)}%`, met: f.fraction >= 0.8 });
  }
}
if (inference !== undefined) {
  const ips = (name: string, batch: number): number | undefined => inference.results.find((r) => r.name === name && r.batch === batch)?.samplesPerSecond.median;
  for (const name of ['nabla', 'nabla-2t']) {
    const r256 = ips(name, 256)! / ips('tfjs-wasm', 256)!;
    const r1 = ips(name, 1)! / ips('tfjs-wasm', 1)!;
    ratios[`inference batch 256 ${name} / tfjs-wasm`] = r256;
    ratios[`inference batch 1 ${name} / tfjs-wasm`] = r1;
    checks.push({ target: `inference batch 256, ${name} >= 1.5x tfjs-wasm (issue 15)`, value: `${r256.toFixed(2)}x`, met: r256 >= 1.5 });
    checks.push({ target: `inference batch 1, ${name} ahead of tfjs-wasm (issue 15)`, value: `${r1.toFixed(2)}x`, met: r1 > 1 });
  }
}
if (allocation !== undefined) {
  const a = allocation as { simd: { bytes: number }; threads: { bytes: number } };
  checks.push({ target: 'zero ArrayBuffer bytes per steady-state training step', value: `${a.simd.bytes} bytes / 100 steps`, met: a.simd.bytes === 0 });
  checks.push({ target: 'zero ArrayBuffer bytes per steady-state training step, 2 threads', value: `${a.threads.bytes} bytes / 100 steps`, met: a.threads.bytes === 0 });
}
if (checks.length > 0) {
  const rows = checks.map((c) => [c.target, c.value, c.met ? 'met' : 'NOT met']);
  log(`Targets\n${table(['target', 'measured', ''], rows)}\n`);
  markdown.push(`### Targets\n\n${markdownTable(['target', 'measured', ''], rows)}`);
}

const results = {
  benchmark: 'speed',
  date: started.toISOString(),
  command: `pnpm bench:speed${args.length > 0 ? ` ${args.join(' ')}` : ''}`,
  quick,
  machine,
  versions: { ...versions, numpy: numpy.ok ? `${numpy.version} (${numpy.blas})` : `absent: ${numpy.reason}` },
  nablaSimdVariant: gemmSimdVariant(),
  method: 'one process, contestants interleaved round by round after a warm-up; medians with min and max',
  workloads: {
    training: { layers: LAYERS, batch: BATCH, optimizer: 'sgd', learningRate: LEARNING_RATE, data: 'mnist package, 10,000 digits, one fixed seeded order for all' },
  },
  peak,
  gemm,
  threads,
  training,
  inference,
  allocation,
  ratios,
  targets: checks,
};
log(`Markdown tables (for apps/bench/README.md):\n\n${markdown.join('\n\n')}\n`);
if (quick || onlyArg !== undefined) {
  log('partial run (--quick or --only): results/speed.json left unchanged');
} else {
  const outDir = join(here, '..', 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'speed.json'), `${JSON.stringify(results, null, 2)}\n`);
  log(`wrote results/speed.json (${(performance.now() / 1000).toFixed(0)} s)`);
}
