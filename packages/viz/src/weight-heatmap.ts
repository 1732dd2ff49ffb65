import { signedColor, signedRgb } from './colors.js';
import { formatValue, superscript } from './format.js';
import { createMessage } from './message.js';
import { squareShape } from './sample.js';
import { createTooltip } from './tooltip.js';
import type { NetworkSnapshot } from './types.js';
import { checkSnapshot } from './validate.js';
import { type BaseOptions, context2d, mountView, SVG_NS, type ViewHandle } from './view.js';

/** Options of `weightHeatmap`. */
export interface WeightHeatmapOptions extends BaseOptions {
  /** Layer k whose W^k is drawn, 1..L, when the data is a model. Default 1. */
  readonly layer?: number;
  /**
   * Draw each unit's incoming weights as an image of this many rows x columns (their product
   * must be n_{k-1}). `'auto'` does it when n_{k-1} is a square of at least 8 x 8 (784 inputs:
   * 28 x 28); `'none'` always draws the plain n_k x n_{k-1} matrix. Default 'auto'.
   */
  readonly image?: 'auto' | 'none' | readonly [number, number];
  /** Images per row in image mode. Default: as many 48-pixel tiles as fit the width. */
  readonly columns?: number;
  /** Height of the plain matrix in pixels. Default: square cells, between 60 and 400. */
  readonly height?: number;
  /** Colour range: the largest |w| of the layer (`'layer'`) or of each unit (`'unit'`). Default 'layer'. */
  readonly scale?: 'layer' | 'unit';
}

export const weightHeatmapDefaults = { layer: 1, image: 'auto', scale: 'layer' } as const;

/** What `weightHeatmap(...).update` reads: a model (and which layer), or one weight matrix (n_k rows of n_{k-1}); a bare model is read as `{ model }`. */
export type WeightHeatmapData = { readonly model: NetworkSnapshot; readonly layer?: number } | { readonly weights: readonly (readonly number[])[] };

/** Where unit i's weight from input j sits on the canvas, and back. */
interface Layout {
  readonly width: number;
  readonly height: number;
  /** Canvas pixel of W[i][j]. */
  at(i: number, j: number): [number, number];
  /** W[i][j] under a canvas pixel, or null in a gap. */
  find(px: number, py: number): [number, number] | null;
  readonly describe: string;
}

function matrixLayout(rows: number, cols: number): Layout {
  return {
    width: cols,
    height: rows,
    at: (i, j) => [j, i],
    find: (px, py) => (px >= 0 && py >= 0 && px < cols && py < rows ? [py, px] : null),
    describe: `${rows} units (rows) by ${cols} inputs (columns)`,
  };
}

function imageLayout(units: number, shape: readonly [number, number], columns: number): Layout {
  const [r, c] = shape;
  const gridRows = Math.ceil(units / columns);
  return {
    width: columns * (c + 1) - 1,
    height: gridRows * (r + 1) - 1,
    at: (i, j) => [(i % columns) * (c + 1) + (j % c), Math.floor(i / columns) * (r + 1) + Math.floor(j / c)],
    find: (px, py) => {
      const tx = Math.floor(px / (c + 1));
      const ty = Math.floor(py / (r + 1));
      const ox = px - tx * (c + 1);
      const oy = py - ty * (r + 1);
      const i = ty * columns + tx;
      if (px < 0 || py < 0 || tx >= columns || ox >= c || oy >= r || i >= units) return null;
      return [i, oy * c + ox];
    },
    describe: `${units} units, each unit's ${r * c} input weights as a ${r}x${c} image`,
  };
}

/**
 * One layer's weights as a heatmap on a canvas (dark blue negative, near white zero, orange
 * positive). With 784 inputs each hidden unit's weights are drawn as a 28x28 image, a grid of
 * small images; otherwise the plain matrix. Hover, or focus and use the arrow keys, to read a
 * weight.
 */
