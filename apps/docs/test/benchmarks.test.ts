// The benchmark page's round-two sections (peak, NumPy, both cores, sweeps) against the results
// files they are built from: the test reads apps/bench/results/{speed,sweep}.json itself and
// checks that the tables, the chart paths and the hover titles show those numbers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifacts, openPage, serveSite } from './harness';

interface Stat {
  median: number;
  min: number;
  max: number;
}
interface SweepRow {
  axis: string;
  value: number;
  contestant: string;
  train: Stat;
  infer: Stat;
  trainGflops: number;
  inferGflops: number;
}

const results = join(import.meta.dirname, '..', '..', 'bench', 'results');
const speed = JSON.parse(readFileSync(join(results, 'speed.json'), 'utf8'));
const sweep = JSON.parse(readFileSync(join(results, 'sweep.json'), 'utf8')) as { results?: SweepRow[] };
const accuracy = JSON.parse(readFileSync(join(results, 'accuracy.json'), 'utf8'));
const rows: SweepRow[] = sweep.results ?? [];

const site = serveSite();

/** The number a printed string stands for: "25,313" -> 25313. */
const parse = (s: string): number => Number(s.replaceAll(',', ''));

/** Whether `printed` is `value` rounded to the decimals it shows. */
function shows(printed: string, value: number): boolean {
  const decimals = printed.includes('.') ? printed.length - printed.indexOf('.') - 1 : 0;
  return Math.abs(parse(printed) - value) <= 0.5 * 10 ** -decimals + 1e-9 * Math.abs(value);
}

/** Expects `text` to contain a printed number equal to `value` to its printed precision. */
function expectShown(text: string, value: number, what: string): void {
  const printed = text.match(/-?\d[\d,]*(?:\.\d+)?/g) ?? [];
  expect(
    printed.some((p) => shows(p, value)),
    `${what}: ${value} not among the numbers of "${text}"`,
  ).toBe(true);
}

/** The points of an SVG path made of M and L commands. */
function points(d: string): { x: number; y: number }[] {
  return Array.from(d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g), (m) => ({ x: Number(m[1]), y: Number(m[2]) }));
}

/** Expects the pixel coordinates to be one affine function of `f(value)` (to the 0.1 px of the path). */
function expectAffine(pairs: { value: number; pixel: number }[], f: (v: number) => number, what: string): void {
  // The line through the two extreme values, so that the 0.1 px rounding hardly tilts it.
  const a = pairs.reduce((p, q) => (f(q.value) < f(p.value) ? q : p));
  const b = pairs.reduce((p, q) => (f(q.value) > f(p.value) ? q : p));
  expect(f(b.value) - f(a.value), `${what}: needs two distinct values`).toBeGreaterThan(0);
  const slope = (b.pixel - a.pixel) / (f(b.value) - f(a.value));
  for (const p of pairs) expect(Math.abs(a.pixel + slope * (f(p.value) - f(a.value)) - p.pixel), `${what} at ${p.value}`).toBeLessThan(0.6);
}

const value = (r: SweepRow, phase: string, metric: string): number =>
  metric === 'gflops' ? (phase === 'train' ? r.trainGflops : r.inferGflops) : (phase === 'train' ? r.train : r.infer).median;

