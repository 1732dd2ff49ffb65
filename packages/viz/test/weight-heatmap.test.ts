// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { weightHeatmap } from '../src/weight-heatmap.js';
import { snapshot } from './fixtures.js';
import { host } from './helpers.js';

describe('weightHeatmap', () => {
  it('update({ model, layer }) draws the plain n_k x n_{k-1} matrix for a narrow layer', () => {
    const el = host();
    const view = weightHeatmap(el, { width: 400 });
    view.update({ model: snapshot([6, 5, 3]), layer: 2 });
    const canvas = el.querySelector('canvas')!;
    expect(canvas.dataset.layout).toBe('matrix');
    expect([canvas.width, canvas.height]).toEqual([5, 3]);
    expect(canvas.getAttribute('aria-label')).toContain('Weights of layer 2: 3 units (rows) by 5 inputs (columns)');
    expect(canvas.getAttribute('tabindex')).toBe('0');
    view.destroy();
  });

  it('a 784-input layer is drawn as one 28x28 image per hidden unit', () => {
    const el = host();
    const view = weightHeatmap(el, { width: 640, columns: 16 });
    view.update({ model: snapshot([784, 32, 10], 5, 0.1) });
    const canvas = el.querySelector('canvas')!;
    expect(canvas.dataset.layout).toBe('images');
    // 16 images per row with 1-pixel gaps, 2 rows.
    expect([canvas.width, canvas.height]).toEqual([16 * 29 - 1, 2 * 29 - 1]);
    expect(canvas.getAttribute('aria-label')).toContain("32 units, each unit's 784 input weights as a 28x28 image");
    view.destroy();
  });

  it('the arrow keys read one weight at a time', () => {
    const el = host();
    const view = weightHeatmap(el, { width: 400 });
    view.update({ weights: [
      [1, 2],
      [3, -4],
    ] });
    const canvas = el.querySelector('canvas')!;
    canvas.dispatchEvent(new FocusEvent('focus'));
    const tip = el.querySelector('.nabla-tooltip')!;
    expect(tip.textContent).toContain('[0][0] = 1');
    canvas.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown' }));
    canvas.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight' }));
    expect(tip.textContent).toContain('[1][1] = -4');
    view.destroy();
  });

  it('NaN weights or a missing layer draw a message', () => {
    const el = host();
    const view = weightHeatmap(el);
    view.update({ weights: [[1, Number.NaN]] });
    expect(el.querySelector('[role=alert]')?.textContent).toContain('weights[0][1] is NaN');
    view.update({ model: snapshot([3, 2]), layer: 4 });
    expect(el.querySelector('[role=alert]')?.textContent).toContain('layer 4 is outside 1..1');
    view.update({ model: snapshot([3, 2]) });
    expect(el.querySelector('[role=alert]')).toBeNull();
    view.update(snapshot([4, 2]));
    expect(el.querySelector('canvas')!.width).toBe(4);
    view.destroy();
    expect(el.childNodes.length).toBe(0);
  });
});
