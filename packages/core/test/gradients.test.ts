import { describe, expect, it } from 'vitest';
import { type ActivationName, activationBackward, activationNames, getActivation, LEAKY_SLOPE } from '../src/activations.js';
import { MLP, Random, gradcheck } from '../src/index.js';
import { hashUniform } from '../src/random.js';
import { hiddenActivations, randomRows, randomTargets } from './helpers.js';

const heads = [
  { output: 'softmax', loss: 'cross-entropy' },
  { output: 'sigmoid', loss: 'binary-cross-entropy' },
  { output: 'linear', loss: 'mse' },
  { output: 'tanh', loss: 'mse' },
] as const;

describe('gradients(x, y) matches central differences in float64', () => {
  for (const activation of hiddenActivations) {
    for (const head of heads) {
      it(`${activation} hidden layers, ${head.output} + ${head.loss}, depth 1 to 6, batch 1 and 7`, () => {
        const rng = new Random(activation.length * 31 + head.loss.length);
        for (let depth = 1; depth <= 6; depth++) {
          for (const batch of [1, 7]) {
            const sizes = Array.from({ length: depth + 1 }, () => 2 + rng.int(3));
            const net = new MLP({ sizes, activation, output: head.output, loss: head.loss, dtype: 'float64', seed: depth * 10 + batch });
            // Non-zero biases, so no layer sits at a symmetric point.
            const params = net.getParameters().map((p) => ({ weights: p.weights, bias: Array.from(p.bias, () => 0.3 * rng.normal()) }));
            net.setParameters(params);
            const x = randomRows(batch, sizes[0]!, rng);
            const y = randomTargets(batch, sizes[depth]!, head.loss, rng);
            const result = gradcheck(net, x, y);
            expect(result.maxRelativeError, `layers ${sizes.join('-')}, batch ${batch}`).toBeLessThanOrEqual(1e-6);
            expect(result.arrays).toHaveLength(2 * depth);
          }
        }
      });
    }
  }

  it('gradcheck also passes with dropout masks fixed by a seed and with checkpointing', () => {
    const rng = new Random(5);
    const net = new MLP({ sizes: [3, 6, 5, 4, 3], activation: ['tanh', 'relu', 'sigmoid'], dropout: [0.3, 0.5, 0.2], dtype: 'float64', seed: 3 });
    const x = randomRows(5, 3, rng);
    const y = randomTargets(5, 3, 'cross-entropy', rng);
    const result = gradcheck(net, x, y, { training: true, dropoutSeed: 1234, checkpoint: { budget: 2 } });
    expect(result.maxRelativeError).toBeLessThanOrEqual(1e-6);
  });

  it('gradcheck reports a large error for a wrong gradient (the check can fail)', () => {
    const rng = new Random(9);
    const net = new MLP({ sizes: [2, 3, 2], activation: 'tanh', dtype: 'float64', seed: 2 });
    const x = randomRows(4, 2, rng);
    const y = randomTargets(4, 2, 'cross-entropy', rng);
    const right = net.gradients(x, y).layers;
    expect(gradcheck(net, x, y, { gradients: right }).maxRelativeError).toBeLessThan(1e-6);
    // The same gradient with one entry of dL/dW^1 doubled and dL/db^2 negated: gradcheck must say so.
    const wrong = right.map((g) => ({ weights: g.weights.clone(), bias: g.bias.slice() }));
    wrong[0]!.weights.data[0] = 2 * wrong[0]!.weights.data[0]! + 0.1;
    wrong[1]!.bias[0] = -wrong[1]!.bias[0]! + 0.1;
    const result = gradcheck(net, x, y, { gradients: wrong });
    expect(result.maxRelativeError).toBeGreaterThan(1e-2);
    const byArray = (layer: number, kind: string) => result.arrays.find((a) => a.layer === layer && a.kind === kind)!;
    expect(byArray(1, 'weights').relativeError).toBeGreaterThan(1e-2);
    expect(byArray(2, 'bias').relativeError).toBeGreaterThan(1e-2);
    expect(byArray(1, 'bias').relativeError).toBeLessThan(1e-6);
    expect(byArray(2, 'weights').relativeError).toBeLessThan(1e-6);
  });
});

