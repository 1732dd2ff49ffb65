// Node environment: no global DOM. The package must import, and every view must draw into a
// document passed as an option (server rendering, tests), touching no global document.
import { Window } from 'happy-dom';
import { afterAll, describe, expect, it } from 'vitest';
import { type CheckpointStep, simulateSchedule } from '@nabla/core';
import type * as VizTypes from '../src/index.js';
import { snapshot } from './fixtures.js';

const oneLayer: CheckpointStep[] = [{ op: 'forward', layer: 1, recompute: false }, { op: 'backward', layer: 1 }, { op: 'free', layer: 1 }, { op: 'free', layer: 0 }];

// The globals before the package is first imported (a dynamic import, so it runs after this line).
const globalsBefore = new Set(Object.getOwnPropertyNames(globalThis));
const viz = await import('../src/index.js');
const globalsAfterImport = Object.getOwnPropertyNames(globalThis).filter((k) => !globalsBefore.has(k));

const window = new Window();
const doc = window.document as unknown as Document;

afterAll(async () => {
  await window.happyDOM.close();
});

describe('without a global DOM', () => {
  it('importing the package defines nothing global and needs no document', () => {
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
    expect(typeof viz.networkDiagram).toBe('function');
    expect(globalsAfterImport).toEqual([]);
  });

  it.each([
    ['networkDiagram', () => viz.networkDiagram, { model: snapshot([4, 3, 2]) }, 'circle.node', 9],
    ['trainingCurves', () => viz.trainingCurves, [{ epoch: 1, loss: 1 }, { epoch: 2, loss: 0.5 }], 'path.curve', 1],
    ['decisionBoundary', () => viz.decisionBoundary, { points: [[0, 0], [1, 1]], labels: [0, 1], predict: (p: number[][]) => p.map(() => [0.3]) }, 'path.point', 2],
    [
      'checkpointTimeline',
      () => viz.checkpointTimeline,
      { steps: oneLayer, simulation: simulateSchedule(1, oneLayer, undefined, { cells: true }) },
      'rect.cell',
      2 + 2 + 2 + 1, // g⁰ and g¹ at each of the first three steps, g⁰ freed at the last
    ],
    ['memoryChart', () => viz.memoryChart, { configs: [{ strategy: 'none', label: 'a', depth: 2, peakActivationBytes: 10 }, { strategy: 'none', label: 'a', depth: 4, peakActivationBytes: 20 }] }, 'path.point', 2],
    ['weightHeatmap', () => viz.weightHeatmap, { weights: [[1, -1]] }, 'canvas', 1],
  ] as const)('%s draws into options.document', (_, get, data, selector, count) => {
    const container = doc.createElement('div');
    doc.body.appendChild(container);
    const view = (get() as (c: Element, o: VizTypes.BaseOptions) => VizTypes.ViewHandle<unknown>)(container, { document: doc, width: 400 });
    view.update(data);
    expect(container.querySelectorAll(selector).length).toBe(count);
    expect(container.querySelector('[role=alert]')).toBeNull();
    expect(container.querySelector('.nabla-view')?.ownerDocument).toBe(doc);
    view.destroy();
    expect(container.childNodes.length).toBe(0);
    // Drawing into a passed document defined no global either (no window, document or element registry).
    expect(Object.getOwnPropertyNames(globalThis).filter((k) => !globalsBefore.has(k))).toEqual([]);
  });
});