/** Checks one sweep chart as drawn now (its current metric) against the JSON rows of its axis. */
async function checkChart(chart: Locator, axis: string, phase: string, metric: string): Promise<void> {
  expect(await chart.getAttribute('data-metric')).toBe(metric);
  const mine = rows.filter((r) => r.axis === axis);
  const contestants = Array.from(new Set(mine.map((r) => r.contestant)));
  expect(await chart.locator('path[data-contestant]').count(), `${axis}/${phase}: one path per contestant`).toBe(contestants.length);
  expect(await chart.locator('ul li').count(), `${axis}/${phase}: legend entries`).toBe(contestants.length);
  const xs: { value: number; pixel: number }[] = [];
  const ys: { value: number; pixel: number }[] = [];
  for (const c of contestants) {
    const want = mine.filter((r) => r.contestant === c).sort((p, q) => p.value - q.value);
    const path = chart.locator(`path[data-contestant="${c}"]`);
    expect(await path.count(), `${axis}/${phase}/${c}: paths`).toBe(1);
    const pts = points((await path.getAttribute('d')) ?? '');
    expect(pts.length, `${axis}/${phase}/${c}: points on the path`).toBe(want.length);
    want.forEach((r, i) => {
      xs.push({ value: r.value, pixel: pts[i]!.x });
      ys.push({ value: value(r, phase, metric), pixel: pts[i]!.y });
    });
    const titles = await chart.locator(`g[data-series="${c}"] circle > title`).allTextContents();
    expect(titles.length, `${axis}/${phase}/${c}: hover titles`).toBe(want.length);
    want.forEach((r, i) => {
      const m = titles[i]!.match(/^(.+?), (.+?): ([\d,.]+) samples\/s \(min ([\d,.]+), max ([\d,.]+)\), ([\d,.]+) GFLOP\/s$/);
      expect(m, `title "${titles[i]}"`).not.toBeNull();
      const s = phase === 'train' ? r.train : r.infer;
      expect(m![1]).toBe(c);
      expect(m![2]).toContain(String(r.value));
      expect(shows(m![3]!, s.median), `${titles[i]}: median ${s.median}`).toBe(true);
      expect(shows(m![4]!, s.min), `${titles[i]}: min ${s.min}`).toBe(true);
      expect(shows(m![5]!, s.max), `${titles[i]}: max ${s.max}`).toBe(true);
      expect(shows(m![6]!, value(r, phase, 'gflops')), `${titles[i]}: GFLOP/s`).toBe(true);
    });
  }
  // The x axis is logarithmic; samples/s are logarithmic and GFLOP/s linear, up the page.
  expectAffine(xs, Math.log, `${axis}/${phase} x`);
  expectAffine(ys, metric === 'samples' ? Math.log : (v) => v, `${axis}/${phase} y (${metric})`);
  const top = ys.reduce((p, q) => (q.value > p.value ? q : p));
  const bottom = ys.reduce((p, q) => (q.value < p.value ? q : p));
  expect(top.pixel, `${axis}/${phase}: larger values are drawn higher`).toBeLessThan(bottom.pixel);
}

/**
 * Waits until the page is hydrated and every chart has redrawn at its box's width: before that
 * the buttons do nothing and the paths are those of the static HTML, about to change.
 */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const svgs = Array.from(document.querySelectorAll<SVGSVGElement>('[data-chart] svg[role="img"]'));
    return svgs.length > 0 && svgs.every((s) => Math.abs(s.viewBox.baseVal.width - s.getBoundingClientRect().width) < 2);
  }, undefined, { timeout: 15_000 });
}

/** The relative luminance (0 black, 1 white) of a CSS rgb() colour. */
function luminance(css: string): number {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? []).map(Number);
  return (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;
}

async function axisTextLuminance(page: Page): Promise<number> {
  const fill = await page.locator('[data-chart] svg[role="img"] text').first().evaluate((t) => getComputedStyle(t).fill);
  return luminance(fill);
}

