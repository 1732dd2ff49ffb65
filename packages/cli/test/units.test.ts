import { sgd } from '@nabla/core';
import { describe, expect, it } from 'vitest';
import { parseCheckpoint, parseLayers } from '../src/args.js';
import { Progress, formatDuration } from '../src/progress.js';
import { learningRateFor } from '../src/schedule.js';
import { trainThreadsOption } from '../src/threads.js';
import { Capture } from './helpers.js';

describe('Progress', () => {
  it('redraws one line in place on a terminal, with samples/s, loss and ETA', () => {
    const out = new Capture(true);
    const p = new Progress(out);
    p.startEpoch();
    p.update({ epoch: 2, epochs: 5, done: 500, total: 1000, loss: 0.25 });
    expect(out.text.startsWith('\r\x1b[2K')).toBe(true);
    expect(out.text.slice(5)).toMatch(/^epoch 2\/5 \[#{12}\.{12}\] +50% 500\/1000 \| \d+ samples\/s \| loss 0\.2500 \| ETA \d+:\d\d$/);
    p.update({ epoch: 2, epochs: 5, done: 600, total: 1000, loss: 0.2 });
    expect(out.text.split('\r').length).toBe(2); // throttled: no second redraw within 100 ms
    p.clear();
    expect(out.text.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('prints plain lines without control codes elsewhere, at most every 10 s', () => {
    const out = new Capture(false);
    const p = new Progress(out);
    p.startEpoch();
    p.update({ epoch: 1, epochs: 1, done: 10, total: 100, loss: 1 });
    expect(out.text).toBe('');
    expect(p.render({ epoch: 1, epochs: 3, done: 50, total: 100, loss: 0.5 }, 10)).toBe('epoch 1/3  50% 50/100 | 5 samples/s | loss 0.5000 | ETA 0:10');
  });

  it('formatDuration(seconds) gives m:ss and h:mm:ss', () => {
    expect(formatDuration(5)).toBe('0:05');
    expect(formatDuration(125)).toBe('2:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('--:--');
  });
});

describe('option parsers', () => {
  it('parseLayers reads hidden widths, and none for a single linear layer', () => {
    expect(parseLayers(undefined)).toEqual([256, 128]);
    expect(parseLayers('100, 50,10')).toEqual([100, 50, 10]);
    expect(parseLayers('none')).toEqual([]);
    expect(() => parseLayers('10,0')).toThrow(/invalid --layers/);
  });

  it('parseCheckpoint reads none, sqrt, every:K and budget:S', () => {
    expect(parseCheckpoint(undefined)).toBe('none');
    expect(parseCheckpoint('sqrt')).toBe('sqrt');
    expect(parseCheckpoint('every:3')).toEqual({ every: 3 });
    expect(parseCheckpoint('budget:2')).toEqual({ budget: 2 });
    expect(() => parseCheckpoint('every:0')).toThrow(/invalid --checkpoint/);
  });
});

describe('learning-rate schedules', () => {
  it('learningRateFor(cosine, η, T) is the optimiser-side cosine from η through η/2 half way to 0', () => {
    expect(learningRateFor('constant', 0.1, 10)).toBe(0.1);
    const cos = learningRateFor('cosine', 1, 10);
    if (typeof cos === 'number') throw new Error('expected a schedule');
    expect(cos.at(0)).toBe(1);
    expect(cos.at(5)).toBeCloseTo(0.5, 12);
    expect(cos.at(10)).toBeCloseTo(0, 12);
  });

  it('sgd with learningRateFor(cosine, η, T) takes the step of learning rate f(t) η inside the optimiser', () => {
    const param = Float64Array.from([1, -2]);
    const grad = Float64Array.from([1, 0.5]);
    const opt = sgd({ learningRate: learningRateFor('cosine', 0.1, 4) });
    const slots = [{ layer: 1, kind: 'bias' as const, param, grad }];
    opt.step(slots); // f = 1
    expect(Array.from(param)).toEqual([1 - 0.1, -2 - 0.05]);
    opt.step(slots); // f = cos²(π/8) = 0.8535...
    const f = 0.5 * (1 + Math.cos(Math.PI / 4));
    expect(param[0]).toBeCloseTo(0.9 - f * 0.1, 12);
    expect(param[1]).toBeCloseTo(-2.05 - f * 0.05, 12);
    expect(opt.learningRate).toBeCloseTo(f * 0.1, 15);
  });
});

describe('--threads N|auto', () => {
  it('parses --threads N|auto', () => {
    expect(trainThreadsOption(undefined)).toBe('auto');
    expect(trainThreadsOption('auto')).toBe('auto');
    expect(trainThreadsOption('3')).toBe(3);
    for (const bad of ['0', '9', '1.5', 'two', '', 'auto2']) expect(() => trainThreadsOption(bad), bad).toThrow(/invalid --threads: .*expected auto or an integer from 1 to 8/);
  });
});
