/**
 * The timing half of the memory benchmark: one process per depth runs the strategies'
 * training steps interleaved (none, sqrt, budget, then the next round in rotated order), so a
 * change in machine load during the run falls on every strategy alike. Prints `RESULT <json>`.
 * Started by memory.ts with `node --expose-gc --import tsx src/memory-timing-worker.ts '<json>'`.
 */
import { buildNetwork, median, settle, strategyOf } from './memory-common.js';
import type { TimingConfig, TimingResult } from './memory-types.js';

async function run(config: TimingConfig): Promise<TimingResult> {
  const { depth, width, batch } = config;
  const { engine, x, y, slots, opt } = buildNetwork(depth, width, batch);
  const schedules = config.strategies.map((s) => engine.schedule(strategyOf(s.strategy, s.budget), 'memory-timing-worker'));
  const wall: number[][] = config.strategies.map(() => []);
  const cpu: number[][] = config.strategies.map(() => []);
  const forwards: number[] = config.strategies.map(() => 0);

  const step = (i: number): { wall: number; cpu: number } => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = engine.computeGradients({ x, y, from: 0, size: batch }, schedules[i]!);
    opt.step(slots);
    const t1 = performance.now();
    const c = process.cpuUsage(c0);
    forwards[i] = r.stats.forwardEvaluations;
    return { wall: t1 - t0, cpu: (c.user + c.system) / 1000 };
  };

  // One untimed full-batch step of every strategy: compiles the code and fills the pool.
  for (let i = 0; i < schedules.length; i++) step(i);
  await settle();

  const started = performance.now();
  let rounds = 0;
  while (rounds < config.maxRounds && (rounds < config.minRounds || performance.now() - started < config.budgetMs)) {
    for (let j = 0; j < schedules.length; j++) {
      const i = (j + rounds) % schedules.length;
      const t = step(i);
      wall[i]!.push(t.wall);
      cpu[i]!.push(t.cpu);
    }
    rounds++;
  }
  return {
    depth,
    rounds,
    strategies: config.strategies.map((s, i) => ({
      label: s.label,
      forwardEvaluations: forwards[i]!,
      msPerStep: median(wall[i]!),
      msMinPerStep: Math.min(...wall[i]!),
      cpuMsPerStep: median(cpu[i]!),
      msAll: wall[i]!,
    })),
  };
}

const arg = process.argv[2];
if (arg === undefined) throw new Error('memory-timing-worker: pass the configuration as JSON');
const result = await run(JSON.parse(arg) as TimingConfig);
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