describe('/benchmarks, round two of the speed work', () => {
  it('shows the peak, NumPy and both-cores sections with the numbers of speed.json', async () => {
    const { page, errors, foreign } = await openPage(site, '/benchmarks');
    for (const [id, heading] of [
      ['bench-peak', "Against the platform's limit"],
      ['bench-numpy', 'Against NumPy'],
      ['bench-threads', 'Both cores'],
      ['bench-sweep', 'How cost grows'],
    ] as const) {
      const section = page.getByTestId(id);
      expect(await section.locator('h2').textContent()).toBe(heading);
      // Every section says what it measures before its tables.
      expect(((await section.locator('p').first().textContent()) ?? '').length, `${id} intro`).toBeGreaterThan(100);
    }
    expect(await page.getByTestId('bench-absent').count(), 'no section reported absent for these files').toBe(0);

    // The peaks, and every SIMD GEMM as a fraction of the peak of the variant in use.
    const peaks = speed.peak.results as { variant: string; available: boolean; gflops: Stat }[];
    for (const p of peaks.filter((x) => x.available)) {
      const text = (await page.locator(`[data-testid="peak-table"] tr[data-variant="${p.variant}"]`).textContent()) ?? '';
      for (const k of ['median', 'min', 'max'] as const) expectShown(text, p.gflops[k], `peak ${p.variant} ${k}`);
    }
    const used = peaks.find((p) => p.variant === speed.nablaSimdVariant)!;
    const simd = (speed.gemm.results as { name: string; n: number; gflops: Stat }[]).filter((g) => g.name.includes('simd'));
    expect(simd.length).toBeGreaterThan(0);
    const gemmRows = page.getByTestId('peak-gemm-table').locator('tbody tr');
    const threadGemms = (speed.threads?.gemm ?? []) as { n: number; gflops1: Stat; gflops2: Stat }[];
    expect(await gemmRows.count()).toBe(new Set(simd.map((g) => g.name)).size + (threadGemms.length > 0 ? 2 : 0));
    // Each cell: the GFLOP/s and their percentage of the peak (of twice the peak for two threads).
    const expectCell = async (line: string, n: number, gflops: number, cores: number): Promise<void> => {
      const cell = (await page.locator(`[data-testid="peak-gemm-table"] tr[data-line="${line}"] td[data-n="${n}"]`).textContent()) ?? '';
      const m = cell.match(/^([\d,.]+) \(([\d.]+) %\)$/);
      expect(m, `GEMM cell "${cell}"`).not.toBeNull();
      expect(shows(m![1]!, gflops), `${line} n=${n}: ${cell} for ${gflops}`).toBe(true);
      expect(shows(m![2]!, (100 * gflops) / (cores * used.gflops.median)), `${line} n=${n}: ${cell} of ${used.gflops.median}`).toBe(true);
    };
    for (const g of simd) await expectCell(g.name, g.n, g.gflops.median, 1);
    for (const g of threadGemms) {
      await expectCell('threads-1', g.n, g.gflops1.median, 1);
      await expectCell('threads-2', g.n, g.gflops2.median, 2);
    }

    // Training samples/s of Nabla, NumPy on 1 and 2 threads and tfjs-wasm, with the ratios against numpy-1t.
    const training = speed.training.results as { name: string; samplesPerSecond: Stat }[];
    const compared = training.filter((r) => r.name.startsWith('nabla') || r.name.startsWith('numpy') || r.name === 'tfjs-wasm');
    const names = await page.locator('[data-testid="numpy-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-contestant')));
    expect(names).toEqual(compared.map((r) => r.name));
    for (const need of ['nabla', 'numpy-1t', 'numpy-2t', 'tfjs-wasm']) expect(names).toContain(need);
    for (const r of compared) {
      const cells = await page.locator(`[data-testid="numpy-table"] tr[data-contestant="${r.name}"] td`).allTextContents();
      expectShown(cells[1]!, r.samplesPerSecond.median, `${r.name} samples/s`);
      const ratio = r.name === 'numpy-1t' ? 1 : speed.ratios[`training ${r.name} / numpy-1t`];
      expect(ratio, `ratio of ${r.name} in speed.json`).toBeTypeOf('number');
      expect(cells[3]).toMatch(/×$/);
      expectShown(cells[3]!, ratio, `${r.name} / numpy-1t`);
    }

    // One thread against two, the loss identity and the step fraction.
    const t = speed.threads;
    const threadRows = page.getByTestId('threads-table').locator('tbody tr');
    // square GEMMs (a caller's arrays, then resident operands where measured), the step's GEMMs (and on a caller's arrays), the epoch
    type Sq = { n: number; gflops1: Stat; gflops2: Stat; speedup: Stat };
    const squares: [Sq, string][] = [...(t.gemm as Sq[]).map((g): [Sq, string] => [g, '']), ...((t.gemmResident ?? []) as Sq[]).map((g): [Sq, string] => [g, 'resident'])];
    const epochRow = squares.length + 1 + (t.stepGemmsCopied ? 1 : 0);
    const extraRows = (t.training.medianStepUs1 ? 1 : 0) + (t.training.firstStepMs1 ? 1 : 0) + (t.training.tailMs1 ? 1 : 0);
    expect(await threadRows.count()).toBe(epochRow + 1 + extraRows);
    for (const [i, [g, kind]] of squares.entries()) {
      const cells = await threadRows.nth(i).locator('td').allTextContents();
      expect(cells[0]).toContain(`GEMM ${g.n} × ${g.n}`);
      if (kind) expect(cells[0]).toContain(kind);
      expectShown(cells[1]!, g.gflops1.median, `GEMM ${g.n} 1 thread`);
      expectShown(cells[2]!, g.gflops2.median, `GEMM ${g.n} 2 threads`);
      expectShown(cells[3]!, g.speedup.median, `GEMM ${g.n} speedup`);
    }
    const epoch = await threadRows.nth(epochRow).locator('td').allTextContents();
    expectShown(epoch[1]!, t.training.samplesPerSecond1.median, 'epoch, 1 thread');
    expectShown(epoch[2]!, t.training.samplesPerSecond2.median, 'epoch, 2 threads');
    expectShown(epoch[3]!, t.training.speedup.median, 'epoch speedup');
    if (t.training.medianStepUs1) {
      const step = await threadRows.nth(epochRow + 1).locator('td').allTextContents();
      expect(step[0]).toContain('median step');
      expectShown(step[1]!, t.training.medianStepUs1.median, 'median step, 1 thread');
      expectShown(step[2]!, t.training.medianStepUs2.median, 'median step, 2 threads');
      expectShown(step[3]!, t.training.stepSpeedup.median, 'median step speed-up');
    }
    // The call's first step and the slow tail: times of each thread count, no ratio.
    let row = epochRow + 1 + (t.training.medianStepUs1 ? 1 : 0);
    for (const [key, label] of [
      ['firstStepMs', 'first step'],
      ['tailMs', 'beyond the median'],
    ] as const) {
      const one = t.training[`${key}1`] as Stat | undefined;
      if (one === undefined) continue;
      const cells = await threadRows.nth(row++).locator('td').allTextContents();
      expect(cells[0]).toContain(label);
      expectShown(cells[1]!, one.median, `${key}, 1 thread`);
      expectShown(cells[2]!, (t.training[`${key}2`] as Stat).median, `${key}, 2 threads`);
      expect(cells[3]).toBe('—');
    }
    const loss = (await page.getByTestId('threads-loss').textContent()) ?? '';
    expect(loss).toContain(String(t.training.loss1));
    expect(loss).toContain(String(t.training.loss2));
    expect(loss).toContain(t.training.sameLoss ? 'identical bits' : 'they differ');
    expect(await page.getByTestId('threads-threshold-table').locator('tbody tr').count()).toBe(t.threshold.length);
    const fractions = await page.getByTestId('threads-fraction-table').locator('tbody tr').all();
    expect(fractions.length).toBe(t.stepFraction.length);
    for (const [i, f] of (t.stepFraction as { fraction: number; stepGflops: number }[]).entries()) {
      const cells = await fractions[i]!.locator('td').allTextContents();
      expectShown(cells[1]!, f.stepGflops, 'step GFLOP/s');
      expectShown(cells[3]!, 100 * f.fraction, 'step fraction');
    }
    if (t.crossCore !== undefined) {
      const cross = (await page.getByTestId('threads-cross-core').textContent()) ?? '';
      expectShown(cross, t.crossCore.sameCore.median, 'copy within a core, GB/s');
      expectShown(cross, t.crossCore.crossCore.median, 'copy across the cores, GB/s');
      expectShown(cross, t.crossCore.slowdown.median, 'slowdown across the cores');
    }

    for (const id of ['bench-peak', 'bench-numpy', 'bench-threads']) await page.getByTestId(id).screenshot({ path: join(artifacts, `benchmarks-${id}.png`) });
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('shows the Fashion-MNIST run of accuracy.json: the command, the accuracy against its target, the times and the threads', async () => {
    const { page, errors, foreign } = await openPage(site, '/benchmarks');
    const section = page.getByTestId('bench-accuracy');
    expect(await section.locator('pre code').textContent()).toBe(accuracy.command);
    const intro = (await section.locator('p').first().textContent()) ?? '';
    expect(intro).toContain(accuracy.machine.cpu);
    expect(intro).toContain(accuracy.date.slice(0, 16).replace('T', ' '));
    const cells = await section.locator('[data-testid="accuracy-table"] tr').evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td'), (td) => td.textContent ?? '')));
    expect(cells.map((c) => c[0])).toEqual([`test accuracy (${accuracy.samples.toLocaleString('en-US')} images)`, 'training time, s', 'in all with loading the data, s; CPU time, s', 'threads']);
    expect(cells[0]![1]).toContain(accuracy.accuracy.toFixed(4));
    expect(cells[0]![1]).toContain(accuracy.met ? ': met' : ': not met');
    expectShown(cells[1]![1]!, accuracy.trainSeconds, 'training seconds');
    expectShown(cells[2]![1]!, accuracy.seconds, 'seconds in all');
    expectShown(cells[2]![1]!, accuracy.cpuSeconds, 'CPU seconds');
    if (accuracy.autoThreads) {
      expect(cells[3]![1]).toContain('--threads auto');
      expectShown(cells[3]![1]!, accuracy.autoThreads.stepsTwo, 'steps on two threads');
      expectShown(cells[3]![1]!, accuracy.autoThreads.stepsTwo + accuracy.autoThreads.stepsOne, 'steps');
    }
    await section.screenshot({ path: join(artifacts, 'benchmarks-bench-accuracy.png') });
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('draws the four sweep charts from sweep.json: a path per contestant, every point, its hover title and table', async () => {
    expect(rows.length).toBeGreaterThan(0);
    const { page, errors, foreign } = await openPage(site, '/benchmarks');
    await settled(page);
    const axes = Array.from(new Set(rows.map((r) => r.axis)));
    expect(await page.locator('[data-chart]').count()).toBe(2 * axes.length);
    for (const axis of axes) {
      for (const phase of ['train', 'infer']) {
        const chart = page.locator(`[data-chart="sweep-${phase}-${axis}"]`);
        await checkChart(chart, axis, phase, 'samples');
        await chart.locator('button[data-metric="gflops"]').click();
        await checkChart(chart, axis, phase, 'gflops');
        expect(await chart.locator('svg[role="img"]').getAttribute('aria-label')).toContain('GFLOP/s');
        // The table under the chart: samples/s (GFLOP/s) of every contestant at every point.
        await chart.locator('details summary').click();
        for (const r of rows.filter((x) => x.axis === axis)) {
          const cell = (await chart.locator(`tr[data-value="${r.value}"] td[data-contestant="${r.contestant}"]`).textContent()) ?? '';
          const m = cell.match(/^([\d,.]+) \(([\d,.]+)\)$/);
          expect(m, `${axis}/${phase}/${r.contestant}/${r.value}: "${cell}"`).not.toBeNull();
          expect(shows(m![1]!, value(r, phase, 'samples')), `${cell} samples/s`).toBe(true);
          expect(shows(m![2]!, value(r, phase, 'gflops')), `${cell} GFLOP/s`).toBe(true);
        }
        await chart.locator('button[data-metric="samples"]').click();
        await checkChart(chart, axis, phase, 'samples');
      }
    }
    await page.getByTestId('bench-sweep').screenshot({ path: join(artifacts, 'benchmarks-sweep-light.png') });
    const gflops = page.locator('[data-chart="sweep-train-batch"]');
    await gflops.locator('button[data-metric="gflops"]').click();
    await gflops.screenshot({ path: join(artifacts, 'benchmarks-sweep-gflops.png') });
    expect(await axisTextLuminance(page), 'axis text is dark on the light theme').toBeLessThan(0.4);
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('renders the charts in the static HTML, before any script runs', async () => {
    const html = await (await fetch(`${site.url}/benchmarks`)).text();
    const contestants = new Set(rows.map((r) => r.contestant));
    for (const axis of new Set(rows.map((r) => r.axis))) {
      for (const phase of ['train', 'infer']) expect(html).toContain(`data-chart="sweep-${phase}-${axis}"`);
    }
    const paths = html.match(/<path d="[^"]*"[^>]*data-contestant="[^"]*"/g) ?? [];
    expect(paths.length).toBe(2 * new Set(rows.map((r) => r.axis)).size * contestants.size);
    expect(html).toContain('How cost grows');
  });

  it('suits the dark theme and a 420 px wide screen without horizontal overflow', async () => {
    const dark = await openPage(site, '/benchmarks', { colorScheme: 'dark' });
    await settled(dark.page);
    expect(await dark.page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await axisTextLuminance(dark.page), 'axis text is light on the dark theme').toBeGreaterThan(0.6);
    await dark.page.getByTestId('bench-sweep').screenshot({ path: join(artifacts, 'benchmarks-sweep-dark.png') });
    expect(dark.errors).toEqual([]);
    await dark.page.close();

    const { page, errors } = await openPage(site, '/benchmarks', { viewport: { width: 420, height: 900 }, colorScheme: 'dark' });
    await settled(page);
    // With every table of the sweep open too.
    for (const summary of await page.locator('[data-chart] details summary').all()) await summary.click();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // The charts redraw at their box's width, so their text keeps its size (no shrunken viewBox).
    const svg = page.locator('[data-chart="sweep-train-width"] svg[role="img"]');
    await svg.scrollIntoViewIfNeeded();
    await page.waitForTimeout(200);
    const { drawn, box } = await svg.evaluate((s) => ({ drawn: (s as SVGSVGElement).viewBox.baseVal.width, box: s.getBoundingClientRect().width }));
    expect(box).toBeLessThan(420);
    expect(Math.abs(drawn - box), `viewBox ${drawn} against box ${box}`).toBeLessThan(2);
    await page.locator('[data-chart="sweep-train-width"]').screenshot({ path: join(artifacts, 'benchmarks-sweep-narrow.png') });
    await page.getByTestId('bench-threads').screenshot({ path: join(artifacts, 'benchmarks-threads-narrow.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
