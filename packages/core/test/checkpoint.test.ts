import { describe, expect, it } from 'vitest';
import {
  type ActivationName,
  type CheckpointStep,
  type CheckpointStrategy,
  ConfigError,
  MLP,
  Random,
  checkpointSchedule,
  simulateSchedule,
} from '../src/index.js';
import { INFERENCE, engineOf } from '../src/internal.js';
import { hiddenActivations, randomRows, randomTargets, sameBits } from './helpers.js';

/**
 * An independent dynamic program for the fewest forwards that reverse l layers from one stored
 * state with s slots (that state's included), counting, as Griewank & Walther do, the forwards
 * that are not immediately reversed. Written from the recurrence, without the engine's tables.
 */
function optimalAdvances(maxL: number, maxS: number): number[][] {
  const t: number[][] = [];
  for (let s = 0; s <= maxS; s++) t.push(new Array<number>(maxL + 1).fill(Number.POSITIVE_INFINITY));
  for (let s = 1; s <= maxS; s++) {
    t[s]![1] = 0;
    for (let l = 2; l <= maxL; l++) {
      if (s === 1) {
        // Only the start is stored: walk up from it before reversing each layer.
        t[s]![l] = (l * (l - 1)) / 2;
        continue;
      }
      let best = Number.POSITIVE_INFINITY;
      for (let j = 1; j < l; j++) best = Math.min(best, j + t[s - 1]![l - j]! + t[s]![j]!);
      t[s]![l] = best;
    }
  }
  return t;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** Griewank & Walther's closed form: r L − C(s + r, s + 1), r least with C(s + r, s) >= L. */
function closedForm(L: number, s: number): number {
  let r = 0;
  while (binomial(s + r, s) < L) r++;
  return r * L - binomial(s + r, s + 1);
}

describe('checkpointSchedule(L, strategy)', () => {
  it("'none' stores every activation: L + 1 live at peak (g^0 included) and L forwards", () => {
    for (let L = 1; L <= 40; L++) {
      const sim = simulateSchedule(L, checkpointSchedule(L, 'none'));
      expect(sim.peakActivations).toBe(L + 1);
      expect(sim.forwardEvaluations).toBe(L);
      expect(sim.advanceForwards).toBe(L - 1);
    }
  });

  it("'sqrt' keeps at most 2 ceil(sqrt L) + 1 activations and evaluates at most 2L forwards", () => {
    for (let L = 1; L <= 200; L++) {
      const sim = simulateSchedule(L, checkpointSchedule(L, 'sqrt'));
      expect(sim.peakActivations, `L = ${L}`).toBeLessThanOrEqual(2 * Math.ceil(Math.sqrt(L)) + 1);
      expect(sim.forwardEvaluations, `L = ${L}`).toBeLessThanOrEqual(2 * L);
    }
  });

  it('{ every: k } recomputes each layer at most once and peaks at ceil(L/k) + k', () => {
    for (let L = 1; L <= 40; L++) {
      for (let k = 1; k <= L + 1; k++) {
        const steps = checkpointSchedule(L, { every: k });
        const sim = simulateSchedule(L, steps);
        expect(sim.peakActivations).toBeLessThanOrEqual(Math.ceil(L / k) + k);
        const recomputed = new Map<number, number>();
        for (const s of steps) if (s.op === 'forward' && s.recompute) recomputed.set(s.layer, (recomputed.get(s.layer) ?? 0) + 1);
        expect([...recomputed.values()].every((n) => n === 1)).toBe(true);
      }
    }
  });

  it('{ budget: s } never holds more than s checkpoints nor more than s + 2 activations', () => {
    for (let L = 1; L <= 64; L++) {
      for (let s = 1; s <= 10; s++) {
        const sim = simulateSchedule(L, checkpointSchedule(L, { budget: s }));
        expect(sim.peakCheckpoints, `L = ${L}, s = ${s}`).toBeLessThanOrEqual(s);
        expect(sim.peakActivations, `L = ${L}, s = ${s}`).toBeLessThanOrEqual(s + 2);
      }
    }
  });

  it('{ budget: s } uses the optimal number of forwards: independent DP and closed form agree, L <= 64, s <= 8', () => {
    const dp = optimalAdvances(64, 8);
    for (let L = 1; L <= 64; L++) {
      for (let s = 1; s <= 8; s++) {
        const sim = simulateSchedule(L, checkpointSchedule(L, { budget: s }));
        const optimum = dp[s]![L]!;
        expect(closedForm(L, s), `closed form, L = ${L}, s = ${s}`).toBe(optimum);
        expect(sim.advanceForwards, `schedule, L = ${L}, s = ${s}`).toBe(optimum);
        // Every layer's backward is preceded by one forward of that layer (the "turn"), except
        // when the whole sweep fits in memory.
        const turns = s >= L - 1 ? 1 : L;
        expect(sim.forwardEvaluations).toBe(optimum + turns);
      }
    }
  });

  it('a budget of ceil(log2 L) peaks at ceil(log2 L) + 2 activations up to L = 1024', () => {
    for (const L of [8, 16, 32, 64, 128, 256, 512, 1024]) {
      const s = Math.ceil(Math.log2(L));
      const sim = simulateSchedule(L, checkpointSchedule(L, { budget: s }));
      expect(sim.peakActivations).toBeLessThanOrEqual(s + 2);
    }
  });

  it('rejects bad strategies before any work, naming the value', () => {
    const bad: [unknown, RegExp][] = [
      [{ every: 0 }, /every: k \} needs an integer k >= 1, got 0/],
      [{ every: -2 }, /got -2/],
      [{ every: 1.5 }, /got 1.5/],
      [{ budget: 0 }, /budget: s \} needs an integer s >= 1, got 0/],
      [{ budget: -1 }, /got -1/],
      [{ budget: 2.5 }, /got 2.5/],
      ['log', /unknown checkpoint strategy "log"/],
      [{ every: 2, budget: 3 }, /unknown checkpoint strategy/],
    ];
    for (const [strategy, message] of bad) {
      expect(() => checkpointSchedule(10, strategy as CheckpointStrategy)).toThrow(ConfigError);
      expect(() => checkpointSchedule(10, strategy as CheckpointStrategy)).toThrow(message);
    }
    expect(() => checkpointSchedule(0, 'none')).toThrow(/layers must be an integer >= 1, got 0/);
    const net = new MLP({ sizes: [2, 3, 2], seed: 1 });
    expect(() => net.gradients([[1, 2]], [[1, 0]], { checkpoint: { every: 0 } })).toThrow(/MLP.gradients: checkpoint \{ every: k \}/);
  });

  it('simulateSchedule(2, plain backprop, undefined, { cells: true }) gives each activation its state step by step', () => {
    const twoLayers: CheckpointStep[] = [
      { op: 'forward', layer: 1, recompute: false },
      { op: 'forward', layer: 2, recompute: false },
      { op: 'backward', layer: 2 },
      { op: 'free', layer: 2 },
      { op: 'backward', layer: 1 },
      { op: 'free', layer: 1 },
      { op: 'free', layer: 0 },
    ];
    const sim = simulateSchedule(2, twoLayers, undefined, { cells: true });
    const at = (t: number) => sim.cells!.filter((c) => c.step === t).map((c) => `${c.layer}:${c.state}`);
    expect(at(0)).toEqual(['0:stored', '1:computed']);
    expect(at(1)).toEqual(['0:stored', '1:live', '2:computed']);
    expect(at(2)).toEqual(['0:stored', '1:used', '2:used']);
    expect(at(3)).toEqual(['0:stored', '1:live', '2:freed']);
    expect(at(6)).toEqual(['0:freed']);
    expect(sim.liveAfter).toEqual([2, 3, 3, 2, 2, 1, 0]);
    const sqrt = simulateSchedule(9, checkpointSchedule(9, 'sqrt'), undefined, { cells: true });
    expect(sqrt.cells!.filter((c) => c.state === 'recomputed').length).toBe(sqrt.recomputations);
    expect(simulateSchedule(2, checkpointSchedule(2, 'none')).cells).toBeUndefined();
  });

  it('simulateSchedule rejects an illegal schedule', () => {
    expect(() => simulateSchedule(2, [{ op: 'forward', layer: 2, recompute: false }])).toThrow(/needs g\^1, which is not live/);
    expect(() =>
      simulateSchedule(1, [
        { op: 'forward', layer: 1, recompute: false },
        { op: 'backward', layer: 1 },
      ]),
    ).toThrow(/still live at the end/);
  });
});

