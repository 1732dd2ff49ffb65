import { describe, expect, it } from 'vitest';
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