export function weightHeatmap(container: Element, options: WeightHeatmapOptions = {}): ViewHandle<WeightHeatmapData | NetworkSnapshot> {
  const o = { ...weightHeatmapDefaults, ...options };
  const m = mountView(container, options, 'weights', 'Weight heatmap', () => render());
  const caption = m.doc.createElement('div');
  caption.className = 'nabla-caption';
  caption.style.margin = '0 0 4px 0';
  m.root.appendChild(caption);
  const frame = m.doc.createElement('div');
  frame.style.position = 'relative';
  m.root.appendChild(frame);
  const canvas = m.doc.createElement('canvas');
  canvas.setAttribute('tabindex', '0');
  canvas.setAttribute('role', 'img');
  canvas.style.cssText = 'display:block;image-rendering:pixelated;outline-offset:2px;';
  frame.appendChild(canvas);
  const marker = m.doc.createElement('div');
  marker.style.cssText = 'position:absolute;pointer-events:none;display:none;outline:2px solid #111;';
  frame.appendChild(marker);
  const legend = m.doc.createElementNS(SVG_NS, 'svg');
  legend.setAttribute('class', 'legend');
  legend.setAttribute('aria-hidden', 'true');
  legend.style.display = 'block';
  m.root.appendChild(legend);
  const tip = createTooltip(m.root);
  const message = createMessage(m.root, () => [caption, frame, legend]);
  let weights: readonly (readonly number[])[] | null = null;
  let layerIndex = o.layer;
  let layout: Layout | null = null;
  let sx = 1;
  let sy = 1;
  let cursor: [number, number] = [0, 0];

  const show = (i: number, j: number, keyboard: boolean): void => {
    if (!layout || !weights) return;
    const [px, py] = layout.at(i, j);
    const shape = layoutShape;
    const where = shape ? ` (row ${Math.floor(j / shape[1])}, col ${j % shape[1]})` : '';
    tip.show(`W^${layerIndex}[${i}][${j}] = ${formatValue(weights[i]![j]!)}\nunit ${i}, input ${j}${where}`, px * sx, py * sy + caption.offsetHeight);
    if (keyboard) {
      marker.style.display = 'block';
      marker.style.left = `${px * sx}px`;
      marker.style.top = `${py * sy}px`;
      marker.style.width = `${Math.max(2, sx)}px`;
      marker.style.height = `${Math.max(2, sy)}px`;
    }
  };
  let layoutShape: readonly [number, number] | null = null;
  canvas.addEventListener('pointermove', (event) => {
    if (!layout) return;
    const rect = canvas.getBoundingClientRect();
    const hit = layout.find(Math.floor((event.clientX - rect.left) / sx), Math.floor((event.clientY - rect.top) / sy));
    if (hit) show(hit[0], hit[1], false);
    else tip.hide();
  });
  canvas.addEventListener('pointerleave', () => tip.hide());
  canvas.addEventListener('blur', () => {
    tip.hide();
    marker.style.display = 'none';
  });
  canvas.addEventListener('keydown', (event) => {
    if (!weights || !layout) return;
    const rows = weights.length;
    const cols = weights[0]!.length;
    const [i, j] = cursor;
    const s = layoutShape;
    const moves: Record<string, [number, number]> = s
      ? { ArrowRight: [i, Math.min(cols - 1, j + 1)], ArrowLeft: [i, Math.max(0, j - 1)], ArrowDown: [i, Math.min(cols - 1, j + s[1])], ArrowUp: [i, Math.max(0, j - s[1])], PageDown: [Math.min(rows - 1, i + 1), j], PageUp: [Math.max(0, i - 1), j] }
      : { ArrowRight: [i, Math.min(cols - 1, j + 1)], ArrowLeft: [i, Math.max(0, j - 1)], ArrowDown: [Math.min(rows - 1, i + 1), j], ArrowUp: [Math.max(0, i - 1), j] };
    const next = moves[event.key];
    if (!next) return;
    event.preventDefault();
    cursor = next;
    show(next[0], next[1], true);
  });
  canvas.addEventListener('focus', () => show(cursor[0], cursor[1], true));

  function render(): void {
    if (!weights) return;
    const rows = weights.length;
    const cols = weights[0]!.length;
    const width = m.width();
    const shape = o.image === 'none' ? null : o.image === 'auto' ? squareShape(cols) : o.image[0] * o.image[1] === cols ? o.image : null;
    layoutShape = shape;
    if (shape) {
      const columns = Math.max(1, Math.min(rows, Math.floor(o.columns ?? width / 48)));
      layout = imageLayout(rows, shape, columns);
    } else layout = matrixLayout(rows, cols);
    sx = width / layout.width;
    const cssHeight = shape ? layout.height * sx : (o.height ?? Math.max(60, Math.min(400, layout.height * sx)));
    sy = cssHeight / layout.height;
    canvas.width = layout.width;
    canvas.height = layout.height;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${cssHeight}px`;
    canvas.dataset.layout = shape ? 'images' : 'matrix';
    canvas.setAttribute('aria-label', `Weights of layer ${layerIndex}: ${layout.describe}. Arrow keys read one weight${shape ? '; Page Up and Page Down change unit' : ''}.`);
    let layerMax = 0;
    for (const row of weights) for (const v of row) layerMax = Math.max(layerMax, Math.abs(v));
    const ctx = context2d(canvas);
    if (ctx) {
      const img = ctx.createImageData(layout.width, layout.height);
      img.data.fill(255);
      for (let i = 0; i < rows; i++) {
        const row = weights[i]!;
        let max = layerMax;
        if (o.scale === 'unit') {
          max = 0;
          for (const v of row) max = Math.max(max, Math.abs(v));
        }
        const s = max || 1;
        for (let j = 0; j < cols; j++) {
          const [px, py] = layout.at(i, j);
          const [r, g, b] = signedRgb(row[j]! / s);
          const at = (py * layout.width + px) * 4;
          img.data[at] = r;
          img.data[at + 1] = g;
          img.data[at + 2] = b;
        }
      }
      ctx.putImageData(img, 0, 0);
    }
    caption.textContent = `W${superscript(layerIndex)}: ${layout.describe}; colour from −${formatValue(layerMax)} (dark blue) through 0 to +${formatValue(layerMax)} (orange)${o.scale === 'unit' ? ', scaled per unit' : ''}`;
    // Legend: a strip of swatches from -max to +max.
    const n = 41;
    const lw = Math.min(240, width);
    legend.setAttribute('width', String(lw));
    legend.setAttribute('height', '24');
    while (legend.firstChild) legend.firstChild.remove();
    for (let s = 0; s < n; s++) {
      const rect = m.doc.createElementNS(SVG_NS, 'rect');
      rect.setAttribute('x', String((s * lw) / n));
      rect.setAttribute('y', '4');
      rect.setAttribute('width', String(lw / n + 0.5));
      rect.setAttribute('height', '8');
      rect.setAttribute('fill', signedColor((s / (n - 1)) * 2 - 1));
      legend.appendChild(rect);
    }
    for (const [t, anchor, x] of [
      [`−${formatValue(layerMax)}`, 'start', 0],
      ['0', 'middle', lw / 2],
      [`+${formatValue(layerMax)}`, 'end', lw],
    ] as const) {
      const text = m.doc.createElementNS(SVG_NS, 'text');
      text.setAttribute('x', String(x));
      text.setAttribute('y', '23');
      text.setAttribute('text-anchor', anchor);
      text.setAttribute('font-size', '10');
      text.textContent = t;
      legend.appendChild(text);
    }
  }

  return {
    update(input) {
      // A bare snapshot (e.g. a model file loaded by the element's `src`) is read as { model }.
      const data: WeightHeatmapData = input && typeof input === 'object' && 'sizes' in input ? { model: input as NetworkSnapshot } : input;
      let w: readonly (readonly number[])[] | undefined;
      let problem: string | null = null;
      if (data && typeof data === 'object' && 'model' in data) {
        const k = data.layer ?? o.layer;
        problem = checkSnapshot(data.model);
        if (problem === null && (!Number.isInteger(k) || k < 1 || k > data.model.layers.length)) problem = `layer ${k} is outside 1..${data.model.layers.length}`;
        if (problem === null) {
          w = data.model.layers[k - 1]!.weights;
          layerIndex = k;
        }
      } else if (data && typeof data === 'object' && 'weights' in data) {
        const rows = Array.isArray(data.weights) ? data.weights.length : 0;
        const cols = rows > 0 && Array.isArray(data.weights[0]) ? data.weights[0].length : 0;
        problem = rows > 0 && cols > 0 ? checkSnapshot({ sizes: [cols, rows], layers: [{ activation: '', weights: data.weights, bias: new Array(rows).fill(0) }] }) : 'weights must be a non-empty matrix';
        w = data.weights;
      } else problem = `expected { model, layer? } or { weights }, got ${data === null ? 'null' : typeof data}`;
      if (problem !== null || !w) {
        weights = null;
        layout = null;
        message.set(`Weight heatmap: cannot draw these weights: ${(problem ?? 'no weights').replace(/^layers\[0\]\./, '')}.`);
        return;
      }
      message.set(null);
      weights = w;
      cursor = [Math.min(cursor[0], w.length - 1), Math.min(cursor[1], w[0]!.length - 1)];
      render();
    },
    destroy() {
      m.dispose();
    },
  };
}
