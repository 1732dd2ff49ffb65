/** Pure helpers of the memory benchmark: slopes, target checks and the text of the report. */
import type { MemoryConfigResult, MemoryReport, TargetCheck } from './memory-types.js';

/** Least-squares slope of ln(y) against ln(x). NaN with fewer than two distinct x. */
export function logLogSlope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += Math.log(p.x);
    sy += Math.log(p.y);
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    const dx = Math.log(p.x) - mx;
    sxy += dx * (Math.log(p.y) - my);
    sxx += dx * dx;
  }
  return sxx === 0 ? Number.NaN : sxy / sxx;
}

export function budgetFor(depth: number): number {
  return Math.max(1, Math.ceil(Math.log2(depth)));
}

/** Relative deviation of a measurement from the exact figure: (measured - exact) / exact. */
export function deviation(measured: number, exact: number): number {
  return (measured - exact) / exact;
}

export function formatBytes(b: number): string {
  const a = Math.abs(b);
  if (a >= 1024 * 1024) return `${(b / (1024 * 1024)).toFixed(2)} MiB`;
  if (a >= 1024) return `${(b / 1024).toFixed(0)} KiB`;
  return `${b} B`;
}

function pct(x: number): string {
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
}

function find(configs: readonly MemoryConfigResult[], strategy: string, depth: number): MemoryConfigResult | undefined {
  return configs.find((c) => c.strategy === strategy && c.depth === depth);
}

