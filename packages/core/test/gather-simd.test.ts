import { afterEach, describe, expect, it } from 'vitest';
import { DataError, MLP, Matrix, Random, setGemmBackend } from '../src/index.js';
import { gatherColumns, gatherRows } from '../src/matrix/gather.js';
import { firstNonFinite } from '../src/matrix/matrix.js';
import { sameBits } from './helpers.js';

afterEach(() => setGemmBackend('auto'));

function gather(backend: 'auto' | 'js', x: Matrix, order: Uint32Array | undefined, from: number, batch: number): { out: Float32Array; check: number } {
  setGemmBackend(backend);
  const out = new Float32Array(x.cols * batch).fill(7);
  const check = gatherColumns(x, order, from, batch, out);
  return { out, check };
}

describe('gatherColumns(x, order, from, batch, out) in WebAssembly and TypeScript', () => {
  const rng = new Random(4);
  const x = new Matrix(300, 37);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.normal();
  const order = Uint32Array.from({ length: 300 }, (_, i) => (i * 131) % 300);

  it.each([
    [0, 64, false],
    [5, 63, true],
    [17, 29, false],
    [100, 200, true],
    [299, 1, true],
  ])('from %i, batch %i, shuffled %s: the same columns', (from, batch, shuffled) => {
    const o = shuffled ? order : undefined;
    const a = gather('auto', x, o, from, batch);
    const b = gather('js', x, o, from, batch);
    expect(sameBits(a.out, b.out)).toBe(true);
    expect(a.check).toBe(0);
    expect(b.check).toBe(0);
    // column j is sample j
    const j = batch - 1;
    const row = o === undefined ? from + j : o[from + j]!;
    expect(a.out[3 * batch + j]).toBe(x.data[row * 37 + 3]);
  });

  it('reports a NaN or an infinity among the gathered values, as the loop does', () => {
    const y = new Matrix(40, 37, x.data.slice(0, 40 * 37));
    y.set(33, 36, Number.NaN);
    expect(Number.isNaN(gather('auto', y, undefined, 0, 40).check)).toBe(true);
    expect(Number.isNaN(gather('js', y, undefined, 0, 40).check)).toBe(true);
    y.set(33, 36, Number.POSITIVE_INFINITY);
    expect(Number.isNaN(gather('auto', y, undefined, 30, 10).check)).toBe(true);
    expect(gather('auto', y, undefined, 0, 30).check).toBe(0);
  });
});

describe('gatherRows(x, order, from, batch, out)', () => {
  const x = new Matrix(50, 6);
  for (let i = 0; i < x.data.length; i++) x.data[i] = i;
  it.each([
    [0, 50, false],
    [3, 17, true],
    [49, 1, true],
  ])('from %i, batch %i, shuffled %s: row j of out is the batch\'s sample j', (from, batch, shuffled) => {
    const order = Uint32Array.from({ length: 50 }, (_, i) => (i * 7) % 50);
    const out = new Float32Array(6 * batch + 3).fill(-1);
    gatherRows(x, shuffled ? order : undefined, from, batch, out);
    for (let j = 0; j < batch; j++) {
      const row = shuffled ? order[from + j]! : from + j;
      expect(Array.from(out.subarray(j * 6, j * 6 + 6))).toEqual(Array.from(x.row(row)));
    }
    expect(Array.from(out.subarray(6 * batch))).toEqual([-1, -1, -1]);
  });
});

describe('firstNonFinite(d, from, to)', () => {
  it('finds the first NaN or infinity of the range, across the 2048-element blocks, and -1 without one', () => {
    for (const Type of [Float32Array, Float64Array]) {
      const d = new Type(10_000).fill(1.5);
      expect(firstNonFinite(d, 0, d.length)).toBe(-1);
      for (const [at, v] of [
        [0, Number.NaN],
        [2047, Number.POSITIVE_INFINITY],
        [2048, Number.NEGATIVE_INFINITY],
        [9_999, Number.NaN],
      ] as const) {
        d[at] = v;
        expect(firstNonFinite(d, 0, d.length), `${Type.name} ${v} at ${at}`).toBe(at);
        expect(firstNonFinite(d, at + 1, d.length)).toBe(-1);
        expect(firstNonFinite(d, at === 0 ? 1 : 0, at)).toBe(-1);
        d[at] = 1.5;
      }
      d[5000] = Number.NaN;
      d[7000] = Number.NaN;
      expect(firstNonFinite(d, 100, 9_000)).toBe(5000);
      expect(firstNonFinite(d, 5001, 9_000)).toBe(7000);
    }
  });

  it('lets predict name the first non-finite input of any chunk (the first layer reads x in place)', () => {
    const net = new MLP({ sizes: [40, 16, 3], seed: 1 });
    const xs = new Matrix(600, 40);
    for (let i = 0; i < xs.data.length; i++) xs.data[i] = (i % 13) / 13;
    const before = net.predict(xs);
    const kept = xs.get(513, 7);
    xs.set(513, 7, Number.POSITIVE_INFINITY);
    expect(() => net.predict(xs)).toThrow(DataError);
    expect(() => net.predict(xs)).toThrow(/MLP\.predict: x: row 513, column 7 is Infinity; inputs must be finite/);
    xs.set(513, 7, kept);
    expect(Array.from(net.predict(xs).data)).toEqual(Array.from(before.data));
  });
});