describe('gradients(x, y, { checkpoint }) is bit-identical to plain backpropagation', () => {
  it('for every strategy, every L from 1 to 40, random widths, batches and activations, float64, with dropout', () => {
    const rng = new Random(2024);
    for (let L = 1; L <= 40; L++) {
      const sizes = Array.from({ length: L + 1 }, () => 1 + rng.int(6));
      const activation = Array.from({ length: L - 1 }, () => hiddenActivations[rng.int(hiddenActivations.length)]!) as ActivationName[];
      const dropout = Array.from({ length: L - 1 }, () => (rng.next() < 0.3 ? 0.25 : 0));
      const net = new MLP({ sizes, activation, dropout, dtype: 'float64', seed: L, output: 'softmax' });
      const batch = 1 + rng.int(5);
      const x = randomRows(batch, sizes[0]!, rng);
      const y = randomTargets(batch, sizes[L]!, 'cross-entropy', rng);
      const dropoutSeed = rng.nextUint32();
      const plain = net.gradients(x, y, { training: true, dropoutSeed });
      const strategies: CheckpointStrategy[] = ['sqrt', { every: 1 }, { every: 2 }, { every: 3 }, { every: L }, { budget: 1 }, { budget: 2 }, { budget: 3 }, { budget: Math.ceil(Math.log2(L + 1)) }];
      for (const strategy of strategies) {
        const r = net.gradients(x, y, { checkpoint: strategy, training: true, dropoutSeed });
        expect(Object.is(r.loss, plain.loss)).toBe(true);
        for (let k = 0; k < L; k++) {
          expect(sameBits(r.layers[k]!.weights.data, plain.layers[k]!.weights.data), `L ${L}, ${JSON.stringify(strategy)}, W^${k + 1}`).toBe(true);
          expect(sameBits(r.layers[k]!.bias, plain.layers[k]!.bias)).toBe(true);
        }
        // The executor's exact counts equal the schedule's on paper.
        const sim = simulateSchedule(L, checkpointSchedule(L, strategy), sizes);
        expect(r.stats.forwardEvaluations).toBe(sim.forwardEvaluations);
        expect(r.stats.peakActivations).toBe(sim.peakActivations);
        expect(r.stats.peakActivationBytes).toBe(sim.peakUnits * batch * 8);
      }
    }
  });

  it("the schedule executor running 'none' is bit-identical to the plain for k = L..1 reference backprop", () => {
    const rng = new Random(77);
    for (let L = 1; L <= 12; L++) {
      for (const dtype of ['float32', 'float64'] as const) {
        const sizes = Array.from({ length: L + 1 }, () => 1 + rng.int(7));
        const activation = Array.from({ length: L - 1 }, () => hiddenActivations[rng.int(hiddenActivations.length)]!) as ActivationName[];
        const dropout = Array.from({ length: L - 1 }, () => (rng.next() < 0.4 ? 0.3 : 0));
        const net = new MLP({ sizes, activation, dropout, dtype, seed: L, output: 'softmax' });
        const engine = engineOf(net);
        const batch = 1 + rng.int(6);
        const x = engine.checkX(randomRows(batch, sizes[0]!, rng), 'test');
        const y = engine.checkY(randomTargets(batch, sizes[L]!, 'cross-entropy', rng), batch, 'test');
        for (const mode of [INFERENCE, { training: true, dropoutSeed: rng.nextUint32() }]) {
          const ref = engine.computeGradients({ x, y, from: 0, size: batch }, undefined, mode);
          const refGrads = engine.slots.map((s) => s.grad.slice());
          const run = engine.computeGradients({ x, y, from: 0, size: batch }, engine.schedule('none', 'test'), mode);
          expect(Object.is(run.loss, ref.loss)).toBe(true);
          expect(run.stats).toEqual(ref.stats);
          engine.slots.forEach((s, i) => expect(sameBits(s.grad, refGrads[i]!), `L ${L} ${dtype}, layer ${s.layer} ${s.kind}`).toBe(true));
        }
      }
    }
  });

  it('stats report L + 1 activations of exact size for plain backprop and fewer with checkpointing', () => {
    const net = new MLP({ sizes: new Array(17).fill(32), seed: 1 });
    const rng = new Random(1);
    const x = randomRows(8, 32, rng);
    const y = randomTargets(8, 32, 'cross-entropy', rng);
    const none = net.gradients(x, y).stats;
    expect(none.peakActivations).toBe(17);
    expect(none.peakActivationBytes).toBe(17 * 32 * 8 * 4);
    expect(none.forwardEvaluations).toBe(16);
    const sqrt = net.gradients(x, y, { checkpoint: 'sqrt' }).stats;
    expect(sqrt.peakActivations).toBeLessThanOrEqual(9);
    expect(sqrt.recomputations).toBeGreaterThan(0);
    const budget = net.gradients(x, y, { checkpoint: { budget: 4 } }).stats;
    expect(budget.peakActivations).toBeLessThanOrEqual(6);
  });

  it('a float32 network trained with checkpointing ends bit-identical to one trained without', async () => {
    const { train, sgd, spirals } = await import('../src/index.js');
    const data = spirals({ samples: 64, seed: 3 });
    const a = new MLP({ sizes: [2, 8, 8, 8, 8, 2], activation: 'relu', dropout: 0.1, seed: 4 });
    const b = a.clone();
    await train(a, data, { epochs: 3, batchSize: 16, optimizer: sgd({ learningRate: 0.1 }), seed: 9 });
    await train(b, data, { epochs: 3, batchSize: 16, optimizer: sgd({ learningRate: 0.1 }), seed: 9, checkpoint: { budget: 2 } });
    const pa = a.getParameters();
    const pb = b.getParameters();
    pa.forEach((p, k) => expect(sameBits(p.weights.data, pb[k]!.weights.data)).toBe(true));
  });
});
