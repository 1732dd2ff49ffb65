// Canvas drawing of the playground's live figures. Each call writes pixels straight from the
// worker's typed arrays (no per-cell objects), so a frame stays far below the 50 ms budget.
import { CLASS_COLORS, signedColor } from '@nabla/viz';

type Rgb = readonly [number, number, number];

function parseColor(css: string): Rgb {
  const hex = /^#([0-9a-f]{6})$/i.exec(css);
  if (hex) {
    const v = Number.parseInt(hex[1]!, 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  }
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(css);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [128, 128, 128];
}

/** The signed scale at 257 levels from −1 to 1 (dark blue, white, orange), as bytes. */
const SIGNED: Rgb[] = Array.from({ length: 257 }, (_, i) => parseColor(signedColor(i / 128 - 1)));
const CLASSES: Rgb[] = CLASS_COLORS.map(parseColor);

export function classColor(k: number): string {
  return CLASS_COLORS[k % CLASS_COLORS.length]!;
}

function signedRgb(t: number): Rgb {
  const c = Math.max(-1, Math.min(1, t));
  return SIGNED[Math.round((c + 1) * 128)]!;
}

/** The text colour the canvas inherits from the page (dark or light theme). */
function foreground(canvas: HTMLCanvasElement): string {
  return getComputedStyle(canvas).color || '#333';
}

/** Fit a canvas's backing store to its CSS size times the device pixel ratio; returns the 2-D context and the CSS size. */
export function fitCanvas(canvas: HTMLCanvasElement): { ctx: CanvasRenderingContext2D; w: number; h: number } | null {
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const dpr = Math.min(2, window.devicePixelRatio || 1);
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { ctx, w, h };
}

/**
 * Paint a side x side grid of network outputs (row 0 at y min) into an offscreen image: classes
 * in their colour, paler where unsure (or solid when discretised); a regression output on the
 * signed scale over [−1, 1].
 */
export function gridImage(grid: Float32Array, side: number, outputs: number, classes: number, discretize: boolean): ImageData {
  const img = new ImageData(side, side);
  const d = img.data;
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const cell = r * side + c;
      let rgb: Rgb;
      let t: number;
      if (classes > 0) {
        let best = 0;
        for (let j = 1; j < outputs; j++) if (grid[cell * outputs + j]! > grid[cell * outputs + best]!) best = j;
        const top = grid[cell * outputs + best]!;
        const confidence = Math.max(0, Math.min(1, (top - 1 / outputs) / (1 - 1 / outputs)));
        rgb = CLASSES[best % CLASSES.length]!;
        t = discretize ? 0.55 : 0.12 + 0.6 * confidence;
      } else {
        const v = grid[cell]!;
        rgb = signedRgb(discretize ? Math.sign(v) : v);
        t = 0.85;
      }
      const at = ((side - 1 - r) * side + c) * 4;
      d[at] = Math.round(255 + (rgb[0] - 255) * t);
      d[at + 1] = Math.round(255 + (rgb[1] - 255) * t);
      d[at + 2] = Math.round(255 + (rgb[2] - 255) * t);
      d[at + 3] = 255;
    }
  }
  return img;
}

const scratch = new Map<number, HTMLCanvasElement>();

function scratchCanvas(side: number): HTMLCanvasElement {
  let c = scratch.get(side);
  if (!c) {
    c = document.createElement('canvas');
    c.width = side;
    c.height = side;
    scratch.set(side, c);
  }
  return c;
}

/** Draw an image of side x side cells scaled to (x, y, w, h), smoothed or blocky. */
export function drawImage(ctx: CanvasRenderingContext2D, img: ImageData, x: number, y: number, w: number, h: number, smooth: boolean): void {
  const s = scratchCanvas(img.width);
  s.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = smooth;
  ctx.drawImage(s, x, y, w, h);
}

export interface PointsToDraw {
  readonly points: Float64Array;
  readonly targets: Float64Array;
  readonly trainCount: number;
  readonly classes: number;
  readonly domain: { readonly x: readonly [number, number]; readonly y: readonly [number, number] };
}

