import { describe, expect, it } from 'vitest';
import { Matrix, Random, ShapeError, gemm, sumCols, sumRows } from '../src/index.js';
import { referenceGemm } from './helpers.js';
import { firstNonFinite } from '../src/matrix/matrix.js';

describe('Matrix', () => {
  it('Matrix.from and toArray round trip, row-major', () => {
    const m = Matrix.from([[1, 2, 3], [4, 5, 6]], 'float64');
    expect(m.rows).toBe(2);
    expect(m.cols).toBe(3);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(m.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(m.transpose().toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(m.dtype).toBe('float64');
    expect(Matrix.zeros(2, 2).dtype).toBe('float32');
  });
  it('rejects data of the wrong length', () => {
    expect(() => new Matrix(2, 2, new Float32Array(3))).toThrow(/2x2 needs 4 elements, data has 3/);
  });
});

describe('gemm(A, B, C, options)', () => {
  it('matches the naive triple loop for all transpose cases, odd sizes, alpha and beta (float64, exact order-independent tolerance)', () => {
    const rng = new Random(3);
    for (const [m, n, k] of [[1, 1, 1], [5, 3, 7], [8, 40, 2], [17, 9, 33], [4, 4, 300]] as const) {
      for (const tA of [false, true]) {
        for (const tB of [false, true]) {
          const a = new Matrix(tA ? k : m, tA ? m : k, 'float64');
          const b = new Matrix(tB ? n : k, tB ? k : n, 'float64');
          a.data.forEach((_, i) => (a.data[i] = rng.normal()));
          b.data.forEach((_, i) => (b.data[i] = rng.normal()));
          const c = new Matrix(m, n, 'float64');
          c.data.fill(1);
          const ref = referenceGemm(tA, tB, m, n, k, 2, a.data, a.cols, b.data, b.cols, 0.5, c.data, n);
          gemm(a, b, c, { transA: tA, transB: tB, alpha: 2, beta: 0.5 });
          ref.forEach((v, i) => expect(Math.abs(c.data[i]! - v)).toBeLessThan(1e-10));
        }
      }
    }
  });
  it('beta = 0 overwrites C, even NaN', () => {
    const c = Matrix.from([[Number.NaN]], 'float64');
    gemm(Matrix.from([[2]], 'float64'), Matrix.from([[3]], 'float64'), c);
    expect(c.get(0, 0)).toBe(6);
  });
  it('rejects mismatched shapes and dtypes with both shapes named', () => {
    const a = new Matrix(3, 4);
    expect(() => gemm(a, new Matrix(5, 2), new Matrix(3, 2))).toThrow(ShapeError);
    expect(() => gemm(a, new Matrix(5, 2), new Matrix(3, 2))).toThrow('gemm: inner dimensions differ, A is 3x4, B is 5x2');
    expect(() => gemm(a, new Matrix(4, 2), new Matrix(2, 2))).toThrow(/C is 2x2, but A is 3x4 and B is 4x2 give 3x2/);
    expect(() => gemm(a, new Matrix(4, 2, 'float64'), new Matrix(3, 2))).toThrow(/dtypes differ/);
  });
});

describe('reductions', () => {
  it('sumRows and sumCols', () => {
    const x = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const r = new Float64Array(2);
    const c = new Float64Array(3);
    sumRows(x, 2, 3, r);
    sumCols(x, 2, 3, c);
    expect(Array.from(r)).toEqual([6, 15]);
    expect(Array.from(c)).toEqual([5, 7, 9]);
  });
});

describe('firstNonFinite on large float32 data (checked in WebAssembly first)', () => {
  const n = (1 << 17) + 37;
  it.each([
    [Number.NaN, 0],
    [Number.POSITIVE_INFINITY, (1 << 16) - 1],
    [Number.NEGATIVE_INFINITY, 1 << 16],
    [Number.NaN, n - 1],
  ])('finds %d at %i, and -1 once it is gone', (bad, at) => {
    const d = Float32Array.from({ length: n }, (_, i) => (i % 11) - 5 + 3e38 * (i % 2));
    expect(firstNonFinite(d, 0, n)).toBe(-1);
    d[at] = bad;
    expect(firstNonFinite(d, 0, n)).toBe(at);
    expect(firstNonFinite(d, Math.min(at + 1, n), n)).toBe(-1);
    if (at > 0) expect(firstNonFinite(d, 0, at)).toBe(-1);
  });
});
