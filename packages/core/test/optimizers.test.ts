import { describe, expect, it } from 'vitest';
import { ConfigError as CfgError, constantRate, cosineDecay, exponentialDecay, stepDecay } from '../src/index.js';
import { adam, momentum, nesterov, rmsprop, sgd } from '../src/index.js';

const slot = (p: number[], g: number[], decay = true) => ({ layer: 1, kind: decay ? ('weights' as const) : ('bias' as const), param: Float64Array.from(p), grad: Float64Array.from(g) });

describe('optimiser steps match their update rules', () => {
  it('sgd: p ← p − η (g + λ p), biases not decayed', () => {
    const w = slot([1, -2], [0.5, 0.25]);
    const b = slot([1], [1], false);
    sgd({ learningRate: 0.1, weightDecay: 0.01 }).step([w, b]);
    expect(w.param[0]).toBeCloseTo(1 - 0.1 * (0.5 + 0.01), 15);
    expect(w.param[1]).toBeCloseTo(-2 - 0.1 * (0.25 - 0.02), 15);
    expect(b.param[0]).toBeCloseTo(0.9, 15);
  });
  it('momentum: v ← μ v + g; p ← p − η v, over two steps', () => {
    const s = slot([0], [1]);
    const opt = momentum({ learningRate: 0.1, momentum: 0.9 });
    opt.step([s]);
    opt.step([s]);
    // v1 = 1, p1 = −0.1; v2 = 0.9 + 1 = 1.9, p2 = −0.1 − 0.19 = −0.29
    expect(s.param[0]).toBeCloseTo(-0.29, 15);
  });
  it('nesterov: p ← p − η (g + μ v)', () => {
    const s = slot([0], [1]);
    nesterov({ learningRate: 0.1, momentum: 0.9 }).step([s]);
    // v1 = 1, p1 = −0.1 (1 + 0.9) = −0.19
    expect(s.param[0]).toBeCloseTo(-0.19, 15);
  });
  it('adam: the first step moves every parameter by about η against its gradient sign', () => {
    const s = slot([0, 0], [3, -0.001]);
    adam({ learningRate: 0.01 }).step([s]);
    // m̂ = g, v̂ = g², so the step is η g / (|g| + ε)
    expect(s.param[0]).toBeCloseTo(-0.01 * (3 / (3 + 1e-8)), 12);
    expect(s.param[1]).toBeCloseTo(0.01 * (0.001 / (0.001 + 1e-8)), 12);
  });
  it('rmsprop: s ← ρ s + (1 − ρ) g²; p ← p − η g / (√s + ε)', () => {
    const s = slot([1], [2]);
    rmsprop({ learningRate: 0.01, rho: 0.9 }).step([s]);
    const sq = 0.1 * 4;
    expect(s.param[0]).toBeCloseTo(1 - (0.01 * 2) / (Math.sqrt(sq) + 1e-8), 12);
  });
  it('state is reset by reset()', () => {
    const s = slot([0], [1]);
    const opt = momentum({ learningRate: 0.1 });
    opt.step([s]);
    opt.reset();
    s.param[0] = 0;
    opt.step([s]);
    expect(s.param[0]).toBeCloseTo(-0.1, 15);
  });
});

describe('optimiser steps report non-finite results', () => {
  it('step(slots) returns false when a float32 parameter overflows, true otherwise', () => {
    const ok = { param: Float32Array.from([1]), grad: Float32Array.from([1]), layer: 1, kind: 'bias' as const };
    expect(sgd({ learningRate: 0.1 }).step([ok])).toBe(true);
    // 3e38 + 10 * 1e38 fits a double but not a float32: the stored value is Infinity.
    const big = { param: Float32Array.from([3e38]), grad: Float32Array.from([-1e38]), layer: 1, kind: 'bias' as const };
    expect(sgd({ learningRate: 10 }).step([big])).toBe(false);
    expect(big.param[0]).toBe(Number.POSITIVE_INFINITY);
    for (const make of [() => momentum({ learningRate: 10 }), () => adam({ learningRate: 1e39 }), () => rmsprop({ learningRate: 1e39 })]) {
      const s = { param: Float32Array.from([3e38]), grad: Float32Array.from([-1e38]), layer: 1, kind: 'bias' as const };
      expect(make().step([s])).toBe(false);
    }
  });
});

describe('learning-rate schedules, evaluated inside the optimiser per update', () => {
  it('stepDecay, exponentialDecay and cosineDecay (with warm-up) give the rates of their formulas', () => {
    const st = stepDecay({ rate: 0.1, every: 3, factor: 0.5 });
    expect([0, 2, 3, 5, 6].map((t) => st.at(t))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
    const ex = exponentialDecay({ rate: 0.2, decay: 0.9 });
    expect(ex.at(0)).toBe(0.2);
    expect(ex.at(3)).toBeCloseTo(0.2 * 0.729, 15);
    const cos = cosineDecay({ rate: 1, steps: 10, warmup: 2, minRate: 0.1 });
    expect(cos.at(0)).toBe(0.5);
    expect(cos.at(1)).toBe(1);
    expect(cos.at(2)).toBe(1);
    expect(cos.at(6)).toBeCloseTo(0.1 + 0.9 * 0.5, 15); // half way through the cosine part
    expect(cos.at(10)).toBeCloseTo(0.1, 15);
    expect(cos.at(50)).toBeCloseTo(0.1, 15);
    expect(constantRate(0.3).at(99)).toBe(0.3);
  });

  it('sgd({ learningRate: schedule }) takes step t with rate η_t, and reset() restarts the schedule', () => {
    const s = slot([1], [1], false);
    const opt = sgd({ learningRate: stepDecay({ rate: 0.1, every: 1, factor: 0.5 }) });
    opt.step([s]);
    expect(opt.learningRate).toBe(0.1);
    opt.step([s]);
    expect(opt.learningRate).toBe(0.05);
    expect(s.param[0]).toBeCloseTo(1 - 0.1 - 0.05, 15);
    opt.reset();
    expect(opt.learningRate).toBe(0.1);
  });

  it('adam and rmsprop with a constant schedule are bit-identical to the same number', () => {
    for (const make of [adam, rmsprop]) {
      const a = slot([0.5, -1, 2], [0.3, -0.2, 0.1]);
      const b = slot([0.5, -1, 2], [0.3, -0.2, 0.1]);
      const oa = make({ learningRate: 0.01, weightDecay: 0.1 });
      const ob = make({ learningRate: constantRate(0.01), weightDecay: 0.1 });
      for (let t = 0; t < 5; t++) {
        oa.step([a]);
        ob.step([b]);
      }
      expect(Array.from(a.param)).toEqual(Array.from(b.param));
    }
  });

  it('bad schedules are rejected with the function and value named', () => {
    expect(() => cosineDecay({ rate: 1, steps: 10, warmup: 10 })).toThrow(/cosineDecay: warmup must be an integer in \[0, steps = 10\), got 10/);
    expect(() => stepDecay({ rate: 0.1, every: 0 })).toThrow(CfgError);
    expect(() => sgd({ learningRate: { name: 'constant' } as never })).toThrow(/sgd: learningRate must be a finite number > 0 or a schedule/);
  });
});
