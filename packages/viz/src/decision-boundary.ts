import { axisBottom, axisLeft } from 'd3-axis';
import { scaleLinear } from 'd3-scale';
import { select } from 'd3-selection';
import { symbol, symbolsFill } from 'd3-shape';
import { CLASS_COLORS, classRgb } from './colors.js';
import { createMessage } from './message.js';
import { isFiniteNumber } from './validate.js';
import { type BaseOptions, context2d, createSvg, mountView, type ViewHandle } from './view.js';

/** Options of `decisionBoundary`. */
export interface DecisionBoundaryOptions extends BaseOptions {
  /** Height in pixels. Default: the width, at most 480. */
  readonly height?: number;
  /** Grid cells per side when a `predict` function is given. Default 64. */
  readonly resolution?: number;
  /**
   * The plane drawn, `{ x: [min, max], y: [min, max] }`. Default: the grid's extent when a grid
   * is given, else the points' extent padded by 10%.
   */
  readonly domain?: { readonly x: readonly [number, number]; readonly y: readonly [number, number] };
  /** Radius of a data point's symbol in pixels. Default 4. */
  readonly pointSize?: number;
}

export const decisionBoundaryDefaults = { resolution: 64, pointSize: 4 } as const;

/**
 * Network outputs precomputed on a regular grid (e.g. in a Web Worker): `outputs[r * cols + c]`
 * is the output at the centre of cell (r, c); row 0 is at y min, column 0 at x min.
 */
export interface BoundaryGrid {
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
  readonly rows: number;
  readonly cols: number;
  readonly outputs: readonly (readonly number[])[];
}

/**
 * What `decisionBoundary(...).update` reads: the data points, their labels, and either a
 * `predict` function (e.g. `(p) => net.predict(p)`; called once per update with all grid
 * points) or a precomputed `grid`. An output of one value is read as P(class 1); several values
 * as class scores, the largest wins.
 */
export interface DecisionBoundaryData {
  readonly points: readonly (readonly number[])[];
  /** Class index per point, or a one-hot (or score) vector per point. */
  readonly labels?: readonly (number | readonly number[])[];
  readonly predict?: (points: number[][]) => readonly (readonly number[])[];
  readonly grid?: BoundaryGrid;
}

/** Centres of a rows x cols grid over the plane, row-major, row 0 at y min. */
export function gridPoints(x: readonly [number, number], y: readonly [number, number], rows: number, cols: number): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < rows; r++) {
    const yv = y[0] + ((r + 0.5) * (y[1] - y[0])) / rows;
    for (let c = 0; c < cols; c++) out.push([x[0] + ((c + 0.5) * (x[1] - x[0])) / cols, yv]);
  }
  return out;
}

/** Class and confidence (0 at a tie, 1 when certain) of one network output. */
export function classify(output: readonly number[]): { cls: number; confidence: number } {
  if (output.length === 1) {
    const p = Math.min(1, Math.max(0, output[0]!));
    return { cls: p >= 0.5 ? 1 : 0, confidence: Math.abs(p - 0.5) * 2 };
  }
  let best = 0;
  let sum = 0;
  for (let i = 0; i < output.length; i++) {
    if (output[i]! > output[best]!) best = i;
    sum += output[i]!;
  }
  const k = output.length;
  const top = sum > 0 ? output[best]! / sum : 1;
  return { cls: best, confidence: Math.max(0, Math.min(1, (top - 1 / k) / (1 - 1 / k))) };
}

function labelOf(l: number | readonly number[]): number {
  return typeof l === 'number' ? l : classify(l).cls;
}

const MARGIN = { top: 10, right: 12, bottom: 28, left: 40 };

/**
 * A decision boundary for 2-D data: the network's output over the plane as a heatmap on a
 * canvas (each class's colour, paler where the network is unsure), the data points on top as
 * symbols (one shape per class).
 */