describe('a tiny network worked by hand', () => {
  it('gradients(x, y) of relu + linear + mse equal the hand-derived numbers to 1e-12', () => {
    // W1 = [[1, -1], [0.5, 2]], b1 = [0, -1], W2 = [[2, -3]], b2 = [0.5], x = [1, 2], y = [1].
    // f1 = W1 x + b1 = [1 - 2 + 0, 0.5 + 4 - 1] = [-1, 3.5];  g1 = relu(f1) = [0, 3.5]
    // f2 = W2 g1 + b2 = 0 - 10.5 + 0.5 = -10 = ŷ;  L = (ŷ - y)² / (m B) = 121 (m = B = 1)
    // dL/df2 = 2 (ŷ - y) = -22
    // dL/dW2 = dL/df2 g1ᵀ = [0, -77];  dL/db2 = -22
    // dL/dg1 = W2ᵀ dL/df2 = [-44, 66];  dL/df1 = dL/dg1 ⊙ [f1 > 0] = [0, 66]
    // dL/dW1 = dL/df1 xᵀ = [[0, 0], [66, 132]];  dL/db1 = [0, 66]
    const net = new MLP({ sizes: [2, 2, 1], activation: 'relu', output: 'linear', loss: 'mse', dtype: 'float64' });
    net.setParameters([
      { weights: [[1, -1], [0.5, 2]], bias: [0, -1] },
      { weights: [[2, -3]], bias: [0.5] },
    ]);
    const { loss, layers: gradients } = net.gradients([[1, 2]], [[1]]);
    expect(loss).toBeCloseTo(121, 12);
    expect(net.predict([[1, 2]])[0]![0]).toBeCloseTo(-10, 12);
    const close = (a: ArrayLike<number>, b: number[]): void => b.forEach((v, i) => expect(Math.abs(a[i]! - v)).toBeLessThanOrEqual(1e-12));
    close(gradients[1]!.weights.data, [0, -77]);
    close(gradients[1]!.bias, [-22]);
    close(gradients[0]!.weights.data, [0, 0, 66, 132]);
    close(gradients[0]!.bias, [0, 66]);
  });

  it('gradients(x, y) of a linear softmax layer is (ŷ − y) xᵀ / B, averaged over the batch', () => {
    // One layer, W = [[1, 0], [0, -1]], b = [0, 0.5]; x1 = [1, 1] (class 0), x2 = [2, 0] (class 1).
    // f(x1) = [1, -0.5], f(x2) = [2, 0.5]; ŷ = softmax(f); dL/dW = Σ_j (ŷ_j − y_j) x_jᵀ / 2.
    const net = new MLP({ sizes: [2, 2], output: 'softmax', loss: 'cross-entropy', dtype: 'float64' });
    net.setParameters([{ weights: [[1, 0], [0, -1]], bias: [0, 0.5] }]);
    const soft = (a: number, b: number): [number, number] => {
      const m = Math.max(a, b);
      const ea = Math.exp(a - m);
      const eb = Math.exp(b - m);
      return [ea / (ea + eb), eb / (ea + eb)];
    };
    const p1 = soft(1, -0.5);
    const p2 = soft(2, 0.5);
    const d1 = [p1[0] - 1, p1[1]];
    const d2 = [p2[0], p2[1] - 1];
    const expectedW = [(d1[0]! * 1 + d2[0]! * 2) / 2, (d1[0]! * 1 + d2[0]! * 0) / 2, (d1[1]! * 1 + d2[1]! * 2) / 2, (d1[1]! * 1 + d2[1]! * 0) / 2];
    const expectedLoss = (-Math.log(p1[0]) - Math.log(p2[1])) / 2;
    const { loss, layers: gradients } = net.gradients([[1, 1], [2, 0]], [[1, 0], [0, 1]]);
    expect(Math.abs(loss - expectedLoss)).toBeLessThanOrEqual(1e-12);
    expectedW.forEach((v, i) => expect(Math.abs(gradients[0]!.weights.data[i]! - v)).toBeLessThanOrEqual(1e-12));
    expect(Math.abs(gradients[0]!.bias[0]! - (d1[0]! + d2[0]!) / 2)).toBeLessThanOrEqual(1e-12);
  });
});

