// Over 300 lines: the DOM wiring of one view (canvas edges, SVG units and labels, tooltips, tweening); its geometry is layoutNetwork's.
import { easeCubicInOut } from 'd3-ease';
import { type Selection, select } from 'd3-selection';
import { type Timer, timer } from 'd3-timer';
import { formatValue, superscript } from './format.js';
import { drawEdges, type EdgeDatum, nearestEdge } from './edges.js';
import { createInputImage } from './input-image.js';
import { interruptAll } from './interrupt.js';
import { createMessage } from './message.js';
import { type LayoutColumn, type LayoutNode, layoutNetwork } from './layout-network.js';
import { squareShape } from './sample.js';
import { createTooltip } from './tooltip.js';
import type { NetworkSnapshot } from './types.js';
import { checkSnapshot } from './validate.js';
import { type BaseOptions, context2d, createSvg, mountView, type ViewHandle } from './view.js';

/** Options of `networkDiagram`. */
export interface NetworkDiagramOptions extends BaseOptions {
  /** Height in pixels. Default 360. */
  readonly height?: number;
  /**
   * Most units drawn per layer. A wider layer (784 inputs) is drawn as this many units spread
   * evenly over it, joined by a dotted elision line and labelled with the count left out. Default 16.
   */
  readonly maxUnits?: number;
  /**
   * Length of the animated transition between successive snapshots, milliseconds. 0 draws at
   * once; reduced motion (`prefers-reduced-motion: reduce`) also draws at once. Default 250.
   */
  readonly duration?: number;
  /**
   * Also draw the input g^0 as an image left of the diagram, when activations are given:
   * `'auto'` when n_0 is a square of at least 8 x 8 (784 inputs: 28 x 28), `'none'` never, or
   * `[rows, cols]`. Default 'auto'.
   */
  readonly inputImage?: 'auto' | 'none' | readonly [number, number];
}

export const networkDiagramDefaults = { height: 360, maxUnits: 16, duration: 250, inputImage: 'auto' } as const;

/** What `networkDiagram(...).update` reads. */
export interface NetworkDiagramData {
  /** Weights and sizes: `MLP.toJSON()` or a parsed model file. */
  readonly model: NetworkSnapshot;
  /** g^0..g^L for one input, e.g. `net.activationsOf(sample)`; shades the units. Optional. */
  readonly activations?: readonly (readonly number[])[];
  /** Layers k (0..L) whose activation g^k is kept as a checkpoint; their columns are marked. */
  readonly checkpoints?: readonly number[];
}

/** The diagram's handle: `update`, `destroy`, and the edges as drawn (for inspection and tests). */
export interface NetworkDiagramHandle extends ViewHandle<NetworkDiagramData | NetworkSnapshot> {
  /** The drawn edges of the last snapshot, in drawing order. */
  readonly edges: readonly EdgeDatum[];
}

const MARGIN = { top: 30, right: 24, bottom: 34, left: 24 };

/**
 * Draw a network: units by layer (SVG, focusable), edges on a canvas beneath them coloured by
 * the sign of their weight (dark blue negative, orange positive: dark and light in greyscale)
 * and as thick as their magnitude relative to the largest drawn in the layer; units shaded by activation for one
 * input; checkpointed layers marked. Hover or focus a unit (Tab) to read its activation and
 * bias; hover an edge to read its weight. Successive snapshots of the same shape animate.
 */
