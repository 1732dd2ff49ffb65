import { axisBottom, axisLeft } from 'd3-axis';
import { scaleLinear, scaleLog } from 'd3-scale';
import { select } from 'd3-selection';
import { line } from 'd3-shape';
import { createMessage } from './message.js';
import type { EpochPoint, StepPoint } from './types.js';
import { isFiniteNumber } from './validate.js';
import { type BaseOptions, createSvg, mountView, type ViewHandle } from './view.js';

/** Options of `trainingCurves`. */
export interface TrainingCurvesOptions extends BaseOptions {
  /** Height of each panel (loss, accuracy) in pixels. Default 200. */
  readonly height?: number;
  /** Draw loss on a logarithmic axis. Default false. */
  readonly logScale?: boolean;
  /**
   * What the x axis counts: `'epoch'` draws `epochs`, `'step'` draws `steps`; `'auto'` picks
   * epochs when there are any, else steps. Default 'auto'.
   */
  readonly x?: 'auto' | 'epoch' | 'step';
}

export const trainingCurvesDefaults = { height: 200, logScale: false, x: 'auto' } as const;

/**
 * What `trainingCurves(...).update` reads: `History.epochs` from core (or any `EpochPoint[]`),
 * per-step points, or both. A bare array is read as epochs.
 */
export type TrainingCurvesData = readonly EpochPoint[] | { readonly epochs?: readonly EpochPoint[]; readonly steps?: readonly StepPoint[] };

/** One drawn line. */
export interface CurveSeries {
  readonly name: string;
  readonly panel: 'loss' | 'accuracy';
  readonly dash: string | null;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
}

const MARGIN = { top: 22, right: 16, bottom: 30, left: 52 };
/** Approximate width of a character of the 11 px legend text. */
const CHAR = 6.2;

/**
 * Place legend keys of the given widths right-aligned on the title's line when they fit between
 * `firstStart` and `end`, else on following lines between `start` and `end`, wrapping as needed.
 */
export function legendLayout(widths: readonly number[], firstStart: number, start: number, end: number): { x: number; row: number }[] {
  const total = widths.reduce((a, b) => a + b + 8, 0);
  if (firstStart + total <= end) {
    let x = end - total + 8;
    return widths.map((w) => {
      const at = { x, row: 0 };
      x += w + 8;
      return at;
    });
  }
  const out: { x: number; row: number }[] = [];
  let row = 1;
  let x = start;
  for (const w of widths) {
    if (x > start && x + w > end) {
      row++;
      x = start;
    }
    out.push({ x, row });
    x += w + 8;
  }
  return out;
}
const TRAIN = '#23408e';
const VALID = '#e3791d';

/** Turn history into drawable series: train solid dark blue, validation dashed orange. */
export function curveSeries(data: TrainingCurvesData, x: 'auto' | 'epoch' | 'step', logScale: boolean): CurveSeries[] {
  const epochs = Array.isArray(data) ? (data as readonly EpochPoint[]) : ((data as { epochs?: readonly EpochPoint[] }).epochs ?? []);
  const steps = Array.isArray(data) ? [] : ((data as { steps?: readonly StepPoint[] }).steps ?? []);
  const useSteps = x === 'step' || (x === 'auto' && epochs.length === 0);
  const keepLoss = (v: unknown): v is number => isFiniteNumber(v) && (!logScale || v > 0);
  const pick = <T>(rows: readonly T[], key: (r: T) => number, value: (r: T) => unknown, keep: (v: unknown) => v is number): [number, number][] => {
    const out: [number, number][] = [];
    for (const r of rows) {
      const xv = key(r);
      const v = value(r);
      if (isFiniteNumber(xv) && keep(v)) out.push([xv, v]);
    }
    return out;
  };
  const anyFinite = (v: unknown): v is number => isFiniteNumber(v);
  const series: CurveSeries[] = useSteps
    ? [
        { name: 'train loss', panel: 'loss', dash: null, color: TRAIN, points: pick(steps, (r) => r.step, (r) => r.loss, keepLoss) },
        { name: 'train accuracy', panel: 'accuracy', dash: null, color: TRAIN, points: pick(steps, (r) => r.step, (r) => r.accuracy, anyFinite) },
      ]
    : [
        { name: 'train loss', panel: 'loss', dash: null, color: TRAIN, points: pick(epochs, (r) => r.epoch, (r) => r.loss, keepLoss) },
        { name: 'validation loss', panel: 'loss', dash: '6 3', color: VALID, points: pick(epochs, (r) => r.epoch, (r) => r.valLoss, keepLoss) },
        { name: 'train accuracy', panel: 'accuracy', dash: null, color: TRAIN, points: pick(epochs, (r) => r.epoch, (r) => r.accuracy, anyFinite) },
        { name: 'validation accuracy', panel: 'accuracy', dash: '6 3', color: VALID, points: pick(epochs, (r) => r.epoch, (r) => r.valAccuracy, anyFinite) },
      ];
  return series.filter((s) => s.points.length > 0);
}