describe('edges', () => {
  it('gradients(x, y) works for a batch of one and a layer of width one', () => {
    const rng = new Random(2);
    const net = new MLP({ sizes: [1, 1, 1], activation: 'tanh', output: 'linear', loss: 'mse', dtype: 'float64' });
    net.setParameters([{ weights: [[0.7]], bias: [0.1] }, { weights: [[-1.3]], bias: [0.2] }]);
    expect(gradcheck(net, randomRows(1, 1, rng), [[0.5]]).maxRelativeError).toBeLessThan(1e-6);
  });

  it('the gradient of a parameter that does not affect the loss is zero', () => {
    // A relu unit with a large negative bias is dead: its incoming weights get zero gradient.
    const net = new MLP({ sizes: [2, 2, 1], activation: 'relu', output: 'linear', loss: 'mse', dtype: 'float64' });
    net.setParameters([{ weights: [[1, 1], [1, 1]], bias: [0, -100] }, { weights: [[1, 1]], bias: [0] }]);
    const { layers: gradients } = net.gradients([[0.5, 0.25], [1, -1]], [[1], [0]]);
    expect(Array.from(gradients[0]!.weights.data.slice(2))).toEqual([0, 0]);
    expect(gradients[0]!.bias[1]).toBe(0);
    expect(gradients[1]!.weights.data[1]).toBe(0);
  });

  it('losses stay finite for logits of size 1000', () => {
    const big = (output: 'softmax' | 'sigmoid', loss: 'cross-entropy' | 'binary-cross-entropy') => {
      const net = new MLP({ sizes: [1, 2], output, loss, dtype: 'float64' });
      net.setParameters([{ weights: [[1000], [-1000]], bias: [0, 0] }]);
      return net;
    };
    const ce = big('softmax', 'cross-entropy');
    const r1 = ce.gradients([[1]], [[0, 1]]);
    expect(r1.loss).toBeCloseTo(2000, 6);
    expect(r1.layers.every((g) => g.weights.data.every(Number.isFinite))).toBe(true);
    const bce = big('sigmoid', 'binary-cross-entropy');
    const r2 = bce.gradients([[1]], [[0, 1]]);
    expect(r2.loss).toBeCloseTo(1000, 6);
    expect(Number.isFinite(r2.layers[0]!.weights.data[0]!)).toBe(true);
    expect(ce.predict([[-1]])[0]).toEqual([0, 1]);
  });
});

describe('the dropout backward rounds as the notes write it', () => {
  // σ'(f) from the pre-dropout output g (1 − p), spelled out here once more per activation, so a
  // reordering of the products in the engine (which changes the last bit) fails this test.
  const derivative: Record<ActivationName, (g: number) => number> = {
    sigmoid: (g) => g * (1 - g),
    tanh: (g) => 1 - g * g,
    relu: (g) => (g > 0 ? 1 : 0),
    'leaky-relu': (g) => (g > 0 ? 1 : LEAKY_SLOPE),
    softplus: (g) => -Math.expm1(-g),
    linear: () => 1,
  };
  for (const name of activationNames) {
    it(`${name}: dL/df = (dL/dg / (1 − p)) · σ'(f), bit for bit, zero where the unit was dropped`, () => {
      const rng = new Random(name.length);
      const n = 500;
      const mask = { seed: 99, layer: 2, rate: 0.3 };
      const g = Float64Array.from({ length: n }, () => (name === 'sigmoid' ? rng.uniform(0, 1) : rng.normal()));
      const dG = Float64Array.from({ length: n }, () => rng.normal());
      const dF = new Float64Array(n);
      activationBackward(getActivation(name)!, g, dG, dF, n, mask);
      let kept = 0;
      for (let i = 0; i < n; i++) {
        const keep = hashUniform(mask.seed, mask.layer, i) >= mask.rate;
        const expected = keep ? dG[i]! * (1 / (1 - mask.rate)) * derivative[name](g[i]! * (1 - mask.rate)) : 0;
        expect(Object.is(dF[i], expected), `${name} entry ${i}: ${dF[i]} vs ${expected}`).toBe(true);
        if (keep) kept++;
      }
      expect(kept).toBeGreaterThan(n * 0.6);
      expect(kept).toBeLessThan(n * 0.8);
    });
  }
});
