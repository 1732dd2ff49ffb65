import { type Selection, select } from 'd3';
import { activationColor, formatValue, signedColor } from './colors.js';
import { createMessage } from './message.js';
import { sampleUnits } from './sample.js';
import { createTooltip } from './tooltip.js';
import type { NetworkSnapshot } from './types.js';
import { checkSnapshot } from './validate.js';
import { type BaseOptions, createSvg, mountView, type ViewHandle } from './view.js';

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
}

export const networkDiagramDefaults = { height: 360, maxUnits: 16, duration: 250 } as const;

/** What `networkDiagram(...).update` reads. */
export interface NetworkDiagramData {
  /** Weights and sizes: `MLP.toJSON()` or a parsed model file. */
  readonly model: NetworkSnapshot;
  /** g^0..g^L for one input, e.g. `net.activationsOf(sample)`; shades the units. Optional. */
  readonly activations?: readonly (readonly number[])[];
  /** Layers k (0..L) whose activation g^k is kept as a checkpoint; their columns are marked. */
  readonly checkpoints?: readonly number[];
}

interface NodeDatum {
  readonly key: string;
  readonly layer: number;
  readonly unit: number;
  readonly x: number;
  readonly y: number;
  readonly r: number;
  readonly value: number | undefined;
  readonly fill: string;
  readonly bias: number | undefined;
}

interface EdgeDatum {
  readonly key: string;
  /** Layer k of W^k: the edge runs from g^{k-1}_from to g^k_to. */
  readonly layer: number;
  readonly from: number;
  readonly to: number;
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly weight: number;
  readonly stroke: string;
  readonly width: number;
}

const MARGIN = { top: 30, right: 24, bottom: 34, left: 24 };

/**
 * Draw a network: units by layer, edges coloured by the sign of their weight (dark blue
 * negative and dashed, orange positive) and as thick as its magnitude relative to the largest
 * in the layer, units shaded by activation for one input, checkpointed layers marked. Hover or
 * focus a unit (Tab) to read its value; hover an edge to read its weight.
 */
