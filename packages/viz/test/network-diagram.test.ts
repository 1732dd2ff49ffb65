// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { networkDiagram } from '../src/network-diagram.js';
import { forward, snapshot } from './fixtures.js';

function host(): HTMLDivElement {
  const div = document.createElement('div');
  document.body.appendChild(div);
  return div;
}

describe('networkDiagram', () => {
  it('networkDiagram(el).update({ model }) draws one circle per unit and one line per pair of adjacent units', () => {
    const el = host();
    const view = networkDiagram(el, { width: 500, duration: 0 });
    view.update({ model: snapshot([3, 4, 2]) });
    expect(el.querySelectorAll('circle.node').length).toBe(3 + 4 + 2);
    expect(el.querySelectorAll('line.edge').length).toBe(3 * 4 + 4 * 2);
    expect(el.querySelector('svg title')?.textContent).toMatch(/Network diagram/);
    view.destroy();
  });
});
