/**
 * `pnpm bench:memory`: the checkpointing memory benchmark (issue 3).
 *
 * For every depth L and every strategy ('none', 'sqrt', { budget: ceil(log2 L) }) a fresh Node
 * process (memory-worker.ts) builds an MLP of L layers 256 wide, trains steps on a batch of 64
 * and reports the engine's exact activation accounting next to what the process saw from
 * outside (arrayBuffers and RSS growth over a baseline that holds everything else). This script
 * prints the table, fits the slope of log(memory) against log(L), checks the issue's targets and
 * writes results/memory.json and results/memory.md.
 *
 * Times come from a second process per depth that runs the three strategies interleaved
 * (memory-timing-worker.ts), so load changes on a shared machine fall on all of them alike.
 *
 * Options: --depths 8,16,32 (default 8..1024), --budget-ms 15000 (timing rounds continue past
 * the fifth while the timed total is under this), --max-steps 9 (most rounds), --no-write.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { budgetFor, checkTargets, formatBytes, logLogSlope, markdownReport, markdownTable, slopesTable, targetsList } from './memory-report.js';
import type { MemoryConfigResult, MemoryReport, StrategyName, TimingConfig, TimingResult, WorkerConfig, WorkerResult } from './memory-types.js';

const WIDTH = 256;
const BATCH = 64;
const DEFAULT_DEPTHS = [8, 16, 32, 64, 128, 256, 512, 1024];
const COMMAND = 'pnpm bench:memory';

const here = dirname(fileURLToPath(import.meta.url));
const benchDir = join(here, '..');
const workerPath = join(here, 'memory-worker.ts');
const timingWorkerPath = join(here, 'memory-timing-worker.ts');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`bench:memory: ${name} must be an integer >= 1, got '${text}'`);
  return n;
}

const depths = (option('--depths') ?? DEFAULT_DEPTHS.join(',')).split(',').map((d) => positiveInt('--depths', d));
const budgetMs = positiveInt('--budget-ms', option('--budget-ms') ?? '15000');
const maxSteps = positiveInt('--max-steps', option('--max-steps') ?? '9');
const write = !process.argv.includes('--no-write');

function configsFor(depth: number): WorkerConfig[] {
  // The memory processes run two full-batch steps (the first is the measurement, the second
  // checks that nothing grows); the times come from the interleaved timing process.
  const common = { depth, width: WIDTH, batch: BATCH, minSteps: 2, maxSteps: 2, budgetMs: 0 };
  const strategies: { strategy: StrategyName; label: string; budget?: number; every?: number }[] = [
    { strategy: 'none', label: 'none' },
    { strategy: 'sqrt', label: 'sqrt', every: Math.ceil(Math.sqrt(depth)) },
    { strategy: 'budget', label: 'budget ceil(log2 L)', budget: budgetFor(depth) },
  ];
  return strategies.map((s) => ({ ...common, ...s }));
}

function spawnWorker(path: string, config: object, what: string): string {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path, JSON.stringify(config)], {
    cwd: benchDir,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = child.stdout?.split('\n').find((l) => l.startsWith('RESULT '));
  if (child.status !== 0 || line === undefined) {
    throw new Error(`bench:memory: ${what} failed (status ${String(child.status)}, signal ${String(child.signal)}):\n${child.stderr}`);
  }
  return line.slice('RESULT '.length);
}

function runWorker(config: WorkerConfig): WorkerResult {
  return JSON.parse(spawnWorker(workerPath, config, `worker for ${config.label} at L=${config.depth}`)) as WorkerResult;
}

function runTiming(depth: number, configs: readonly WorkerConfig[]): TimingResult {
  const config: TimingConfig = {
    depth,
    width: WIDTH,
    batch: BATCH,
    strategies: configs.map((c) => ({ strategy: c.strategy, label: c.label, ...(c.budget !== undefined ? { budget: c.budget } : {}) })),
    minRounds: Math.min(5, maxSteps),
    maxRounds: maxSteps,
    budgetMs,
  };
  return JSON.parse(spawnWorker(timingWorkerPath, config, `timing worker at L=${depth}`)) as TimingResult;
}

function main(): void {
  const started = Date.now();
  const load0 = loadavg()[0]!;
  const cpu = cpus();
  console.log(`bench:memory: width ${WIDTH}, batch ${BATCH}, float32, depths ${depths.join(', ')}; one process per configuration for memory, one per depth for time`);
  const configs: MemoryConfigResult[] = [];
  const warnings: string[] = [];
  for (const depth of depths) {
    const depthConfigs = configsFor(depth);
    const results = depthConfigs.map(runWorker);
    const timing = runTiming(depth, depthConfigs);
    for (let ci = 0; ci < depthConfigs.length; ci++) {
      const config = depthConfigs[ci]!;
      const r = results[ci]!;
      const t = timing.strategies.find((s) => s.label === config.label);
      if (t === undefined) throw new Error(`bench:memory: the timing worker did not time ${config.label}`);
      const c: MemoryConfigResult = {
        strategy: config.strategy,
        label: config.label,
        depth,
        ...(config.budget !== undefined ? { budget: config.budget } : {}),
        ...(config.every !== undefined ? { every: config.every } : {}),
        peakActivationBytes: r.stats.peakActivationBytes,
        peakActivations: r.stats.peakActivations,
        measuredBytes: r.measuredBytes,
        measuredRssBytes: r.measuredRssBytes,
        forwardEvaluations: r.stats.forwardEvaluations,
        msPerStep: t.msPerStep,
        msMinPerStep: t.msMinPerStep,
        cpuMsPerStep: t.cpuMsPerStep,
        rssAfterFirstStepBytes: r.rssAfterFirstStepBytes,
        msIsolated: r.msPerStep,
        steps: timing.rounds,
      };
      configs.push(c);
      const where = `${config.label} L=${depth}`;
      if (r.stats.peakActivations !== r.schedulePeakActivations || r.stats.peakActivationBytes !== r.schedulePeakBytes) {
        warnings.push(`${where}: engine peak ${r.stats.peakActivations} (${r.stats.peakActivationBytes} B) differs from the schedule's ${r.schedulePeakActivations} (${r.schedulePeakBytes} B)`);
      }
      if (r.stats.forwardEvaluations !== r.scheduleForwardEvaluations) {
        warnings.push(`${where}: engine counted ${r.stats.forwardEvaluations} forwards, the schedule has ${r.scheduleForwardEvaluations}`);
      }
      if (t.forwardEvaluations !== r.stats.forwardEvaluations) {
        warnings.push(`${where}: the timing process counted ${t.forwardEvaluations} forwards, the memory process ${r.stats.forwardEvaluations}`);
      }
      if (!r.peakReset) warnings.push(`${where}: could not reset the peak-RSS mark before the baseline`);
      if (!r.statsStable) warnings.push(`${where}: stats changed between steps`);
      if (r.workspaceBytes !== r.expectedWorkspaceBytes) {
        warnings.push(`${where}: priming the workspace grew arrayBuffers by ${r.workspaceBytes} B, expected ${r.expectedWorkspaceBytes} B`);
      }
      if (r.arrayBuffersGrowthAfterFirstStep !== 0) {
        warnings.push(`${where}: arrayBuffers grew by ${r.arrayBuffersGrowthAfterFirstStep} B after the first step`);
      }
      if (r.baseline.maxRss !== r.baseline.rss) {
        warnings.push(`${where}: peak RSS before the baseline (${formatBytes(r.baseline.maxRss)}) exceeded the RSS at the baseline (${formatBytes(r.baseline.rss)})`);
      }
      if (!Number.isFinite(r.loss)) warnings.push(`${where}: loss is ${r.loss}`);
      console.log(
        `  L=${String(depth).padStart(4)} ${config.label.padEnd(20)} peak ${String(c.peakActivations).padStart(5)} act ${formatBytes(c.peakActivationBytes).padStart(10)}` +
          ` | arrayBuffers +${formatBytes(c.measuredBytes).padStart(10)} | RSS +${formatBytes(c.measuredRssBytes).padStart(10)}` +
          ` | ${c.forwardEvaluations} fwd | ${c.msPerStep.toFixed(0)} ms/step wall (min ${c.msMinPerStep.toFixed(0)}), ${c.cpuMsPerStep.toFixed(0)} ms CPU (${c.steps} interleaved rounds; alone ${c.msIsolated.toFixed(0)} ms)`,
      );
    }
  }

  const labels = [...new Set(configs.map((c) => c.label))];
  const slopes: Record<string, number> = {};
  const measuredSlopes: Record<string, number> = {};
  for (const label of labels) {
    const rows = configs.filter((c) => c.label === label);
    slopes[label] = logLogSlope(rows.map((c) => ({ x: c.depth, y: c.peakActivationBytes })));
    measuredSlopes[label] = logLogSlope(rows.map((c) => ({ x: c.depth, y: c.measuredBytes })));
  }
  const targets = checkTargets(configs, slopes);
  const report: MemoryReport = {
    machine: { cpu: cpu[0]?.model ?? 'unknown', cores: cpu.length, node: process.version, date: new Date().toISOString() },
    width: WIDTH,
    batch: BATCH,
    dtype: 'float32',
    configs,
    slopes,
    measuredSlopes,
    targets,
    command: COMMAND,
    loadAverage: { start: load0, end: loadavg()[0]! },
    commit: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: benchDir, encoding: 'utf8' }).stdout?.trim() ?? 'unknown',
    step:
      'a training step = `_computeGradients` (forward, recomputation, backward; the copy-free path train() uses) + one plain SGD update of every parameter. msPerStep is the median wall time over `steps` rounds of a separate process per depth that runs the three strategies interleaved on one network (rotating their order each round) after one untimed step of each, so load changes on the shared machine fall on all three alike; msMinPerStep is the fastest of those steps (the estimate least disturbed by other work); cpuMsPerStep is the median CPU time (user + system) of the same steps; msIsolated is the median of the two steps in the memory process.',
    measurement:
      'growth over a baseline taken in the same process after gc() with the parameters, the gradient buffers (written once), the batch-64 workspace (dG ping-pong pair and y), the schedule, the optimiser and the batch all allocated. measuredBytes = process.memoryUsage().arrayBuffers after the first full-batch step and gc() minus the baseline; measuredRssBytes = peak RSS (process.resourceUsage().maxRSS) at the end minus peak RSS at the baseline; rssAfterFirstStepBytes = current RSS after the first step and gc() minus the baseline RSS. The pool keeps its buffers, so the arrayBuffers growth holds the peak.',
  };

  console.log(`\n${markdownTable(configs)}\n`);
  console.log(`${slopesTable(report)}\n`);
  console.log(targetsList(targets));
  if (warnings.length > 0) console.log(`\nwarnings:\n${warnings.map((w) => `  ${w}`).join('\n')}`);
  const minutes = (Date.now() - started) / 60000;
  console.log(`\n${targets.filter((t) => t.pass).length}/${targets.length} targets pass; ${minutes.toFixed(1)} min; load average ${load0.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end`);
  if (write) {
    const results = join(benchDir, 'results');
    writeFileSync(join(results, 'memory.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(results, 'memory.md'), markdownReport(report));
    console.log(`wrote ${join(results, 'memory.json')} and memory.md`);
  }
}

main();