export function networkDiagram(container: Element, options: NetworkDiagramOptions = {}): ViewHandle<NetworkDiagramData | NetworkSnapshot> {
  const o = { ...networkDiagramDefaults, ...options };
  const m = mountView(container, options, 'network', 'Network diagram', () => render(false));
  const svg = createSvg(m, options.label ?? 'Network diagram: units by layer, edges by weight');
  const root = select(svg);
  const gMarks = root.append('g').attr('class', 'checkpoints');
  const gElide = root.append('g').attr('class', 'elisions');
  const gEdges = root.append('g').attr('class', 'edges').attr('fill', 'none');
  const gNodes = root.append('g').attr('class', 'nodes');
  const gLabels = root.append('g').attr('class', 'labels').attr('text-anchor', 'middle').attr('fill', '#333');
  const message = createMessage(m.root, () => [svg]);
  const tip = createTooltip(m.root);
  let last: NetworkDiagramData | null = null;
  let drawnSizes = '';

  const describeNode = (d: NodeDatum): string =>
    `g^${d.layer} unit ${d.unit}` +
    (d.value === undefined ? '' : `\nactivation ${formatValue(d.value)}`) +
    (d.bias === undefined ? '' : `\nbias ${formatValue(d.bias)}`);
  const describeEdge = (d: EdgeDatum): string => `W^${d.layer}[${d.to}][${d.from}] = ${formatValue(d.weight)}\ng^${d.layer - 1} unit ${d.from} → g^${d.layer} unit ${d.to}`;

  const showTip = (event: Event): void => {
    const target = event.target as Element;
    const datum = (target as Element & { __data__?: NodeDatum | EdgeDatum }).__data__;
    if (!datum) return;
    const text = target.classList.contains('node') ? describeNode(datum as NodeDatum) : target.classList.contains('edge') ? describeEdge(datum as EdgeDatum) : null;
    if (text === null) return;
    const isEdge = 'x1' in datum;
    const x = isEdge ? ((datum as EdgeDatum).x1 + (datum as EdgeDatum).x2) / 2 : (datum as NodeDatum).x;
    const y = isEdge ? ((datum as EdgeDatum).y1 + (datum as EdgeDatum).y2) / 2 : (datum as NodeDatum).y;
    tip.show(text, x, y);
    if (isEdge) select(target).raise().attr('stroke-opacity', 1);
  };
  const hideTip = (event: Event): void => {
    tip.hide();
    const target = event.target as Element;
    if (target.classList.contains('edge')) select(target).attr('stroke-opacity', 0.85);
  };
  root.on('pointerover focusin', showTip).on('pointerout focusout', hideTip);

  function render(animate: boolean): void {
    if (!last) return;
    const { model, activations, checkpoints } = last;
    const sizes = model.sizes;
    const L = sizes.length - 1;
    const width = m.width();
    const height = o.height;
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    const innerW = width - MARGIN.left - MARGIN.right;
    const innerH = height - MARGIN.top - MARGIN.bottom;
    const drawn = sizes.map((n) => sampleUnits(n, o.maxUnits));
    const maxDrawn = Math.max(...drawn.map((d) => d.length));
    const spacing = innerH / maxDrawn;
    const r = Math.max(2.5, Math.min(9, spacing * 0.36, innerW / (L + 1) / 6));
    const xOf = (k: number): number => MARGIN.left + r + ((innerW - 2 * r) * k) / L;
    const yOf = (k: number, pos: number): number => MARGIN.top + innerH / 2 + (pos - (drawn[k]!.length - 1) / 2) * spacing;

    const nodes: NodeDatum[] = [];
    for (let k = 0; k <= L; k++) {
      const g = activations?.[k];
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      if (g) {
        for (const v of g) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
      const span = hi - lo || 1;
      drawn[k]!.forEach((unit, pos) => {
        const value = g?.[unit];
        nodes.push({
          key: `${k}:${unit}`,
          layer: k,
          unit,
          x: xOf(k),
          y: yOf(k, pos),
          r,
          value,
          fill: value === undefined ? '#ffffff' : activationColor((value - lo) / span),
          bias: k === 0 ? undefined : model.layers[k - 1]!.bias[unit],
        });
      });
    }
    const edges: EdgeDatum[] = [];
    for (let k = 1; k <= L; k++) {
      const w = model.layers[k - 1]!.weights;
      let maxAbs = 0;
      for (const to of drawn[k]!) for (const from of drawn[k - 1]!) maxAbs = Math.max(maxAbs, Math.abs(w[to]![from]!));
      const scale = maxAbs || 1;
      drawn[k]!.forEach((to, pt) => {
        drawn[k - 1]!.forEach((from, pf) => {
          const weight = w[to]![from]!;
          const t = weight / scale;
          edges.push({
            key: `${k}:${to}:${from}`,
            layer: k,
            from,
            to,
            x1: xOf(k - 1) + r,
            y1: yOf(k - 1, pf),
            x2: xOf(k) - r,
            y2: yOf(k, pt),
            weight,
            stroke: signedColor(t),
            width: 0.3 + 3.2 * Math.sqrt(Math.abs(t)),
          });
        });
      });
    }

    const shape = sizes.join('-');
    const duration = animate && drawnSizes === shape && !m.reducedMotion() ? o.duration : 0;
    drawnSizes = shape;

    const edgeSel = gEdges
      .selectAll<SVGLineElement, EdgeDatum>('line.edge')
      .data(edges, (d) => d.key)
      .join((enter) => enter.append('line').attr('class', 'edge').attr('stroke-opacity', 0.85));
    edgeSel.attr('stroke-dasharray', (d) => (d.weight < 0 ? '3 2' : null));
    const nodeSel = gNodes
      .selectAll<SVGCircleElement, NodeDatum>('circle.node')
      .data(nodes, (d) => d.key)
      .join((enter) => enter.append('circle').attr('class', 'node').attr('tabindex', 0).attr('stroke', '#444').attr('stroke-width', 1));
    nodeSel.attr('aria-label', (d) => describeNode(d).replace(/\n/g, ', '));
    if (duration > 0) {
      edgeSel.interrupt();
      nodeSel.interrupt();
      edgeSel
        .transition()
        .duration(duration)
        .attr('x1', (d) => d.x1)
        .attr('y1', (d) => d.y1)
        .attr('x2', (d) => d.x2)
        .attr('y2', (d) => d.y2)
        .attr('stroke', (d) => d.stroke)
        .attr('stroke-width', (d) => d.width);
      nodeSel
        .transition()
        .duration(duration)
        .attr('cx', (d) => d.x)
        .attr('cy', (d) => d.y)
        .attr('r', (d) => d.r)
        .attr('fill', (d) => d.fill);
    } else {
      edgeSel.interrupt();
      nodeSel.interrupt();
      edgeSel
        .attr('x1', (d) => d.x1)
        .attr('y1', (d) => d.y1)
        .attr('x2', (d) => d.x2)
        .attr('y2', (d) => d.y2)
        .attr('stroke', (d) => d.stroke)
        .attr('stroke-width', (d) => d.width);
      nodeSel
        .attr('cx', (d) => d.x)
        .attr('cy', (d) => d.y)
        .attr('r', (d) => d.r)
        .attr('fill', (d) => d.fill);
    }

    // Elision: a dotted line through the drawn units and the count left out.
    const elided = sizes.map((n, k) => ({ k, n, shown: drawn[k]!.length })).filter((e) => e.n > e.shown);
    gElide
      .selectAll<SVGLineElement, (typeof elided)[number]>('line.elision-line')
      .data(elided, (d) => String(d.k))
      .join('line')
      .attr('class', 'elision-line')
      .attr('stroke', '#777')
      .attr('stroke-dasharray', '1 3')
      .attr('x1', (d) => xOf(d.k))
      .attr('x2', (d) => xOf(d.k))
      .attr('y1', (d) => yOf(d.k, 0))
      .attr('y2', (d) => yOf(d.k, d.shown - 1));
    gElide
      .selectAll<SVGTextElement, (typeof elided)[number]>('text.elision')
      .data(elided, (d) => String(d.k))
      .join('text')
      .attr('class', 'elision')
      .attr('text-anchor', 'middle')
      .attr('fill', '#555')
      .attr('x', (d) => xOf(d.k))
      .attr('y', height - 4)
      .text((d) => `⋮ ${d.n - d.shown} more`);

    // Layer labels: g^k and its width on top, the activation below.
    const labels = sizes.map((n, k) => ({ k, n, act: k === 0 ? 'input' : model.layers[k - 1]!.activation }));
    gLabels
      .selectAll<SVGTextElement, (typeof labels)[number]>('text.layer')
      .data(labels, (d) => String(d.k))
      .join('text')
      .attr('class', 'layer')
      .attr('x', (d) => xOf(d.k))
      .attr('y', 12)
      .text((d) => `g${superscript(d.k)} · ${d.n}`);
    gLabels
      .selectAll<SVGTextElement, (typeof labels)[number]>('text.activation')
      .data(labels, (d) => String(d.k))
      .join('text')
      .attr('class', 'activation')
      .attr('x', (d) => xOf(d.k))
      .attr('y', height - (elided.length > 0 ? 17 : 4))
      .attr('fill', '#666')
      .text((d) => d.act);

    // Checkpointed layers: a dashed frame behind the column and a "stored" tag.
    const marks = (checkpoints ?? []).filter((k) => Number.isInteger(k) && k >= 0 && k <= L);
    const markSel = gMarks
      .selectAll<SVGGElement, number>('g.checkpoint')
      .data(marks, (k) => String(k))
      .join((enter) => {
        const g = enter.append('g').attr('class', 'checkpoint');
        g.append('rect').attr('fill', '#eef1f7').attr('stroke', '#23408e').attr('stroke-dasharray', '4 2').attr('rx', 4);
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
        drawnSizes = '';
        clear(root);
        message.set(`Network diagram: cannot draw this snapshot: ${problem}.`);
        return;
      }
      message.set(null);
      last = d;
      render(true);
    },
    destroy() {
      select(svg).selectAll('*').interrupt();
      root.on('pointerover focusin', null).on('pointerout focusout', null);
      m.dispose();
    },
  };
}

function clear(root: Selection<SVGSVGElement, unknown, null, undefined>): void {
  root.selectAll('g').selectAll('*').interrupt().remove();
}

const SUP = '⁰¹²³⁴⁵⁶⁷⁸⁹';
/** k as superscript digits (g⁰, g¹², ...). */
export function superscript(k: number): string {
  return String(k)
    .split('')
    .map((c) => SUP[Number(c)] ?? c)
    .join('');
}