export function networkDiagram(container: Element, options: NetworkDiagramOptions = {}): NetworkDiagramHandle {
  const o = { ...networkDiagramDefaults, ...options };
  const m = mountView(container, options, 'network', 'Network diagram', () => render(false));
  const canvas = m.doc.createElement('canvas');
  canvas.className = 'edges';
  canvas.setAttribute('aria-hidden', 'true');
  canvas.style.cssText = 'position:absolute;left:0;top:0;';
  m.root.appendChild(canvas);
  const input = createInputImage(m.root);
  const svg = createSvg(m, options.label ?? 'Network diagram: units by layer, edges by weight');
  svg.style.position = 'relative';
  const root = select(svg);
  const gMarks = root.append('g').attr('class', 'checkpoints');
  const gElide = root.append('g').attr('class', 'elisions');
  const highlight = root.append('line').attr('class', 'edge-highlight').attr('stroke', '#111').attr('stroke-width', 2).style('display', 'none');
  const gNodes = root.append('g').attr('class', 'nodes');
  const gLabels = root.append('g').attr('class', 'labels').attr('text-anchor', 'middle').attr('fill', 'currentColor');
  const message = createMessage(m.root, () => [svg, canvas, input.canvas]);
  const tip = createTooltip(m.root);
  let last: NetworkDiagramData | null = null;
  let lastLayout = '';
  let nodeEls: SVGCircleElement[] = [];
  /** The units as drawn, and each unit element's index into them (no writes to d3's bound data). */
  let nodes: LayoutNode[] = [];
  let nodeIndex = new Map<Element, number>();
  let edges: EdgeDatum[] = [];
  /** Relative weights currently on the canvas (mid-transition values included). */
  let shown = new Float64Array(0);
  let anim: Timer | null = null;
  let size = { width: 0, height: 0 };

  const describeNode = (d: LayoutNode): string =>
    `g^${d.layer} unit ${d.unit}` +
    (d.value === undefined ? '' : `\nactivation ${formatValue(d.value)}`) +
    (d.bias === undefined ? '' : `\nbias ${formatValue(d.bias)}`);
  const describeEdge = (d: EdgeDatum): string => `W^${d.layer}[${d.to}][${d.from}] = ${formatValue(d.weight)}\ng^${d.layer - 1} unit ${d.from} → g^${d.layer} unit ${d.to}`;

  const hide = (): void => {
    tip.hide();
    highlight.style('display', 'none');
  };
  const showNode = (event: Event): void => {
    const i = nodeIndex.get(event.target as Element);
    const d = i === undefined ? undefined : nodes[i];
    if (d === undefined) return;
    highlight.style('display', 'none');
    tip.show(describeNode(d), d.x, d.y);
  };
  const onMove = (event: Event): void => {
    const e = event as PointerEvent;
    if ((e.target as Element).classList?.contains('node')) return;
    const rect = svg.getBoundingClientRect();
    const i = nearestEdge(edges, e.clientX - rect.left, e.clientY - rect.top);
    if (i < 0) {
      hide();
      return;
    }
    const d = edges[i]!;
    highlight.attr('x1', d.x1).attr('y1', d.y1).attr('x2', d.x2).attr('y2', d.y2).style('display', null);
    tip.show(describeEdge(d), (d.x1 + d.x2) / 2, (d.y1 + d.y2) / 2);
  };
  root.on('pointerover focusin', showNode).on('pointermove', onMove).on('pointerleave focusout', hide);

  function paintEdges(ts: ArrayLike<number>): void {
    const ctx = context2d(canvas);
    if (!ctx) return;
    const dpr = m.doc.defaultView?.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawEdges(ctx, edges, ts, size.width, size.height);
  }

  function render(animate: boolean): void {
    if (!last) return;
    const { model, activations, checkpoints } = last;
    const sizes = model.sizes;
    const width = m.width();
    const height = o.height;
    const innerH = height - MARGIN.top - MARGIN.bottom;
    const imageShape = activations ? inputShape(sizes[0]!) : null;
    const imageSide = imageShape ? Math.min(96, innerH, width / 6) : 0;
    const left = MARGIN.left + (imageShape ? imageSide + 20 : 0);
    const layout = layoutNetwork(model, { width, height, maxUnits: o.maxUnits, left, margin: MARGIN }, activations);
    const { columns, r } = layout;
    const next = layout.edges;

    const imageTop = MARGIN.top + (innerH - imageSide) / 2;
    input.draw(imageShape && activations ? { shape: imageShape, g0: activations[0]!, left: MARGIN.left, top: imageTop, height: imageSide } : null);
    gLabels
      .selectAll<SVGTextElement, readonly [number, number]>('text.input-caption')
      .data(imageShape && activations ? [imageShape] : [])
      .join('text')
      .attr('class', 'input-caption')
      .attr('fill', '#555')
      .attr('x', (d) => MARGIN.left + (imageSide * d[1]) / d[0] / 2)
      .attr('y', imageTop + imageSide + 14)
      .text((d) => `g⁰ as ${d[0]}×${d[1]}`);
    const layoutKey = `${sizes.join('-')}|${width}|${height}|${o.maxUnits}|${imageSide}|${model.layers.map((l) => l.activation).join(',')}`;
    const sameLayout = layoutKey === lastLayout && nodeEls.length === layout.nodes.length && shown.length === next.length;
    const duration = animate && sameLayout && !m.reducedMotion() ? o.duration : 0;
    edges = next;
    canvas.dataset.edges = String(edges.length);
    anim?.stop();
    anim = null;
    drawCheckpoints(checkpoints, columns, r, innerH);

    // Edges: on the canvas, tweened from what is shown when animating.
    const target = Float64Array.from(edges, (e) => e.t);
    if (!sameLayout) {
      size = { width, height };
      const dpr = m.doc.defaultView?.devicePixelRatio || 1;
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(height * dpr);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
    }
    if (duration > 0) {
      const from = shown;
      const current = new Float64Array(target.length);
      anim = timer((elapsed) => {
        const e = easeCubicInOut(Math.min(1, elapsed / duration));
        for (let i = 0; i < current.length; i++) current[i] = from[i]! + (target[i]! - from[i]!) * e;
        shown = current;
        paintEdges(current);
        if (e >= 1) {
          anim?.stop();
          anim = null;
        }
      });
    } else {
      shown = target;
      paintEdges(target);
    }

    // Units.
    const prev = nodes;
    nodes = layout.nodes;
    if (sameLayout) {
      // Same layout as the last frame (the common case while training): write only what changed.
      const fade = duration > 0;
      for (let i = 0; i < nodes.length; i++) {
        const el = nodeEls[i]!;
        const d = nodes[i]!;
        const before = prev[i]!;
        if (before.fill !== d.fill && !fade) el.setAttribute('fill', d.fill);
        if (before.value !== d.value || before.bias !== d.bias) el.setAttribute('aria-label', describeNode(d).replace(/\n/g, ', '));
      }
      if (fade) {
        const sel = select(gNodes.node()!).selectAll<SVGCircleElement, unknown>('circle.node');
        interruptAll(sel);
        sel
          .transition()
          .duration(duration)
          .attr('fill', (_, i, els) => nodes[nodeIndex.get(els[i]!)!]!.fill);
      }
      return;
    }
    lastLayout = layoutKey;
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    const nodeSel = gNodes
      .selectAll<SVGCircleElement, LayoutNode>('circle.node')
      .data(nodes, (d) => d.key)
      .join((enter) => enter.append('circle').attr('class', 'node').attr('tabindex', 0).attr('stroke', '#444').attr('stroke-width', 1));
    interruptAll(nodeSel);
    nodeSel
      .attr('aria-label', (d) => describeNode(d).replace(/\n/g, ', '))
      .attr('cx', (d) => d.x)
      .attr('cy', (d) => d.y)
      .attr('r', (d) => d.r)
      .attr('fill', (d) => d.fill);
    nodeEls = nodeSel.nodes();
    nodeIndex = new Map(nodeEls.map((el, i) => [el, i]));

    // Elision: a dotted line through the drawn units and the count left out.
    const elided = columns.filter((c) => c.size > c.shown);
    gElide
      .selectAll<SVGLineElement, LayoutColumn>('line.elision-line')
      .data(elided, (d) => String(d.layer))
      .join('line')
      .attr('class', 'elision-line')
      .attr('stroke', '#777')
      .attr('stroke-dasharray', '1 3')
      .attr('x1', (d) => d.x)
      .attr('x2', (d) => d.x)
      .attr('y1', (d) => d.yFirst)
      .attr('y2', (d) => d.yLast);
    gElide
      .selectAll<SVGTextElement, LayoutColumn>('text.elision')
      .data(elided, (d) => String(d.layer))
      .join('text')
      .attr('class', 'elision')
      .attr('text-anchor', 'middle')
      .attr('fill', '#555')
      .attr('x', (d) => d.x)
      .attr('y', height - 4)
      .text((d) => `⋮ ${d.size - d.shown} more`);

    // Layer labels: g^k and its width on top, the activation below.
    gLabels
      .selectAll<SVGTextElement, LayoutColumn>('text.layer')
      .data(columns, (d) => String(d.layer))
      .join('text')
      .attr('class', 'layer')
      .attr('x', (d) => d.x)
      .attr('y', 12)
      .text((d) => `g${superscript(d.layer)} · ${d.size}`);
    gLabels
      .selectAll<SVGTextElement, LayoutColumn>('text.activation')
      .data(columns, (d) => String(d.layer))
      .join('text')
      .attr('class', 'activation')
      .attr('x', (d) => d.x)
      .attr('y', height - (elided.length > 0 ? 17 : 4))
      .attr('fill', '#666')
      .text((d) => d.activation);
  }

  /** The shape of the input image, or null when none is drawn. */
  function inputShape(n0: number): readonly [number, number] | null {
    if (o.inputImage === 'none') return null;
    if (o.inputImage === 'auto') return squareShape(n0);
    return o.inputImage[0] * o.inputImage[1] === n0 ? o.inputImage : null;
  }

  /** Checkpointed layers: a dashed frame around the column and a "stored" tag. */
  function drawCheckpoints(checkpoints: readonly number[] | undefined, columns: readonly LayoutColumn[], r: number, innerH: number): void {
    const L = columns.length - 1;
    const xOf = (k: number): number => columns[k]!.x;
    const marks = (checkpoints ?? []).filter((k) => Number.isInteger(k) && k >= 0 && k <= L);
    const markSel = gMarks
      .selectAll<SVGGElement, number>('g.checkpoint')
      .data(marks, (k) => String(k))
      .join((enter) => {
        const g = enter.append('g').attr('class', 'checkpoint');
        g.append('rect').attr('fill', '#c9d3e8').attr('fill-opacity', 0.35).attr('stroke', '#23408e').attr('stroke-dasharray', '4 2').attr('rx', 4);
        g.append('text').attr('text-anchor', 'middle').attr('fill', '#23408e').attr('font-weight', 'bold').text('◆ stored');
        return g;
      });
    markSel
      .select('rect')
      .attr('x', (k) => xOf(k) - r - 5)
      .attr('y', MARGIN.top - 4)
      .attr('width', 2 * r + 10)
      .attr('height', innerH + 8);
    markSel
      .select('text')
      .attr('x', (k) => xOf(k))
      .attr('y', 24);
  }

  return {
    update(data) {
      const d: NetworkDiagramData = data && typeof data === 'object' && 'sizes' in data ? { model: data } : (data as NetworkDiagramData);
      const problem = d && typeof d === 'object' ? checkSnapshot(d.model, d.activations) : `expected { model, activations? }, got ${String(d)}`;
      if (problem !== null) {
        last = null;
        lastLayout = '';
        nodeEls = [];
        nodes = [];
        nodeIndex = new Map();
        edges = [];
        shown = new Float64Array(0);
        input.draw(null);
        anim?.stop();
        anim = null;
        clear(root);
        message.set(`Network diagram: cannot draw this snapshot: ${problem}.`);
        return;
      }
      message.set(null);
      last = d;
      render(true);
    },
    destroy() {
      anim?.stop();
      anim = null;
      interruptAll(root.selectAll<Element, unknown>('*'));
      root.on('pointerover focusin', null).on('pointermove', null).on('pointerleave focusout', null);
      m.dispose();
    },
    get edges() {
      return edges;
    },
  };
}

function clear(root: Selection<SVGSVGElement, unknown, null, undefined>): void {
  const all = root.selectAll<Element, unknown>('g > *');
  interruptAll(all);
  all.remove();
}
