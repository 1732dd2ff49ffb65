// @vitest-environment happy-dom
import { type CheckpointStep, simulateSchedule } from '@nabla/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineElements, elementTags, type NablaElement } from '../src/elements.js';
import type { NetworkDiagramOptions } from '../src/network-diagram.js';
import type { NetworkSnapshot } from '../src/types.js';
import { snapshot } from './fixtures.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('custom elements', () => {
  it('<nabla-memory src="..."> fetches JSON and draws it; a failed fetch draws a message', async () => {
    const results = { configs: [2, 4, 8].map((depth) => ({ strategy: 'none', label: 'store all', depth, peakActivationBytes: 100 * depth })) };
    const fetch = vi.fn(async (url: string) =>
      url === 'memory.json' ? new Response(JSON.stringify(results), { status: 200 }) : new Response('missing', { status: 404 }),
    );
    vi.stubGlobal('fetch', fetch);
    const el = document.createElement('nabla-memory') as NablaElement;
    el.setAttribute('src', 'memory.json');
    document.body.appendChild(el);
    await vi.waitFor(() => expect(el.querySelectorAll('path.point').length).toBe(3));
    expect(el.querySelector('text.slope')?.textContent).toBe('slope 1.00');
    el.setAttribute('src', 'nowhere.json');
    await vi.waitFor(() => expect(el.querySelector('[role=alert]')?.textContent).toBe('nabla-memory: could not load nowhere.json: HTTP 404'));
    expect(fetch).toHaveBeenCalledTimes(2);
    el.remove();
  });

  it('importing elements defines all six tags', () => {
    for (const tag of ['nabla-network', 'nabla-curves', 'nabla-boundary', 'nabla-timeline', 'nabla-memory', 'nabla-weights']) {
      expect(customElements.get(tag)).toBe(elementTags[tag as keyof typeof elementTags]);
    }
    // Defining again is harmless.
    expect(() => defineElements()).not.toThrow();
  });

  it('<nabla-network max-units="4"> maps attributes to options and data to update', () => {
    const el = document.createElement('nabla-network') as NablaElement<NetworkSnapshot, NetworkDiagramOptions>;
    el.setAttribute('max-units', '4');
    el.setAttribute('width', '400');
    el.setAttribute('duration', '0');
    document.body.appendChild(el);
    el.data = snapshot([10, 6, 2]);
    expect(el.querySelectorAll('circle.node').length).toBe(4 + 4 + 2);
    expect(el.querySelector('svg')?.getAttribute('width')).toBe('400');
    // Changing an attribute redraws with the new option and the same data.
    el.setAttribute('max-units', '3');
    expect(el.querySelectorAll('circle.node').length).toBe(3 + 3 + 2);
    // The options property wins over attributes.
    el.options = { maxUnits: 10 };
    expect(el.querySelectorAll('circle.node').length).toBe(18);
    expect(el.view).not.toBeNull();
    el.remove();
    expect(el.view).toBeNull();
    expect(el.childNodes.length).toBe(0);
  });

  it('<nabla-curves log-scale> and <nabla-weights image="28x28"> parse boolean and shape attributes', () => {
    const curves = document.createElement('nabla-curves') as NablaElement;
    curves.setAttribute('log-scale', '');
    document.body.appendChild(curves);
    curves.data = [
      { epoch: 1, loss: 1 },
      { epoch: 2, loss: 0.1 },
    ];
    expect(curves.querySelector('text.panel-title')?.textContent).toBe('loss (log scale) vs epoch');
    const weights = document.createElement('nabla-weights') as NablaElement;
    weights.setAttribute('image', '2x3');
    document.body.appendChild(weights);
    weights.data = { weights: [[1, 2, 3, 4, 5, 6]] };
    expect(weights.querySelector('canvas')?.dataset.layout).toBe('images');
    curves.remove();
    weights.remove();
  });

  it('every element renders its view once data is set', () => {
    const oneLayer: CheckpointStep[] = [
      { op: 'forward', layer: 1, recompute: false },
      { op: 'backward', layer: 1 },
      { op: 'free', layer: 1 },
      { op: 'free', layer: 0 },
    ];
    const data: Record<string, unknown> = {
      'nabla-network': { model: snapshot([3, 2]) },
      'nabla-curves': [{ epoch: 1, loss: 1 }],
      'nabla-boundary': { points: [[0, 0]], labels: [0], predict: (p: number[][]) => p.map(() => [0.5]) },
      'nabla-timeline': { steps: oneLayer, simulation: simulateSchedule(1, oneLayer, undefined, { cells: true }) },
      'nabla-memory': { configs: [{ strategy: 'none', label: 'a', depth: 2, peakActivationBytes: 10 }] },
      'nabla-weights': { weights: [[1]] },
    };
    for (const [tag, d] of Object.entries(data)) {
      const el = document.createElement(tag) as NablaElement;
      document.body.appendChild(el);
      el.data = d;
      expect(el.querySelector('.nabla-view'), tag).not.toBeNull();
      expect(el.querySelector('[role=alert]'), tag).toBeNull();
      el.remove();
    }
  });
});
