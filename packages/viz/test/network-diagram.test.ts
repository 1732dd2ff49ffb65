// @vitest-environment happy-dom
import { MLP } from '@nabla/core';
import { rgb } from 'd3';
import { describe, expect, it } from 'vitest';
import { activationColor, NEGATIVE, signedColor } from '../src/colors.js';
import { networkDiagram } from '../src/network-diagram.js';
import { forward, snapshot } from './fixtures.js';
import { host, listenerLedger } from './helpers.js';

const lineOf = (el: Element, key: string): SVGLineElement => {
  const found = [...el.querySelectorAll<SVGLineElement>('line.edge')].find((l) => (l as unknown as { __data__: { key: string } }).__data__.key === key);
  if (!found) throw new Error(`no edge ${key}`);
  return found;
};

describe('networkDiagram', () => {
  it('networkDiagram(el).update({ model }) draws one circle per unit and one line per pair of adjacent units', () => {
    const el = host();
    const view = networkDiagram(el, { width: 500, duration: 0 });
    view.update({ model: snapshot([3, 4, 2]) });
    expect(el.querySelectorAll('circle.node').length).toBe(3 + 4 + 2);
    expect(el.querySelectorAll('line.edge').length).toBe(3 * 4 + 4 * 2);
    expect(el.querySelector('svg title')?.textContent).toMatch(/Network diagram/);
    expect(el.querySelector('.nabla-view')?.getAttribute('aria-label')).toBe('Network diagram');
    expect(el.querySelectorAll('text.layer').length).toBe(3);
    expect(el.querySelectorAll('text.elision').length).toBe(0);
    view.destroy();
  });

  it('update colours and sizes edges by weight and dashes negative ones', () => {
    const el = host();
    const view = networkDiagram(el, { width: 400, duration: 0 });
    view.update({ model: { sizes: [2, 1], layers: [{ activation: 'linear', weights: [[0.5, -1]], bias: [0.25] }] } });
    const neg = lineOf(el, '1:0:1');
    const pos = lineOf(el, '1:0:0');
    // The largest |w| of the layer is 1: -1 maps to the negative end, 0.5 to half way to the positive end.
    expect(neg.getAttribute('stroke')).toBe(signedColor(-1));
    expect(signedColor(-1)).toBe(rgb(NEGATIVE).toString());
    expect(pos.getAttribute('stroke')).toBe(signedColor(0.5));
    expect(Number(neg.getAttribute('stroke-width'))).toBeCloseTo(0.3 + 3.2, 10);
    expect(Number(pos.getAttribute('stroke-width'))).toBeCloseTo(0.3 + 3.2 * Math.sqrt(0.5), 10);
    expect(neg.getAttribute('stroke-dasharray')).toBe('3 2');
    expect(pos.getAttribute('stroke-dasharray')).toBeNull();
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
    expect(el.querySelectorAll('line.edge').length).toBe(16 * 16 + 16 * 16 + 16 * 10);
    expect([...el.querySelectorAll('text.elision')].map((t) => t.textContent)).toEqual(['⋮ 768 more', '⋮ 112 more', '⋮ 48 more']);
    expect(el.querySelectorAll('line.elision-line').length).toBe(3);
    // The sample spans the layer: first and last unit drawn.
    const units = [...el.querySelectorAll('circle.node')].map((c) => (c as unknown as { __data__: { layer: number; unit: number } }).__data__).filter((d) => d.layer === 0);
    expect(units[0]!.unit).toBe(0);
    expect(units[units.length - 1]!.unit).toBe(783);
    view.destroy();
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
    lineOf(el, '1:0:1').dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
    expect(tip.style.display).toBe('block');
    expect(tip.textContent).toContain('W^1[0][1] = -1');
    const out = el.querySelectorAll<SVGCircleElement>('circle.node')[2]!;
    expect(out.getAttribute('tabindex')).toBe('0');
    out.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
    expect(tip.textContent).toContain('bias 0.25');
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
    const net = new MLP({ layers: [4, 6, 3], seed: 3 });
    const el = host();
    const view = networkDiagram(el, { width: 500, duration: 0 });
    view.update({ model: net.toJSON(), activations: net.activationsOf([0.1, 0.2, 0.3, 0.4]) });
    expect(el.querySelector('[role=alert]')).toBeNull();
    expect(el.querySelectorAll('circle.node').length).toBe(13);
    expect(el.querySelectorAll('line.edge').length).toBe(4 * 6 + 6 * 3);
    // A bare ModelJSON is read as the model.
    view.update(net.toJSON());
    expect(el.querySelectorAll('line.edge').length).toBe(42);
    view.destroy();
  });
});