/** Check every target of the issue on the results. */
export function checkTargets(configs: readonly MemoryConfigResult[], slopes: Record<string, number>): TargetCheck[] {
  const targets: TargetCheck[] = [];
  const sNone = slopes.none ?? Number.NaN;
  targets.push({
    name: "slope of activation memory vs depth, 'none', in [0.95, 1.05]",
    pass: sNone >= 0.95 && sNone <= 1.05,
    detail: `slope ${sNone.toFixed(3)}`,
  });
  const sSqrt = slopes.sqrt ?? Number.NaN;
  targets.push({ name: "slope, 'sqrt', <= 0.55", pass: sSqrt <= 0.55, detail: `slope ${sSqrt.toFixed(3)}` });

  const budgets = configs.filter((c) => c.strategy === 'budget');
  const over = budgets.filter((c) => c.peakActivations > budgetFor(c.depth) + 2);
  targets.push({
    name: 'budget ceil(log2 L): peak activations <= ceil(log2 L) + 2 at every L',
    pass: budgets.length > 0 && over.length === 0,
    detail: budgets.map((c) => `L=${c.depth}: ${c.peakActivations} <= ${budgetFor(c.depth) + 2}`).join(', ') || 'not run',
  });

  const deep = configs.filter((c) => c.depth >= 64);
  const worst = deep.reduce<MemoryConfigResult | undefined>(
    (w, c) =>
      w === undefined || Math.abs(deviation(c.measuredBytes, c.peakActivationBytes)) > Math.abs(deviation(w.measuredBytes, w.peakActivationBytes)) ? c : w,
    undefined,
  );
  const offArray = deep.filter((c) => Math.abs(deviation(c.measuredBytes, c.peakActivationBytes)) > 0.1);
  targets.push({
    name: 'measured process memory (arrayBuffers growth) within 10% of the exact accounting for L >= 64',
    pass: deep.length > 0 && offArray.length === 0,
    detail:
      worst === undefined
        ? 'not run'
        : worst.measuredBytes === worst.peakActivationBytes
          ? `${deep.length}/${deep.length} equal to the exact figure, byte for byte`
          : `${deep.length - offArray.length}/${deep.length} within 10%; largest deviation ${pct(deviation(worst.measuredBytes, worst.peakActivationBytes))} (${worst.label}, L=${worst.depth})`,
  });
  const offRss = deep.filter((c) => Math.abs(deviation(c.measuredRssBytes, c.peakActivationBytes)) > 0.1);
  const worstAbs = deep.reduce((w, c) => Math.max(w, Math.abs(c.measuredRssBytes - c.peakActivationBytes)), 0);
  targets.push({
    name: 'measured process memory (peak RSS growth) within 10% of the exact accounting for L >= 64',
    pass: deep.length > 0 && offRss.length === 0,
    detail:
      deep.length === 0
        ? 'not run'
        : `${deep.length - offRss.length}/${deep.length} within 10%, largest absolute deviation ${formatBytes(worstAbs)}${
            offRss.length > 0
              ? `; outside: ${offRss.map((c) => `${c.label} L=${c.depth} ${pct(deviation(c.measuredRssBytes, c.peakActivationBytes))}`).join(', ')}`
              : ''
          }`,
  });

  const none64 = find(configs, 'none', 64);
  const sqrt64 = find(configs, 'sqrt', 64);
  const budget64 = find(configs, 'budget', 64);
  if (none64 !== undefined && sqrt64 !== undefined) {
    const r = sqrt64.msPerStep / none64.msPerStep;
    const rc = sqrt64.cpuMsPerStep / none64.cpuMsPerStep;
    targets.push({
      name: "time per step, 'sqrt' <= 1.4x 'none' at L = 64",
      pass: r <= 1.4,
      detail: `median wall time ${r.toFixed(2)}x (${sqrt64.msPerStep.toFixed(0)} / ${none64.msPerStep.toFixed(0)} ms); fastest step ${(sqrt64.msMinPerStep / none64.msMinPerStep).toFixed(2)}x (${sqrt64.msMinPerStep.toFixed(0)} / ${none64.msMinPerStep.toFixed(0)} ms); median CPU time ${rc.toFixed(2)}x; forwards ${(sqrt64.forwardEvaluations / none64.forwardEvaluations).toFixed(2)}x`,
    });
  } else {
    targets.push({ name: "time per step, 'sqrt' <= 1.4x 'none' at L = 64", pass: false, detail: 'L = 64 not run' });
  }
  const limit = 1 + budgetFor(64);
  if (none64 !== undefined && budget64 !== undefined) {
    const r = budget64.msPerStep / none64.msPerStep;
    const all = configs
      .filter((c) => c.strategy === 'budget')
      .map((c) => {
        const n = find(configs, 'none', c.depth);
        return n === undefined ? undefined : { depth: c.depth, r: c.msPerStep / n.msPerStep, limit: 1 + budgetFor(c.depth) };
      })
      .filter((v): v is { depth: number; r: number; limit: number } => v !== undefined);
    const everywhere = all.every((v) => v.r <= v.limit);
    targets.push({
      name: `time per step, budget ceil(log2 L) <= (1 + ceil(log2 L))x 'none' at L = 64 (${limit}x)`,
      pass: r <= limit,
      detail: `median wall time ${r.toFixed(2)}x (fastest step ${(budget64.msMinPerStep / none64.msMinPerStep).toFixed(2)}x, median CPU time ${(budget64.cpuMsPerStep / none64.cpuMsPerStep).toFixed(2)}x); median wall time at every L: ${all.map((v) => `L=${v.depth} ${v.r.toFixed(2)}x/${v.limit}x`).join(', ')} (${everywhere ? 'all within' : 'NOT all within'})`,
    });
  } else {
    targets.push({ name: 'time per step, budget <= (1 + ceil(log2 L))x none at L = 64', pass: false, detail: 'L = 64 not run' });
  }
  return targets;
}