/**
 * The decision boundary: the output grid, axes ticks, the training points (white rim) and, when
 * asked, the test points (black rim).
 */
export function drawBoundary(
  canvas: HTMLCanvasElement,
  data: PointsToDraw | null,
  grid: { values: Float32Array; side: number; outputs: number } | null,
  options: { showTest: boolean; discretize: boolean },
  batch?: Uint32Array,
): void {
  const f = fitCanvas(canvas);
  if (!f) return;
  const { ctx, w, h } = f;
  ctx.clearRect(0, 0, w, h);
  if (!data) return;
  const pad = 22;
  const size = Math.min(w, h) - pad - 4;
  const x0 = pad;
  const y0 = 4;
  if (grid) drawImage(ctx, gridImage(grid.values, grid.side, grid.outputs, data.classes, options.discretize), x0, y0, size, size, !options.discretize);
  else {
    ctx.fillStyle = '#f4f4f4';
    ctx.fillRect(x0, y0, size, size);
  }
  const fg = foreground(canvas);
  ctx.strokeStyle = '#999';
  ctx.lineWidth = 1;
  ctx.strokeRect(x0 + 0.5, y0 + 0.5, size - 1, size - 1);
  const { x: dx, y: dy } = data.domain;
  const px = (v: number): number => x0 + ((v - dx[0]) / (dx[1] - dx[0])) * size;
  const py = (v: number): number => y0 + size - ((v - dy[0]) / (dy[1] - dy[0])) * size;
  ctx.fillStyle = fg;
  ctx.font = '10px system-ui, sans-serif';
  ctx.textAlign = 'center';
  for (const v of ticks(dx)) ctx.fillText(formatTick(v), px(v), y0 + size + 12);
  ctx.textAlign = 'right';
  for (const v of ticks(dy)) ctx.fillText(formatTick(v), x0 - 3, py(v) + 3);
  const n = data.targets.length;
  const to = options.showTest ? n : data.trainCount;
  const r = size > 300 ? 3.2 : 2.6;
  for (let i = 0; i < to; i++) {
    const test = i >= data.trainCount;
    const t = data.targets[i]!;
    ctx.beginPath();
    ctx.arc(px(data.points[2 * i]!), py(data.points[2 * i + 1]!), r, 0, 2 * Math.PI);
    ctx.fillStyle = data.classes > 0 ? classColor(t) : signedColor(Math.max(-1, Math.min(1, t)));
    ctx.fill();
    ctx.lineWidth = test ? 1.4 : 1;
    ctx.strokeStyle = test ? '#000' : '#fff';
    ctx.stroke();
  }
  // The batch just trained on (paused or slow motion): a ring around each of its points.
  canvas.dataset.batch = String(batch?.length ?? 0);
  if (batch && batch.length > 0) {
    ctx.strokeStyle = fg;
    ctx.lineWidth = 1.5;
    for (const i of batch) {
      ctx.beginPath();
      ctx.arc(px(data.points[2 * i]!), py(data.points[2 * i + 1]!), r + 3.5, 0, 2 * Math.PI);
      ctx.stroke();
    }
  }
}

function ticks(d: readonly [number, number]): number[] {
  const span = d[1] - d[0];
  const raw = span / 6;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(d[0] / step) * step; v <= d[1] + 1e-9; v += step) out.push(Math.round(v / step) * step);
  return out;
}

function formatTick(v: number): string {
  return Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(0) : String(Number(v.toPrecision(3)));
}

/** One unit's map: its values over the plane on the signed scale, scaled by their largest magnitude. */
export function drawUnitMap(canvas: HTMLCanvasElement, values: Float32Array, side: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]!));
  const img = new ImageData(side, side);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const [cr, cg, cb] = signedRgb(max > 0 ? values[r * side + c]! / max : 0);
      const at = ((side - 1 - r) * side + c) * 4;
      img.data[at] = cr;
      img.data[at + 1] = cg;
      img.data[at + 2] = cb;
      img.data[at + 3] = 255;
    }
  }
  if (canvas.width !== side) {
    canvas.width = side;
    canvas.height = side;
  }
  ctx.putImageData(img, 0, 0);
}

