import { describe, expect, it } from 'vitest';
import { layoutNetwork } from '../src/layout-network.js';
import { snapshot } from './fixtures.js';

const box = { width: 600, height: 360, maxUnits: 16, left: 24, margin: { top: 30, right: 24, bottom: 34 } };

describe('layoutNetwork(snapshot, box)', () => {
  it('lays out one node per unit and one edge per weight of a small network', () => {
    const model = snapshot([4, 3, 2]);
    const { nodes, edges, columns, r } = layoutNetwork(model, box);
    expect(nodes).toHaveLength(4 + 3 + 2);
    expect(edges).toHaveLength(4 * 3 + 3 * 2);
    expect(columns.map((c) => [c.layer, c.size, c.shown, c.activation])).toEqual([
      [0, 4, 4, 'input'],
      [1, 3, 3, 'relu'],
      [2, 2, 2, 'softmax'],
    ]);
    // Columns run left to right inside the box; units of a column share its x and are centred.
    expect(columns[0]!.x).toBeCloseTo(box.left + r, 12);
    expect(columns[2]!.x).toBeCloseTo(box.width - box.margin.right - r, 12);
    for (const n of nodes) expect(n.x).toBe(columns[n.layer]!.x);
    const mid = box.margin.top + (box.height - box.margin.top - box.margin.bottom) / 2;
    for (const c of columns) expect((c.yFirst + c.yLast) / 2).toBeCloseTo(mid, 9);
  });

  it('each edge carries W^k[to][from] and its weight relative to the largest |w| drawn in its layer', () => {
    const model = snapshot([3, 2, 2], 5);
    const { edges } = layoutNetwork(model, box);
    for (const e of edges) expect(e.weight).toBe(model.layers[e.layer - 1]!.weights[e.to]![e.from]);
    for (const k of [1, 2]) {
      const ts = edges.filter((e) => e.layer === k).map((e) => Math.abs(e.t));
      expect(Math.max(...ts)).toBe(1);
    }
    const e = edges.find((d) => d.layer === 2 && d.from === 1 && d.to === 0)!;
    const nodes = layoutNetwork(model, box).nodes;
    const from = nodes.find((n) => n.key === '1:1')!;
    const to = nodes.find((n) => n.key === '2:0')!;
    expect([e.x1, e.y1, e.x2, e.y2]).toEqual([from.x + from.r, from.y, to.x - to.r, to.y]);
  });

  it('samples a layer wider than maxUnits evenly, first and last unit included', () => {
    const { nodes, columns, edges } = layoutNetwork(snapshot([784, 10]), box);
    expect(columns[0]).toMatchObject({ size: 784, shown: 16 });
    const units = nodes.filter((n) => n.layer === 0).map((n) => n.unit);
    expect(units[0]).toBe(0);
    expect(units[15]).toBe(783);
    expect(edges).toHaveLength(16 * 10);
  });

  it('shades units by their activation within the layer, and leaves them white without one', () => {
    const model = snapshot([2, 2]);
    const plain = layoutNetwork(model, box);
    expect(plain.nodes.every((n) => n.fill === '#ffffff' && n.value === undefined)).toBe(true);
    const shaded = layoutNetwork(model, box, [
      [0, 1],
      [0.2, 0.8],
    ]);
    const g1 = shaded.nodes.filter((n) => n.layer === 1);
    expect(g1.map((n) => n.value)).toEqual([0.2, 0.8]);
    expect(g1[0]!.fill).not.toBe(g1[1]!.fill);
    expect(shaded.nodes.find((n) => n.key === '1:1')!.bias).toBe(model.layers[0]!.bias[1]);
    expect(shaded.nodes.find((n) => n.key === '0:0')!.bias).toBeUndefined();
  });

  it('is pure: the same snapshot and box give the same layout, and the snapshot is not touched', () => {
    const model = snapshot([5, 4, 3], 2);
    const before = JSON.stringify(model);
    expect(layoutNetwork(model, box)).toEqual(layoutNetwork(model, box));
    expect(JSON.stringify(model)).toBe(before);
  });
});