export function decisionBoundary(container: Element, options: DecisionBoundaryOptions = {}): ViewHandle<DecisionBoundaryData> {
  const o = { ...decisionBoundaryDefaults, ...options };
  const m = mountView(container, options, 'boundary', 'Decision boundary', () => render());
  const canvas = m.doc.createElement('canvas');
  canvas.style.position = 'absolute';
  canvas.setAttribute('aria-hidden', 'true');
  m.root.appendChild(canvas);
  const svg = createSvg(m, options.label ?? 'Decision boundary: network output over the plane with the data points');
  svg.style.position = 'relative';
  const root = select(svg);
  const gx = root.append('g').attr('class', 'x-axis');
  const gy = root.append('g').attr('class', 'y-axis');
  const gPoints = root.append('g').attr('class', 'points');
  const message = createMessage(m.root, () => [svg, canvas]);
  let last: DecisionBoundaryData | null = null;

  function fail(text: string): undefined {
    last = null;
    gPoints.selectAll('*').remove();
    message.set(`Decision boundary: ${text}.`);
  }

  function render(): undefined {
    if (!last) return;
    const { points, labels, predict, grid } = last;
    for (let i = 0; i < points.length; i++) {
      const p = points[i];
      if (!Array.isArray(p) || p.length !== 2 || !isFiniteNumber(p[0]) || !isFiniteNumber(p[1])) {
        return fail(`points[${i}] is ${JSON.stringify(p)}, expected [x, y] with finite numbers`);
      }
    }
    if (labels !== undefined && labels.length !== points.length) return fail(`labels has ${labels.length} entries for ${points.length} points`);
    const width = m.width();
    const height = o.height ?? Math.min(width, 480);
    let domain = o.domain ?? (grid ? { x: grid.x, y: grid.y } : undefined);
    if (!domain) {
      const xs = points.map((p) => p[0]!);
      const ys = points.map((p) => p[1]!);
      const pad = (lo: number, hi: number): [number, number] => {
        const d = hi - lo || 1;
        return [lo - d * 0.1, hi + d * 0.1];
      };
      domain = xs.length ? { x: pad(Math.min(...xs), Math.max(...xs)), y: pad(Math.min(...ys), Math.max(...ys)) } : { x: [-1, 1], y: [-1, 1] };
    }
    let rows: number;
    let cols: number;
    let outputs: readonly (readonly number[])[];
    if (grid) {
      ({ rows, cols, outputs } = grid);
      if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) return fail(`grid is ${rows}x${cols}, expected positive integers`);
      if (!Array.isArray(outputs) || outputs.length !== rows * cols) return fail(`grid.outputs has ${outputs?.length} entries, expected rows x cols = ${rows * cols}`);
    } else if (predict) {
      rows = cols = Math.max(2, Math.floor(o.resolution));
      try {
        outputs = predict(gridPoints(domain.x, domain.y, rows, cols));
      } catch (e) {
        return fail(`predict threw: ${(e as Error).message}`);
      }
      if (!Array.isArray(outputs) || outputs.length !== rows * cols) return fail(`predict returned ${outputs?.length} rows for ${rows * cols} points`);
    } else return fail('pass a predict function or a precomputed grid');
    for (let i = 0; i < outputs.length; i++) {
      const out = outputs[i];
      if (!Array.isArray(out) || out.length === 0 || !out.every(isFiniteNumber)) return fail(`output ${i} is ${JSON.stringify(out)}, expected finite numbers`);
    }
    message.set(null);

    const pw = width - MARGIN.left - MARGIN.right;
    const ph = height - MARGIN.top - MARGIN.bottom;
    const x = scaleLinear().domain(domain.x).range([MARGIN.left, MARGIN.left + pw]);
    const y = scaleLinear().domain(domain.y).range([MARGIN.top + ph, MARGIN.top]);
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    canvas.style.left = `${MARGIN.left}px`;
    canvas.style.top = `${MARGIN.top}px`;
    canvas.style.width = `${pw}px`;
    canvas.style.height = `${ph}px`;
    canvas.width = cols;
    canvas.height = rows;
    canvas.dataset.rows = String(rows);
    canvas.dataset.cols = String(cols);
    const ctx = context2d(canvas);
    if (ctx) {
      const img = ctx.createImageData(cols, rows);
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const { cls, confidence } = classify(outputs[r * cols + c]!);
          const [cr, cg, cb] = classRgb(cls);
          const t = 0.15 + 0.6 * confidence;
          const at = ((rows - 1 - r) * cols + c) * 4; // canvas row 0 is at the top: y max
          img.data[at] = Math.round(255 + (cr - 255) * t);
          img.data[at + 1] = Math.round(255 + (cg - 255) * t);
          img.data[at + 2] = Math.round(255 + (cb - 255) * t);
          img.data[at + 3] = 255;
        }
      }
      ctx.putImageData(img, 0, 0);
    }
    gx.attr('transform', `translate(0,${MARGIN.top + ph})`).call(axisBottom(x).ticks(Math.max(2, Math.floor(pw / 70))));
    gy.attr('transform', `translate(${MARGIN.left},0)`).call(axisLeft(y).ticks(Math.max(2, Math.floor(ph / 50))));
    const data = points.map((p, i) => ({ p, cls: labels ? labelOf(labels[i]!) : 0, i }));
    const sym = symbol();
    gPoints
      .selectAll<SVGPathElement, (typeof data)[number]>('path.point')
      .data(data)
      .join('path')
      .attr('class', 'point')
      .attr('transform', (d) => `translate(${x(d.p[0]!)},${y(d.p[1]!)})`)
      .attr('d', (d) => sym.type(symbolsFill[d.cls % symbolsFill.length]!).size(Math.PI * o.pointSize * o.pointSize)())
      .attr('fill', (d) => CLASS_COLORS[d.cls % CLASS_COLORS.length]!)
      .attr('stroke', '#222')
      .attr('stroke-width', 0.8);
  }

  return {
    update(data) {
      if (data === null || typeof data !== 'object' || !Array.isArray(data.points)) {
        return fail(`expected { points, labels?, predict? | grid? }, got ${data === null ? 'null' : typeof data}`);
      }
      last = data;
      render();
    },
    destroy() {
      m.dispose();
    },
  };
}