/** The results table as Markdown (also printed to the terminal). */
export function markdownTable(configs: readonly MemoryConfigResult[]): string {
  const head =
    '| L | strategy | peak act. | exact peak bytes | measured arrayBuffers | dev. | measured peak RSS | dev. | RSS after step | forwards / step | fwd / L | ms / step | x none | fastest ms | x none | CPU ms / step | x none |';
  const rule = '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const rows = configs.map((c) => {
    const none = find(configs, 'none', c.depth);
    const ratio = none === undefined ? '' : `${(c.msPerStep / none.msPerStep).toFixed(2)}`;
    const minRatio = none === undefined ? '' : `${(c.msMinPerStep / none.msMinPerStep).toFixed(2)}`;
    const cpuRatio = none === undefined ? '' : `${(c.cpuMsPerStep / none.cpuMsPerStep).toFixed(2)}`;
    const label = c.strategy === 'none' ? 'none' : c.strategy === 'sqrt' ? `sqrt (every ${c.every})` : `budget ${c.budget}`;
    return `| ${c.depth} | ${label} | ${c.peakActivations} | ${formatBytes(c.peakActivationBytes)} | ${formatBytes(c.measuredBytes)} | ${pct(
      deviation(c.measuredBytes, c.peakActivationBytes),
    )} | ${formatBytes(c.measuredRssBytes)} | ${pct(deviation(c.measuredRssBytes, c.peakActivationBytes))} | ${formatBytes(c.rssAfterFirstStepBytes)} | ${c.forwardEvaluations} | ${(
      c.forwardEvaluations / c.depth
    ).toFixed(2)} | ${c.msPerStep.toFixed(0)} | ${ratio} | ${c.msMinPerStep.toFixed(0)} | ${minRatio} | ${c.cpuMsPerStep.toFixed(0)} | ${cpuRatio} |`;
  });
  return [head, rule, ...rows].join('\n');
}

export function slopesTable(report: MemoryReport): string {
  const labels = Object.keys(report.slopes);
  return [
    '| strategy | slope of exact peak bytes | slope of measured arrayBuffers |',
    '|---|---:|---:|',
    ...labels.map((l) => `| ${l} | ${report.slopes[l]!.toFixed(3)} | ${(report.measuredSlopes[l] ?? Number.NaN).toFixed(3)} |`),
  ].join('\n');
}

export function targetsList(targets: readonly TargetCheck[]): string {
  return targets.map((t) => `- **${t.pass ? 'PASS' : 'FAIL'}** ${t.name}: ${t.detail}`).join('\n');
}

/** results/memory.md */
export function markdownReport(report: MemoryReport): string {
  const m = report.machine;
  return `# Memory benchmark (checkpointing)

Generated by \`${report.command}\` (from the repository root, after building core) on ${m.date}, at commit ${report.commit}.
Machine: ${m.cpu}, ${m.cores} cores, Node ${m.node}; one-minute load average ${report.loadAverage.start.toFixed(2)} at the start and
${report.loadAverage.end.toFixed(2)} at the end of the run (the machine is shared, so the times carry noise).

Networks of depth L, every layer ${report.width} wide (L weight matrices ${report.width} x ${report.width}), relu hidden
layers, softmax + cross-entropy output, batch ${report.batch}, ${report.dtype}. The memory figures of each row come from a fresh Node process running only that
configuration; the times from one process per depth that runs the three strategies interleaved.

- **exact peak bytes**: \`stats.peakActivationBytes\` of the engine's activation pool (g^0, the engine's
  transposed copy of the input, counts as an activation).
- **measured arrayBuffers / RSS**: ${report.measurement}
- **ms / step**: ${report.step}

## Results

${markdownTable(report.configs)}

## Slopes of log(memory) against log(L), least squares over every L

${slopesTable(report)}

## Targets

${targetsList(report.targets)}

## Reading the figures

- \`arrayBuffers\` counts the backing stores of typed arrays, so its growth over the baseline is the activation
  pool byte for byte: the pool keeps every buffer it ever allocated, and with every width equal it allocates
  exactly as many as are live at the peak.
- RSS also moves with things that are not activations: malloc reusing or returning freed memory, V8 heap
  pages, compiler memory, and the first touch of the dG/y workspace pages (allocated zeroed at priming,
  written during the first step). The peak-RSS mark is reset just before the baseline, so the peak-RSS column
  is the growth during the steps; it follows the exact figure where the activations are large against that
  noise (up to a few MiB) and not where they are a few hundred KiB.
- Forward evaluations are the engine's own count per step; the recomputation costs time in proportion to
  forwards / L, diluted by the backward pass and the update, which are the same for every strategy.
`;
}
