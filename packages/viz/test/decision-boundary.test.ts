// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { classify, decisionBoundary, gridPoints } from '../src/decision-boundary.js';
import { host } from './helpers.js';

const points = [
  [0, 0],
  [1, 1],
  [0, 1],
  [1, 0],
];
const labels = [0, 0, 1, 1];

describe('decisionBoundary', () => {
  it('update({ predict }) calls predict once with resolution² grid points and draws every data point', () => {
    const el = host();
    const predict = vi.fn((ps: number[][]) => ps.map(([x, y]) => [x! > y! ? 0.9 : 0.1]));
    const view = decisionBoundary(el, { width: 300, resolution: 20 });
    view.update({ points, labels, predict });
    expect(predict).toHaveBeenCalledTimes(1);
    expect(predict.mock.calls[0]![0].length).toBe(400);
    expect(el.querySelectorAll('path.point').length).toBe(4);
    const canvas = el.querySelector('canvas')!;
    expect([canvas.width, canvas.height]).toEqual([20, 20]);
    // Classes get different symbols (shape, not only colour).
    const shapes = [...el.querySelectorAll('path.point')].map((p) => p.getAttribute('d'));
    expect(shapes[0]).toBe(shapes[1]);
    expect(shapes[0]).not.toBe(shapes[2]);
    view.destroy();
  });

  it('update({ grid }) draws a precomputed grid; a grid of the wrong size draws a message', () => {
    const el = host();
    const view = decisionBoundary(el, { width: 300 });
    const grid = { x: [-1, 1] as const, y: [-1, 1] as const, rows: 3, cols: 4, outputs: Array.from({ length: 12 }, (_, i) => [i / 12, 1 - i / 12]) };
    view.update({ points, labels, grid });
    expect(el.querySelector('[role=alert]')).toBeNull();
    expect([el.querySelector('canvas')!.width, el.querySelector('canvas')!.height]).toEqual([4, 3]);
    view.update({ points, labels, grid: { ...grid, outputs: grid.outputs.slice(1) } });
    expect(el.querySelector('[role=alert]')?.textContent).toContain('grid.outputs has 11 entries, expected rows x cols = 12');
    view.destroy();
  });

  it('a predict that throws or returns NaN, or a bad point, draws a message instead of throwing', () => {
    const el = host();
    const view = decisionBoundary(el, { width: 300, resolution: 4 });
    view.update({
      points,
      predict: () => {
        throw new Error('boom');
      },
    });
    expect(el.querySelector('[role=alert]')?.textContent).toContain('predict threw: boom');
    view.update({ points, predict: (ps) => ps.map(() => [Number.NaN]) });
    expect(el.querySelector('[role=alert]')?.textContent).toContain('output 0 is [null]');
    view.update({ points: [[0, Number.NaN]], predict: (ps) => ps.map(() => [0.5]) });
    expect(el.querySelector('[role=alert]')?.textContent).toContain('points[0]');
    view.destroy();
    expect(el.childNodes.length).toBe(0);
  });

  it('gridPoints and classify', () => {
    expect(gridPoints([0, 2], [0, 1], 1, 2)).toEqual([
      [0.5, 0.5],
      [1.5, 0.5],
    ]);
    expect(classify([0.75])).toEqual({ cls: 1, confidence: 0.5 });
    expect(classify([0.2, 0.6, 0.2]).cls).toBe(1);
    expect(classify([1 / 3, 1 / 3, 1 / 3]).confidence).toBeCloseTo(0, 12);
  });
});
