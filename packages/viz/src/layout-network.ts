import { activationColor } from './colors.js';
import type { EdgeDatum } from './edges.js';
import { sampleUnits } from './sample.js';
import type { NetworkSnapshot } from './types.js';

/** One drawn unit of the network diagram: g^layer_unit at (x, y). */
export interface LayoutNode {
  /** `${layer}:${unit}`, stable across snapshots of the same shape. */
  readonly key: string;
  readonly layer: number;
  readonly unit: number;
  readonly x: number;
  readonly y: number;
  readonly r: number;
  /** g^layer_unit for the given activations, if any. */
  readonly value: number | undefined;
  /** Shade of the value within its layer (white without activations). */
  readonly fill: string;
  /** b^layer_unit; undefined for the inputs. */
  readonly bias: number | undefined;
}

/** One layer's column: where it stands, how many units it has and draws, and its activation. */
export interface LayoutColumn {
  readonly layer: number;
  readonly x: number;
  /** n_k. */
  readonly size: number;
  /** Units drawn (at most maxUnits). */
  readonly shown: number;
  /** y of the first and the last drawn unit. */
  readonly yFirst: number;
  readonly yLast: number;
  /** 'input' for g^0, else the layer's activation. */
  readonly activation: string;
}

/** The box the diagram is laid out in, in CSS pixels. */
export interface LayoutBox {
  readonly width: number;
  readonly height: number;
  /** Most units drawn per layer. */
  readonly maxUnits: number;
  /** Left edge of the first column (room for an input image before it). */
  readonly left: number;
  readonly margin: { readonly top: number; readonly right: number; readonly bottom: number };
}

/** What `layoutNetwork` returns: plain data, every position computed. */
export interface NetworkLayout {
  readonly nodes: LayoutNode[];
  readonly edges: EdgeDatum[];
  readonly columns: LayoutColumn[];
  /** Radius of every unit. */
  readonly r: number;
}

/**
 * Lay out a network snapshot: one column per layer g^0 ... g^L, at most `maxUnits` units each
 * (wider layers sampled evenly), units shaded by `activations` relative to their layer, and one
 * edge per pair of drawn units carrying W^k[to][from] and its weight relative to the largest
 * |w| drawn in the layer. Pure: no DOM, no d3 selection; the snapshot must be valid (see
 * `checkSnapshot`).
 */
export function layoutNetwork(model: NetworkSnapshot, box: LayoutBox, activations?: readonly (readonly number[])[]): NetworkLayout {
  const sizes = model.sizes;
  const L = sizes.length - 1;
  const innerH = box.height - box.margin.top - box.margin.bottom;
  const innerW = box.width - box.left - box.margin.right;
  const drawn = sizes.map((n) => sampleUnits(n, box.maxUnits));
  const maxDrawn = Math.max(...drawn.map((d) => d.length));
  const spacing = innerH / maxDrawn;
  const r = Math.max(2.5, Math.min(9, spacing * 0.36, innerW / (L + 1) / 6));
  const xOf = (k: number): number => box.left + r + ((innerW - 2 * r) * k) / L;
  const yOf = (k: number, pos: number): number => box.margin.top + innerH / 2 + (pos - (drawn[k]!.length - 1) / 2) * spacing;

  const nodes: LayoutNode[] = [];
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
        edges.push({ layer: k, from, to, x1: xOf(k - 1) + r, y1: yOf(k - 1, pf), x2: xOf(k) - r, y2: yOf(k, pt), weight, t: weight / scale });
      });
    });
  }

  const columns = sizes.map((n, k) => ({
    layer: k,
    x: xOf(k),
    size: n,
    shown: drawn[k]!.length,
    yFirst: yOf(k, 0),
    yLast: yOf(k, drawn[k]!.length - 1),
    activation: k === 0 ? 'input' : model.layers[k - 1]!.activation,
  }));
  return { nodes, edges, columns, r };
}
