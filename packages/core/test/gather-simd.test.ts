import { afterEach, describe, expect, it } from 'vitest';
import { Matrix, Random, setGemmBackend } from '../src/index.js';
import { gatherColumns } from '../src/matrix/gather.js';
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
