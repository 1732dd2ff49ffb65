import { describe, expect, it } from 'vitest';
import { DataError, Random, argmax, blobs, circles, linearRegression, oneHot, spirals, standardize, trainTestSplit, xor } from '../src/index.js';

describe('data helpers', () => {
  it('oneHot and argmax invert each other', () => {
    const y = oneHot([2, 0, 1], 3);
    expect(y).toEqual([[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
    expect(argmax(y)).toEqual([2, 0, 1]);
    expect(() => oneHot([0, 3], 3)).toThrow(DataError);
    expect(() => oneHot([0, 3], 3)).toThrow(/label 1 is 3, expected an integer in 0..2/);
  });

  it('standardize gives columns of mean 0 and standard deviation 1', () => {
    const rng = new Random(1);
    const x = Array.from({ length: 500 }, () => [5 + 2 * rng.normal(), -3 + 0.1 * rng.normal(), 7]);
    const { x: z, stats } = standardize(x);
    for (let j = 0; j < 2; j++) {
      const col = z.map((r) => r[j]!);
      const mean = col.reduce((a, b) => a + b, 0) / col.length;
      const sd = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length);
      expect(Math.abs(mean)).toBeLessThan(1e-12);
      expect(sd).toBeCloseTo(1, 12);
    }
    expect(z.every((r) => r[2] === 0)).toBe(true);
    expect(stats.mean[0]).toBeCloseTo(5, 0);
  });

  it('trainTestSplit is seeded and partitions the samples', () => {
    const data = { x: Array.from({ length: 10 }, (_, i) => [i]), y: Array.from({ length: 10 }, (_, i) => [i]) };
    const a = trainTestSplit(data, { testFraction: 0.3, seed: 5 });
    const b = trainTestSplit(data, { testFraction: 0.3, seed: 5 });
    expect(a).toEqual(b);
    expect(a.test.x).toHaveLength(3);
    expect([...a.train.x, ...a.test.x].map((r) => r[0]).sort((p, q) => p! - q!)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(a.train.x.map((r) => r[0])).toEqual(a.train.y.map((r) => r[0]));
  });

  it('synthetic sets have the promised sizes and labels', () => {
    expect(xor({ samples: 4 }).labels).toEqual([0, 1, 1, 0]);
    const s = spirals({ samples: 100 });
    expect(s.x).toHaveLength(100);
    expect(s.labels.filter((c) => c === 1)).toHaveLength(50);
    const c = circles({ samples: 50, seed: 3 });
    c.x.forEach((p, i) => expect(Math.hypot(p[0]!, p[1]!) < 0.6).toBe(c.labels[i] === 0));
    const b = blobs({ classes: 4, samples: 40 });
    expect(b.y[0]).toHaveLength(4);
    const r = linearRegression({ weights: [1, 2], bias: 3, noise: 0, samples: 5 });
    r.x.forEach((row, i) => expect(r.y[i]![0]).toBeCloseTo(row[0]! + 2 * row[1]! + 3, 12));
  });
});
