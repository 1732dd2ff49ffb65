import { axisBottom, axisLeft } from 'd3-axis';
import { scaleLog } from 'd3-scale';
import { select } from 'd3-selection';
import { line, symbol, symbolCircle, symbolSquare, symbolTriangle } from 'd3-shape';
import { logLogFit } from './fit.js';
import { createMessage } from './message.js';
import type { MemoryConfig, MemoryResults } from './types.js';
import { isFiniteNumber } from './validate.js';
import { type BaseOptions, createSvg, mountView, type ViewHandle } from './view.js';

/** Options of `memoryChart`. */
export interface MemoryChartOptions extends BaseOptions {
  /** Height in pixels. Default 320. */
  readonly height?: number;
  /**
   * Which memory figure to draw: the engine's exact count (`'peakActivationBytes'`) or the
   * outside measurement (`'measuredBytes'`; configurations without it are left out).
   * Default 'peakActivationBytes'.
   */
  readonly metric?: 'peakActivationBytes' | 'measuredBytes';
}

export const memoryChartDefaults = { height: 320, metric: 'peakActivationBytes' } as const;

/** One line of the chart: a label's configurations and the slope fitted to them. */
export interface MemorySeries {
  readonly label: string;
  readonly strategy: string;
  readonly points: readonly (readonly [number, number])[];
  /** Slope of log(memory) against log(depth), fitted by the view; null with fewer than 2 depths. */
  readonly slope: number | null;
  readonly intercept: number | null;
  /** The slope the results file reports for this label, if any. */
  readonly reportedSlope: number | undefined;
}

const STYLE: Record<string, { color: string; dash: string | null; symbol: typeof symbolCircle }> = {
  none: { color: '#23408e', dash: null, symbol: symbolCircle },
  sqrt: { color: '#e3791d', dash: '6 3', symbol: symbolSquare },
  budget: { color: '#3d7a3a', dash: '2 3', symbol: symbolTriangle },
};
const OTHER = { color: '#666', dash: '8 2 2 2', symbol: symbolCircle };

/** Group configurations by label and fit each group's slope on log-log axes. */
export function memorySeries(results: MemoryResults, metric: 'peakActivationBytes' | 'measuredBytes' = 'peakActivationBytes'): MemorySeries[] {
  const groups = new Map<string, MemoryConfig[]>();
  for (const c of results.configs) {
    const list = groups.get(c.label) ?? [];
    list.push(c);
    groups.set(c.label, list);
  }
  const out: MemorySeries[] = [];
  for (const [label, configs] of groups) {
    const points = configs
      .map((c) => [c.depth, c[metric]] as const)
      .filter((p): p is readonly [number, number] => isFiniteNumber(p[0]) && isFiniteNumber(p[1]) && p[0] > 0 && p[1] > 0)
      .sort((a, b) => a[0] - b[0]);
    if (points.length === 0) continue;
    const fit = logLogFit(points);
    out.push({
      label,
      strategy: configs[0]!.strategy,
      points,
      slope: fit?.slope ?? null,
      intercept: fit?.intercept ?? null,
      reportedSlope: results.slopes?.[label],
    });
  }
  return out;
}

