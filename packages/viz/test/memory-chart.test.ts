// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { logLogFit } from '../src/fit.js';
import { memoryChart, memorySeries } from '../src/memory-chart.js';
import type { MemoryResults } from '../src/types.js';
import { host } from './helpers.js';

const depths = [4, 8, 16, 32, 64];
// Synthetic results following exact power laws: memory = c L and c sqrt(L).
const results: MemoryResults = {
  machine: { cpu: 'test' },
  configs: [
    ...depths.map((depth) => ({ strategy: 'none' as const, label: 'store all', depth, peakActivationBytes: 4096 * depth, forwardEvaluations: depth, msPerStep: 1 })),
    ...depths.map((depth) => ({ strategy: 'sqrt' as const, label: 'sqrt(L)', depth, peakActivationBytes: 4096 * Math.sqrt(depth), measuredBytes: 5000 * Math.sqrt(depth) })),
  ],
  slopes: { 'store all': 1.01 },
};

describe('memoryChart', () => {
  it('logLogFit recovers the exponent of a power law', () => {
    const fit = logLogFit(depths.map((d) => [d, 3 * d ** 0.5] as const))!;
    expect(fit.slope).toBeCloseTo(0.5, 12);
    expect(Math.exp(fit.intercept)).toBeCloseTo(3, 10);
    expect(logLogFit([[4, 1]])).toBeNull();
  });

  it('memorySeries groups by label and fits slopes 1 and 0.5', () => {
    const series = memorySeries(results);
    expect(series.map((s) => s.label)).toEqual(['store all', 'sqrt(L)']);
    expect(series[0]!.slope).toBeCloseTo(1, 12);
    expect(series[1]!.slope).toBeCloseTo(0.5, 12);
    expect(series[0]!.reportedSlope).toBe(1.01);
    // measuredBytes is optional: only configurations that have it are drawn.
    const measured = memorySeries(results, 'measuredBytes');
    expect(measured.map((s) => s.label)).toEqual(['sqrt(L)']);
  });

  it('update(results) draws one line per label with its points and the fitted slope in the legend', () => {
    const el = host();
    const view = memoryChart(el, { width: 700 });
    view.update(results);
    expect(el.querySelectorAll('g.strategy').length).toBe(2);
    expect(el.querySelectorAll('g.strategy path.point').length).toBe(10);
    expect([...el.querySelectorAll('text.slope')].map((t) => t.textContent)).toEqual(['slope 1.00 (file: 1.01)', 'slope 0.50']);
    const xTicks = [...el.querySelectorAll('g.x-axis .tick text')].map((t) => t.textContent);
    expect(xTicks).toEqual(['4', '8', '16', '32', '64']);
    view.destroy();
    expect(el.childNodes.length).toBe(0);
  });

  it('bad results draw a message', () => {
    const el = host();
    const view = memoryChart(el);
    view.update({} as MemoryResults);
    expect(el.querySelector('[role=alert]')?.textContent).toContain('expected { configs');
    view.update({ configs: [{ strategy: 'none', label: 'x', depth: 4, peakActivationBytes: Number.NaN }] });
    expect(el.querySelector('[role=alert]')?.textContent).toContain('no configuration');
    view.update(results);
    expect(el.querySelector('[role=alert]')).toBeNull();
    view.destroy();
  });
});