/** Train (solid) and test (dashed) loss against steps, log scale when the range is wide. */
export function drawLossCurves(canvas: HTMLCanvasElement, steps: readonly number[], train: readonly number[], test: readonly number[]): void {
  const f = fitCanvas(canvas);
  if (!f) return;
  const { ctx, w, h } = f;
  ctx.clearRect(0, 0, w, h);
  const left = 40;
  const bottom = h - 16;
  const top = 6;
  const right = w - 6;
  const fg = foreground(canvas);
  ctx.strokeStyle = '#999';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(left, top);
  ctx.lineTo(left, bottom);
  ctx.lineTo(right, bottom);
  ctx.stroke();
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  for (const vs of [train, test]) {
    for (const v of vs) {
      if (Number.isFinite(v) && v > 0) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  if (steps.length < 1 || hi === 0) return;
  const log = hi / lo > 20;
  const tf = (v: number): number => (log ? Math.log10(v) : v);
  if (!log) lo = 0;
  if (hi === lo) hi = lo + 1;
  const s0 = steps[0]!;
  const s1 = Math.max(steps[steps.length - 1]!, s0 + 1);
  const xOf = (s: number): number => left + ((s - s0) / (s1 - s0)) * (right - left);
  const yOf = (v: number): number => bottom - ((tf(Math.max(v, log ? lo : -Infinity)) - tf(lo)) / (tf(hi) - tf(lo))) * (bottom - top);
  ctx.fillStyle = fg;
  ctx.font = '10px system-ui, sans-serif';
  ctx.textAlign = 'right';
  ctx.fillText(hi.toPrecision(2), left - 3, top + 8);
  ctx.fillText(lo.toPrecision(2), left - 3, bottom);
  ctx.textAlign = 'left';
  ctx.fillText(`step ${s0}`, left + 2, h - 3);
  ctx.textAlign = 'right';
  ctx.fillText(`${s1}${log ? ' · log scale' : ''}`, right, h - 3);
  const line = (vs: readonly number[], color: string, dash: number[]): void => {
    ctx.strokeStyle = color;
    ctx.setLineDash(dash);
    ctx.lineWidth = 1.6;
    ctx.beginPath();
    let started = false;
    vs.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      const x = xOf(steps[i]!);
      const y = yOf(v);
      if (started) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      started = true;
    });
    ctx.stroke();
    ctx.setLineDash([]);
  };
  line(train, '#8a8a8a', []);
  line(test, fg, [5, 3]);
}

/**
 * Image mode: test images in a grid, each with the network's prediction under it (dark when it
 * is right, red with the true label when it is wrong).
 */
export function drawDigits(canvas: HTMLCanvasElement, images: Uint8Array, side: number, truth: ArrayLike<number>, predictions: Int32Array | undefined): void {
  const f = fitCanvas(canvas);
  if (!f) return;
  const { ctx, w, h } = f;
  ctx.clearRect(0, 0, w, h);
  const count = images.length / (side * side);
  const cols = 8;
  const rows = Math.ceil(count / cols);
  const cellW = w / cols;
  const cellH = h / rows;
  const size = Math.min(cellW - 6, cellH - 18);
  const img = new ImageData(side, side);
  const fg = foreground(canvas);
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  for (let i = 0; i < count; i++) {
    for (let p = 0; p < side * side; p++) {
      const v = 255 - images[i * side * side + p]!;
      img.data[p * 4] = v;
      img.data[p * 4 + 1] = v;
      img.data[p * 4 + 2] = v;
      img.data[p * 4 + 3] = 255;
    }
    const x = (i % cols) * cellW + (cellW - size) / 2;
    const y = Math.floor(i / cols) * cellH + 2;
    drawImage(ctx, img, x, y, size, size, false);
    const t = truth[i]!;
    const p = predictions?.[i];
    ctx.fillStyle = p === undefined ? '#888' : p === t ? fg : '#d9453a';
    ctx.fillText(p === undefined ? `${t}` : p === t ? `${p}` : `${p} (is ${t})`, x + size / 2, y + size + 12);
  }
}
