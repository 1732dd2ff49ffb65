// @vitest-environment happy-dom
import { MLP } from '@nabla/core';
import { rgb } from 'd3-color';
import { describe, expect, it, vi } from 'vitest';
import { activationColor, NEGATIVE, signedColor } from '../src/colors.js';
import { edgeStyle } from '../src/edges.js';
import { networkDiagram } from '../src/network-diagram.js';
import { forward, snapshot } from './fixtures.js';
import { host, listenerLedger } from './helpers.js';

type Handle = ReturnType<typeof networkDiagram>;
const edgeOf = (view: Handle, layer: number, to: number, from: number) => {
  const found = view.edges.find((e) => e.layer === layer && e.to === to && e.from === from);
  if (!found) throw new Error(`no edge W^${layer}[${to}][${from}]`);
  return found;
};
const hoverEdge = (el: Element, e: { x1: number; y1: number; x2: number; y2: number }) =>
  el.querySelector('svg')!.dispatchEvent(new PointerEvent('pointermove', { bubbles: true, clientX: (e.x1 + e.x2) / 2, clientY: (e.y1 + e.y2) / 2 }));

describe('networkDiagram', () => {
  it('networkDiagram(el).update({ model }) draws one circle per unit and one line per pair of adjacent units', () => {
    const el = host();
    const view = networkDiagram(el, { width: 500, duration: 0 });
    view.update({ model: snapshot([3, 4, 2]) });
    expect(el.querySelectorAll('circle.node').length).toBe(3 + 4 + 2);
    expect(view.edges.length).toBe(3 * 4 + 4 * 2);
    expect(el.querySelector<HTMLCanvasElement>('canvas.edges')?.dataset.edges).toBe('20');
    expect(el.querySelector('svg title')?.textContent).toMatch(/Network diagram/);
    expect(el.querySelector('.nabla-view')?.getAttribute('aria-label')).toBe('Network diagram');
    expect(el.querySelectorAll('text.layer').length).toBe(3);
    expect(el.querySelectorAll('text.elision').length).toBe(0);
    view.destroy();
  });

  it('edges are coloured and sized by weight relative to the largest in the layer', () => {
    const el = host();
    const view = networkDiagram(el, { width: 400, duration: 0 });
    view.update({ model: { sizes: [2, 1], layers: [{ activation: 'linear', weights: [[0.5, -1]], bias: [0.25] }] } });
    const neg = edgeOf(view, 1, 0, 1);
    const pos = edgeOf(view, 1, 0, 0);
    expect([neg.weight, neg.t, pos.weight, pos.t]).toEqual([-1, -1, 0.5, 0.5]);
    // -1 maps to the negative end of the signed scale, 0.5 half way to the positive end.
    expect(edgeStyle(neg.t)).toEqual({ color: rgb(NEGATIVE).toString(), width: 3.5 });
    expect(edgeStyle(pos.t)).toEqual({ color: signedColor(0.5), width: Math.round(30 + 320 * Math.sqrt(0.5)) / 100 });
    // Weights are drawn in steps of 1/32 of the largest.
    expect(edgeStyle(0.51)).toEqual(edgeStyle(0.5));
    expect(edgeStyle(-0.2).color).not.toBe(edgeStyle(0.2).color);
    // Edges start and end at the unit circles.
    const first = el.querySelector('circle.node')!;
    expect(pos.x1).toBeCloseTo(Number(first.getAttribute('cx')) + Number(first.getAttribute('r')), 9);
    view.destroy();
  });

  it('successive snapshots of the same shape reuse the unit elements and redraw the edges', () => {
    const el = host();
    const view = networkDiagram(el, { width: 400, duration: 0 });
    const model = (w: number[]) => ({ sizes: [2, 1], layers: [{ activation: 'linear', weights: [w], bias: [0] }] });
    view.update({ model: model([0.5, -1]), activations: [[0, 1], [2]] });
    const before = el.querySelector('circle.node');
    view.update({ model: model([-1, 0.25]), activations: [[1, 0], [2]] });
    expect(el.querySelector('circle.node')).toBe(before);
    expect(edgeOf(view, 1, 0, 0).t).toBe(-1);
    expect(edgeOf(view, 1, 0, 1).t).toBe(0.25);
    expect([...el.querySelectorAll('circle.node')].map((c) => c.getAttribute('fill')).slice(0, 2)).toEqual([activationColor(1), activationColor(0)]);
    hoverEdge(el, edgeOf(view, 1, 0, 0));
    expect(el.querySelector('.nabla-tooltip')?.textContent).toContain('W^1[0][0] = -1');
    view.destroy();
  });

  it('update({ model, activations }) shades each unit by its activation within its layer', () => {
    const el = host();
    const view = networkDiagram(el, { width: 400, duration: 0 });
    const model = snapshot([3, 2], 4);
    const activations = [
      [0, 1, 2],
      [5, -5],
    ];
    view.update({ model, activations });
    const fills = [...el.querySelectorAll('circle.node')].map((c) => c.getAttribute('fill'));
    expect(fills).toEqual([activationColor(0), activationColor(0.5), activationColor(1), activationColor(1), activationColor(0)]);
    expect(el.querySelector('circle.node')?.getAttribute('aria-label')).toBe('g^0 unit 0, activation 0');
    view.destroy();
  });

  it('a 784-128-64-10 network draws 16 sampled units per wide layer with an elision count', () => {
    const el = host();
    const view = networkDiagram(el, { width: 800, duration: 0 });
    const model = snapshot([784, 128, 64, 10], 2, 0.05);
    view.update({ model, activations: forward(model, Array.from({ length: 784 }, (_, i) => (i % 29) / 28)) });
    expect(el.querySelectorAll('circle.node').length).toBe(16 + 16 + 16 + 10);
    expect(view.edges.length).toBe(16 * 16 + 16 * 16 + 16 * 10);
    expect([...el.querySelectorAll('text.elision')].map((t) => t.textContent)).toEqual(['⋮ 768 more', '⋮ 112 more', '⋮ 48 more']);
    expect(el.querySelectorAll('line.elision-line').length).toBe(3);
    // The sample spans the layer: first and last unit drawn.
    const units = [...el.querySelectorAll('circle.node')].map((c) => (c as unknown as { __data__: { layer: number; unit: number } }).__data__).filter((d) => d.layer === 0);
    expect(units[0]!.unit).toBe(0);
    expect(units[units.length - 1]!.unit).toBe(783);
    // The input is also drawn as its 28x28 image.
    const image = el.querySelector<HTMLCanvasElement>('canvas.input-image')!;
    expect([image.width, image.height, image.style.display]).toEqual([28, 28, 'block']);
    expect(image.getAttribute('aria-label')).toBe('The input g^0 as a 28x28 image');
    view.update({ model });
    expect(image.style.display).toBe('none');
    view.destroy();
    const plain = networkDiagram(el, { width: 800, duration: 0, inputImage: 'none' });
    plain.update({ model, activations: forward(model, new Array(784).fill(0.5)) });
    expect(el.querySelector<HTMLCanvasElement>('canvas.input-image')!.style.display).toBe('none');
    plain.destroy();
  });

  it('update({ checkpoints }) marks the checkpointed layers', () => {
    const el = host();
    const view = networkDiagram(el, { width: 500, duration: 0 });
    view.update({ model: snapshot([4, 4, 4, 4, 2]), checkpoints: [0, 2] });
    expect(el.querySelectorAll('g.checkpoint').length).toBe(2);
    view.update({ model: snapshot([4, 4, 4, 4, 2]), checkpoints: [3] });
    expect(el.querySelectorAll('g.checkpoint').length).toBe(1);
    view.destroy();
  });

  it('hovering an edge or focusing a unit shows its value in the tooltip', () => {
    const el = host();
    const view = networkDiagram(el, { width: 400, duration: 0 });
    view.update({ model: { sizes: [2, 1], layers: [{ activation: 'linear', weights: [[0.5, -1]], bias: [0.25] }] } });
    const tip = el.querySelector<HTMLElement>('.nabla-tooltip')!;
    hoverEdge(el, edgeOf(view, 1, 0, 1));
    expect(tip.style.display).toBe('block');
    expect(el.querySelector<SVGLineElement>('line.edge-highlight')?.style.display).toBe('');
    expect(tip.textContent).toContain('W^1[0][1] = -1');
    const out = el.querySelectorAll<SVGCircleElement>('circle.node')[2]!;
    expect(out.getAttribute('tabindex')).toBe('0');
    out.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
    expect(tip.textContent).toContain('bias 0.25');
    view.destroy();
  });

  it('a unit reads the latest snapshot after an update of the same layout (no stale bound data)', () => {
    const el = host();
    const view = networkDiagram(el, { width: 400, duration: 0 });
    const model = (b: number) => ({ sizes: [2, 1], layers: [{ activation: 'linear', weights: [[0.5, -1]], bias: [b] }] });
    view.update({ model: model(0.25), activations: [[1, 2], [0.5]] });
    const out = el.querySelectorAll<SVGCircleElement>('circle.node')[2]!;
    view.update({ model: model(0.75), activations: [[1, 2], [-3]] });
    // Same layout: the element is kept and only what changed is written.
    expect(el.querySelectorAll<SVGCircleElement>('circle.node')[2]).toBe(out);
    out.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
    const tip = el.querySelector<HTMLElement>('.nabla-tooltip')!;
    expect(tip.textContent).toContain('bias 0.75');
    expect(tip.textContent).toContain('activation -3');
    expect(out.getAttribute('aria-label')).toContain('bias 0.75');
    // d3's bound datum is still the one of the join: the view reads its own state, it does not write d3's.
    expect((out as unknown as { __data__: { bias: number } }).__data__.bias).toBe(0.25);
    view.destroy();
  });

  it('update with NaN weights or mismatched shapes draws an inline message instead of the diagram', () => {
    const el = host();
    const view = networkDiagram(el, { width: 400, duration: 0 });
    view.update({ model: snapshot([2, 3, 1]) });
    expect(el.querySelectorAll('circle.node').length).toBe(6);
    const bad = snapshot([2, 3, 1]);
    (bad.layers[0]!.weights[1] as number[])[0] = Number.NaN;
    expect(() => view.update({ model: bad })).not.toThrow();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('layers[0].weights[1][0] is NaN');
    expect(el.querySelectorAll('circle.node').length).toBe(0);
    view.update({ model: { sizes: [2, 3, 1], layers: snapshot([2, 4, 1]).layers } });
    expect(el.querySelector('[role=alert]')?.textContent).toContain('layers[0].weights has 4 rows, sizes say 3');
    view.update({ model: snapshot([2, 3, 1]), activations: [[1, 2], [1]] });
    expect(el.querySelector('[role=alert]')?.textContent).toMatch(/activations must hold 3 arrays/);
    view.update(null as never);
    expect(el.querySelector('[role=alert]')).not.toBeNull();
    view.update({ model: snapshot([2, 3, 1]) });
    expect(el.querySelector('[role=alert]')).toBeNull();
    expect(el.querySelectorAll('circle.node').length).toBe(6);
    view.destroy();
  });

  it('animates a new snapshot of the same shape, and draws at once under prefers-reduced-motion', () => {
    const model = snapshot([2, 1]);
    const draw = (reduce: boolean) => {
      const media = vi.spyOn(window, 'matchMedia').mockImplementation((q: string) => ({ matches: reduce && q.includes('reduce'), media: q }) as unknown as MediaQueryList);
      const el = host();
      const view = networkDiagram(el, { width: 300, duration: 200 });
      view.update({ model, activations: [[0, 1], [0]] });
      view.update({ model, activations: [[1, 0], [0]] });
      const fill = el.querySelector('circle.node')!.getAttribute('fill');
      view.destroy();
      media.mockRestore();
      return fill;
    };
    // Unit 0 goes from the lightest to the darkest shade.
    expect(draw(true)).toBe(activationColor(1));
    expect(draw(false)).toBe(activationColor(0));
  });

  it('destroy() removes every node and leaves no listener on the container, document or window', () => {
    const el = host();
    const ledger = listenerLedger([el, document, window]);
    try {
      const view = networkDiagram(el, { duration: 0 });
      for (let i = 0; i < 3; i++) view.update({ model: snapshot([5, 3, 2], i) });
      view.destroy();
      expect(el.childNodes.length).toBe(0);
      expect(ledger.balance()).toBe(0);
    } finally {
      ledger.restore();
    }
  });

  it('draws a real MLP from @nabla/core: toJSON() and activationsOf(sample)', () => {
    const net = new MLP({ sizes: [4, 6, 3], seed: 3 });
    const el = host();
    const view = networkDiagram(el, { width: 500, duration: 0 });
    view.update({ model: net.toJSON(), activations: net.activationsOf([0.1, 0.2, 0.3, 0.4]) });
    expect(el.querySelector('[role=alert]')).toBeNull();
    expect(el.querySelectorAll('circle.node').length).toBe(13);
    expect(view.edges.length).toBe(4 * 6 + 6 * 3);
    // A bare ModelJSON is read as the model.
    view.update(net.toJSON());
    expect(view.edges.length).toBe(42);
    view.destroy();
  });
});
