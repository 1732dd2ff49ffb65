import { signedColor } from './colors.js';

/** One drawn edge of the network diagram: W^layer[to][from], from g^{layer-1}_from to g^layer_to. */
export interface EdgeDatum {
  readonly layer: number;
  readonly from: number;
  readonly to: number;
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly weight: number;
  /** weight / (largest |w| among the layer's drawn edges), in [-1, 1]. */
  readonly t: number;
}

/** Levels per sign of the relative weight: edges are drawn in 2 x LEVELS + 1 colour and width steps. */
export const LEVELS = 32;

/**
 * How an edge of relative weight t in [-1, 1] is drawn: t rounded to 1/LEVELS, its colour on the
 * signed scale (dark blue negative, orange positive: the sign reads in greyscale as dark or
 * light) and a width growing with sqrt|t|, from 0.3 to 3.5 px.
 */
export function edgeStyle(t: number): { color: string; width: number } {
  const q = Math.round(Math.max(-1, Math.min(1, t)) * LEVELS) / LEVELS;
  return { color: signedColor(q), width: Math.round(30 + 320 * Math.sqrt(Math.abs(q))) / 100 };
}

const STYLES: { color: string; width: number }[] = Array.from({ length: 2 * LEVELS + 1 }, (_, i) => edgeStyle((i - LEVELS) / LEVELS));

/**
 * Draw edges on a 2-D canvas context in CSS pixels (the context is already scaled), with the
 * relative weights `ts` (which may be mid-transition rather than the edges' own). Edges of the
 * same rounded weight share one path and one stroke, so a frame costs at most 2 x LEVELS + 1
 * strokes whatever the number of edges.
 */
export function drawEdges(ctx: CanvasRenderingContext2D, edges: readonly EdgeDatum[], ts: ArrayLike<number>, width: number, height: number): void {
  ctx.clearRect(0, 0, width, height);
  const buckets: number[][] = STYLES.map(() => []);
  for (let i = 0; i < edges.length; i++) {
    const t = ts[i]!;
    buckets[Math.round(Math.max(-1, Math.min(1, t)) * LEVELS) + LEVELS]!.push(i);
  }
  ctx.globalAlpha = 0.85;
  ctx.lineCap = 'butt';
  // Thin, faint edges first so strong ones draw on top.
  const order = STYLES.map((_, b) => b).sort((a, b) => Math.abs(a - LEVELS) - Math.abs(b - LEVELS));
  for (const b of order) {
    const list = buckets[b]!;
    if (list.length === 0) continue;
    ctx.strokeStyle = STYLES[b]!.color;
    ctx.lineWidth = STYLES[b]!.width;
    ctx.beginPath();
    for (const i of list) {
      const e = edges[i]!;
      ctx.moveTo(e.x1, e.y1);
      ctx.lineTo(e.x2, e.y2);
    }
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
}

/** Index of the edge nearest to (x, y) within `tolerance` pixels of it, or -1. */
export function nearestEdge(edges: readonly EdgeDatum[], x: number, y: number, tolerance = 4): number {
  let best = -1;
  let bestD = tolerance * tolerance;
  for (let i = 0; i < edges.length; i++) {
    const e = edges[i]!;
    const dx = e.x2 - e.x1;
    const dy = e.y2 - e.y1;
    const len = dx * dx + dy * dy;
    const u = len === 0 ? 0 : Math.max(0, Math.min(1, ((x - e.x1) * dx + (y - e.y1) * dy) / len));
    const px = e.x1 + u * dx - x;
    const py = e.y1 + u * dy - y;
    const d = px * px + py * py;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}
