// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { curveSeries, legendLayout, trainingCurves } from '../src/training-curves.js';
import { host, listenerLedger } from './helpers.js';

const history = [
  { epoch: 1, loss: 1.2, accuracy: 0.55, valLoss: 1.3, valAccuracy: 0.5, samplesPerSecond: 1000, seconds: 1 },
  { epoch: 2, loss: 0.8, accuracy: 0.7, valLoss: 0.9, valAccuracy: 0.66, samplesPerSecond: 1000, seconds: 1 },
  { epoch: 3, loss: 0.5, accuracy: 0.82, valLoss: 0.7, valAccuracy: 0.75, samplesPerSecond: 1000, seconds: 1 },
];

describe('trainingCurves', () => {
  it('update(epochs) draws train and validation loss and accuracy in two panels', () => {
    const el = host();
    const view = trainingCurves(el, { width: 600 });
    view.update(history);
    expect(el.querySelectorAll('g.panel').length).toBe(2);
    expect(el.querySelectorAll('g.panel-loss path.curve').length).toBe(2);
    expect(el.querySelectorAll('g.panel-accuracy path.curve').length).toBe(2);
    const dashes = [...el.querySelectorAll('g.panel-loss path.curve')].map((p) => p.getAttribute('stroke-dasharray'));
    expect(dashes).toEqual([null, '6 3']);
    expect(el.querySelector('g.panel-loss path.curve')?.getAttribute('aria-label')).toBe('train loss: 3 points, last 0.5000');
    view.destroy();
  });

  it('update grows the curves live, one point per epoch', () => {
    const el = host();
    const view = trainingCurves(el, { width: 600 });
    for (let n = 1; n <= 3; n++) {
      view.update(history.slice(0, n));
      const d = el.querySelector('g.panel-loss path.curve')!.getAttribute('d')!;
      // One move-to and n - 1 line-tos.
      expect(d.split('L').length).toBe(n);
    }
    view.destroy();
  });

  it('only loss: no accuracy panel; { steps } plots loss against step', () => {
    const el = host();
    const view = trainingCurves(el, { width: 600 });
    view.update({ steps: [1, 2, 3, 4].map((step) => ({ step, loss: 1 / step })) });
    expect(el.querySelectorAll('g.panel').length).toBe(1);
    expect(el.querySelector('text.panel-title')?.textContent).toBe('loss vs step');
    view.destroy();
  });

  it('logScale: true uses a log axis and leaves out non-positive losses', () => {
    const series = curveSeries([{ epoch: 1, loss: 0 }, { epoch: 2, loss: 0.1 }, { epoch: 3, loss: 0.01 }], 'auto', true);
    expect(series[0]!.points).toEqual([
      [2, 0.1],
      [3, 0.01],
    ]);
    const el = host();
    const view = trainingCurves(el, { width: 600, logScale: true });
    view.update([{ epoch: 1, loss: 1 }, { epoch: 2, loss: 0.1 }, { epoch: 3, loss: 0.01 }]);
    expect(el.querySelector('text.panel-title')?.textContent).toBe('loss (log scale) vs epoch');
    const ticks = [...el.querySelectorAll('g.y-axis .tick text')].map((t) => t.textContent);
    expect(ticks).toContain('0.1');
    expect(ticks).toContain('0.01');
    view.destroy();
  });

  it('NaN losses are skipped; no finite value at all draws a message', () => {
    const el = host();
    const view = trainingCurves(el, { width: 600 });
    view.update([{ epoch: 1, loss: Number.NaN }]);
    expect(el.querySelector('[role=alert]')?.textContent).toMatch(/no finite values/);
    view.update([{ epoch: 1, loss: Number.NaN }, { epoch: 2, loss: 0.5 }, { epoch: 3, loss: 0.4 }]);
    expect(el.querySelector('[role=alert]')).toBeNull();
    expect(el.querySelector('g.panel-loss path.curve')?.getAttribute('aria-label')).toBe('train loss: 2 points, last 0.4000');
    view.destroy();
  });

  it('legendLayout keeps the keys on the title line when they fit, else wraps them within the width', () => {
    expect(legendLayout([100, 100], 150, 50, 600)).toEqual([
      { x: 392, row: 0 },
      { x: 500, row: 0 },
    ]);
    expect(legendLayout([100, 100], 450, 50, 600)).toEqual([
      { x: 50, row: 1 },
      { x: 158, row: 1 },
    ]);
    expect(legendLayout([200, 200], 300, 50, 400)).toEqual([
      { x: 50, row: 1 },
      { x: 50, row: 2 },
    ]);
  });

  it('destroy() leaves the container empty and no listeners behind', () => {
    const el = host();
    const ledger = listenerLedger([el, document, window]);
    try {
      const view = trainingCurves(el);
      view.update(history);
      view.destroy();
      expect(el.childNodes.length).toBe(0);
      expect(ledger.balance()).toBe(0);
    } finally {
      ledger.restore();
    }
  });
});