/**
 * Loss and accuracy curves, train and validation, against epoch or step; call `update` with the
 * whole history after every epoch (or step) to draw it live. Loss and accuracy get a panel each;
 * the accuracy panel appears when there are accuracies.
 */
export function trainingCurves(container: Element, options: TrainingCurvesOptions = {}): ViewHandle<TrainingCurvesData> {
  const o = { ...trainingCurvesDefaults, ...options };
  const m = mountView(container, options, 'curves', 'Training curves', () => render());
  const svg = createSvg(m, options.label ?? 'Training curves: loss and accuracy against time');
  const root = select(svg);
  const message = createMessage(m.root, () => [svg]);
  let last: TrainingCurvesData | null = null;

  function render(): void {
    if (!last) return;
    const series = curveSeries(last, o.x, o.logScale);
    const epochs = Array.isArray(last) || (last as { epochs?: unknown[] }).epochs?.length;
    const xName = o.x === 'step' || (o.x === 'auto' && !epochs) ? 'step' : 'epoch';
    if (series.length === 0) {
      root.selectAll('g.panel').remove();
      message.set('Training curves: no finite values to draw yet.');
      return;
    }
    message.set(null);
    const width = m.width();
    const panels = (['loss', 'accuracy'] as const).filter((p) => series.some((s) => s.panel === p));
    const h = o.height;
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(h * panels.length));
    svg.setAttribute('viewBox', `0 0 ${width} ${h * panels.length}`);
    const allX = series.flatMap((s) => s.points.map((p) => p[0]));
    const x0 = Math.min(...allX);
    const x1 = Math.max(...allX);
    const x = scaleLinear()
      .domain(x0 === x1 ? [x0 - 1, x1 + 1] : [x0, x1])
      .range([MARGIN.left, width - MARGIN.right]);
    const panelSel = root
      .selectAll<SVGGElement, string>('g.panel')
      .data(panels, (p) => p)
      .join((enter) => {
        const g = enter.append('g').attr('class', (p) => `panel panel-${p}`);
        g.append('g').attr('class', 'x-axis');
        g.append('g').attr('class', 'y-axis');
        g.append('text').attr('class', 'panel-title').attr('font-weight', 'bold').attr('fill', 'currentColor');
        g.append('g').attr('class', 'lines').attr('fill', 'none');
        g.append('g').attr('class', 'legend');
        return g;
      })
      .attr('transform', (_, i) => `translate(0,${i * h})`);
    panelSel.each(function (panel) {
      const g = select(this);
      const own = series.filter((s) => s.panel === panel);
      const ys = own.flatMap((s) => s.points.map((p) => p[1]));
      let y0 = Math.min(...ys);
      let y1 = Math.max(...ys);
      const log = o.logScale && panel === 'loss';
      if (panel === 'accuracy') {
        y0 = Math.min(y0, 0);
        y1 = Math.max(y1, 1);
      }
      if (y0 === y1) {
        y0 = log ? y0 / 2 : y0 - 1;
        y1 = log ? y1 * 2 : y1 + 1;
      }
      // Title and legend share the top line when they fit; the legend wraps onto more lines when not.
      const title = `${panel === 'loss' ? `loss${log ? ' (log scale)' : ''}` : 'accuracy'} vs ${xName}`;
      const keyText = (s: CurveSeries) => `${s.name} ${s.points[s.points.length - 1]![1].toPrecision(3)}`;
      const slots = legendLayout(
        own.map((s) => 26 + keyText(s).length * CHAR),
        MARGIN.left + title.length * (CHAR + 0.6) + 16,
        MARGIN.left,
        width - MARGIN.right,
      );
      const top = MARGIN.top + 14 * Math.max(0, ...slots.map((p) => p.row));
      const y = (log ? scaleLog() : scaleLinear()).domain([y0, y1]).range([h - MARGIN.bottom, top]);
      if (!log) y.nice();
      g.select<SVGGElement>('g.x-axis')
        .attr('transform', `translate(0,${h - MARGIN.bottom})`)
        .call(axisBottom(x).ticks(Math.max(2, Math.floor(width / 80))).tickSizeOuter(0));
      g.select<SVGGElement>('g.y-axis')
        .attr('transform', `translate(${MARGIN.left},0)`)
        .call(axisLeft(y).ticks(5, log ? '~g' : undefined).tickSizeOuter(0));
      g.select('text.panel-title').attr('x', MARGIN.left).attr('y', 13).text(title);
      const path = line<readonly [number, number]>()
        .x((p) => x(p[0]))
        .y((p) => y(p[1]));
      g.select('g.lines')
        .selectAll<SVGPathElement, CurveSeries>('path.curve')
        .data(own, (s) => s.name)
        .join('path')
        .attr('class', 'curve')
        .attr('stroke', (s) => s.color)
        .attr('stroke-width', 2)
        .attr('stroke-dasharray', (s) => s.dash)
        .attr('aria-label', (s) => `${s.name}: ${s.points.length} points, last ${s.points[s.points.length - 1]![1].toPrecision(4)}`)
        .attr('d', (s) => path(s.points));
      g.select('g.lines')
        .selectAll<SVGCircleElement, CurveSeries>('circle.last')
        .data(own, (s) => s.name)
        .join('circle')
        .attr('class', 'last')
        .attr('r', 3)
        .attr('fill', (s) => s.color)
        .attr('cx', (s) => x(s.points[s.points.length - 1]![0]))
        .attr('cy', (s) => y(s.points[s.points.length - 1]![1]));
      const legend = g
        .select('g.legend')
        .selectAll<SVGGElement, CurveSeries>('g.key')
        .data(own, (s) => s.name)
        .join((enter) => {
          const k = enter.append('g').attr('class', 'key');
          k.append('line').attr('x1', 0).attr('x2', 18).attr('y1', -4).attr('y2', -4).attr('stroke-width', 2);
          k.append('text').attr('x', 22).attr('fill', 'currentColor');
          return k;
        })
        .attr('transform', (_, i) => `translate(${slots[i]!.x},${13 + 14 * slots[i]!.row})`);
      legend
        .select('line')
        .attr('stroke', (s) => s.color)
        .attr('stroke-dasharray', (s) => s.dash);
      legend.select('text').text(keyText);
    });
  }

  return {
    update(data) {
      if (data === null || typeof data !== 'object') {
        last = null;
        root.selectAll('g.panel').remove();
        message.set(`Training curves: expected an array of epochs or { epochs, steps }, got ${String(data)}.`);
        return;
      }
      last = data;
      render();
    },
    destroy() {
      m.dispose();
    },
  };
}