function formatBytes(b: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = b;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number(v.toPrecision(3))} ${units[u]}`;
}

/** Powers of two inside [lo, hi], thinned to at most 7 ticks. */
function powerTicks([lo, hi]: [number, number]): number[] {
  const ticks: number[] = [];
  for (let k = Math.ceil(Math.log2(lo)); 2 ** k <= hi; k++) ticks.push(2 ** k);
  const step = Math.ceil(ticks.length / 7);
  return ticks.filter((_, i) => i % step === 0);
}

const MARGIN = { top: 14, right: 190, bottom: 34, left: 64 };

/**
 * Memory against depth on log-log axes, one line per strategy label, with the slope of each
 * line fitted by least squares (slope 1: memory grows like L; 0.5: like √L). Reads the memory
 * benchmark's results file (`apps/bench/results/memory.json`).
 */
export function memoryChart(container: Element, options: MemoryChartOptions = {}): ViewHandle<MemoryResults> {
  const o = { ...memoryChartDefaults, ...options };
  const m = mountView(container, options, 'memory', 'Memory against depth', () => render());
  const svg = createSvg(m, options.label ?? 'Memory against depth, log-log, with fitted slopes');
  const root = select(svg);
  const gx = root.append('g').attr('class', 'x-axis');
  const gy = root.append('g').attr('class', 'y-axis');
  const gSeries = root.append('g').attr('class', 'series');
  const gLegend = root.append('g').attr('class', 'legend');
  const message = createMessage(m.root, () => [svg]);
  let series: MemorySeries[] = [];

  function render(): void {
    if (series.length === 0) return;
    const width = m.width();
    const height = o.height;
    const right = width < 480 ? 12 : MARGIN.right;
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    const xs = series.flatMap((s) => s.points.map((p) => p[0]));
    const ys = series.flatMap((s) => s.points.map((p) => p[1]));
    const span = (lo: number, hi: number): [number, number] => (lo === hi ? [lo / 2, hi * 2] : [lo / 1.15, hi * 1.15]);
    const x = scaleLog()
      .domain(span(Math.min(...xs), Math.max(...xs)))
      .range([MARGIN.left, width - right]);
    const y = scaleLog()
      .domain(span(Math.min(...ys), Math.max(...ys)))
      .range([height - MARGIN.bottom, MARGIN.top]);
    const depthTicks = [...new Set(xs)].sort((a, b) => a - b);
    gx.attr('transform', `translate(0,${height - MARGIN.bottom})`).call(
      axisBottom(x)
        .tickValues(depthTicks.length <= 12 ? depthTicks : x.ticks(6))
        .tickFormat((v) => String(v)),
    );
    gy.attr('transform', `translate(${MARGIN.left},0)`).call(
      axisLeft(y)
        .tickValues(powerTicks(y.domain() as [number, number]))
        .tickFormat((v) => formatBytes(Number(v))),
    );
    root
      .selectAll<SVGTextElement, string>('text.x-title')
      .data(['depth L (layers), log scale'])
      .join('text')
      .attr('class', 'x-title')
      .attr('x', (MARGIN.left + width - right) / 2)
      .attr('y', height - 4)
      .attr('text-anchor', 'middle')
      .attr('fill', 'currentColor')
      .text((d) => d);
    root
      .selectAll<SVGTextElement, string>('text.y-title')
      .data([o.metric === 'measuredBytes' ? 'measured memory' : 'peak activation memory'])
      .join('text')
      .attr('class', 'y-title')
      .attr('transform', `translate(12,${(MARGIN.top + height - MARGIN.bottom) / 2}) rotate(-90)`)
      .attr('text-anchor', 'middle')
      .attr('fill', 'currentColor')
      .text((d) => d);
    const style = (s: MemorySeries) => STYLE[s.strategy] ?? OTHER;
    const path = line<readonly [number, number]>()
      .x((p) => x(p[0]))
      .y((p) => y(p[1]));
    const g = gSeries
      .selectAll<SVGGElement, MemorySeries>('g.strategy')
      .data(series, (s) => s.label)
      .join((enter) => {
        const e = enter.append('g').attr('class', 'strategy');
        e.append('path').attr('class', 'fit').attr('fill', 'none').attr('stroke-width', 1).attr('stroke-opacity', 0.6);
        e.append('path').attr('class', 'data').attr('fill', 'none').attr('stroke-width', 2);
        return e;
      })
      .attr('aria-label', (s) => `${s.label}: ${s.points.length} depths, slope ${s.slope === null ? 'not fitted' : s.slope.toFixed(2)}`);
    g.select('path.data')
      .attr('stroke', (s) => style(s).color)
      .attr('stroke-dasharray', (s) => style(s).dash)
      .attr('d', (s) => path(s.points));
    g.select('path.fit')
      .attr('stroke', (s) => style(s).color)
      .attr('stroke-dasharray', '1 2')
      .attr('d', (s) => {
        if (s.slope === null || s.intercept === null) return null;
        const [d0, d1] = x.domain() as [number, number];
        return path([d0, d1].map((d) => [d, Math.exp(s.intercept! + s.slope! * Math.log(d))] as const));
      });
    g.selectAll<SVGPathElement, readonly [number, number]>('path.point')
      .data((s) => s.points.map((p) => ({ p, s })))
      .join('path')
      .attr('class', 'point')
      .attr('transform', (d) => `translate(${x(d.p[0])},${y(d.p[1])})`)
      .attr('d', (d) => symbol(style(d.s).symbol, 40)())
      .attr('fill', (d) => style(d.s).color)
      .attr('stroke', '#fff')
      .selectAll('title')
      .data((d) => [d])
      .join('title')
      .text((d) => `${d.s.label}, L = ${d.p[0]}: ${formatBytes(d.p[1])}`);
    const legend = gLegend
      .selectAll<SVGGElement, MemorySeries>('g.key')
      .data(series, (s) => s.label)
      .join((enter) => {
        const k = enter.append('g').attr('class', 'key');
        k.append('line').attr('x1', 0).attr('x2', 20).attr('y1', -4).attr('y2', -4).attr('stroke-width', 2);
        k.append('text').attr('class', 'name').attr('x', 26).attr('fill', 'currentColor');
        k.append('text').attr('class', 'slope').attr('x', 26).attr('y', 13).attr('fill', '#555');
        return k;
      })
      .attr('transform', (_, i) =>
        width < 480 ? `translate(${MARGIN.left + 8},${MARGIN.top + 8 + i * 30})` : `translate(${width - right + 16},${MARGIN.top + 10 + i * 34})`,
      );
    legend
      .select('line')
      .attr('stroke', (s) => style(s).color)
      .attr('stroke-dasharray', (s) => style(s).dash);
    legend.select('text.name').text((s) => s.label);
    legend
      .select('text.slope')
      .text(
        (s) =>
          `slope ${s.slope === null ? '—' : s.slope.toFixed(2)}${s.reportedSlope !== undefined && isFiniteNumber(s.reportedSlope) ? ` (file: ${s.reportedSlope.toFixed(2)})` : ''}`,
      );
  }

  return {
    update(results) {
      if (!results || typeof results !== 'object' || !Array.isArray(results.configs)) {
        series = [];
        gSeries.selectAll('*').remove();
        gLegend.selectAll('*').remove();
        message.set(`Memory chart: expected { configs: [...] }, got ${results === null ? 'null' : typeof results}.`);
        return;
      }
      series = memorySeries(results, o.metric);
      if (series.length === 0) {
        gSeries.selectAll('*').remove();
        gLegend.selectAll('*').remove();
        message.set(`Memory chart: no configuration has a positive depth and ${o.metric}.`);
        return;
      }
      message.set(null);
      render();
    },
    destroy() {
      m.dispose();
    },
  };
}
