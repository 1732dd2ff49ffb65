import { afterEach, describe, expect, it } from 'vitest';
import { Random, getActivation, setGemmBackend } from '../src/index.js';
import { biasActivationForward } from '../src/activations.js';
import { sameBits } from './helpers.js';

afterEach(() => setGemmBackend('auto'));

const relu = getActivation('relu')!;

/** Values with the edges relu must keep: NaN, ±0, ±Infinity, negatives, tiny and large ones. */
function values(n: number, seed: number): Float32Array {
  const rng = new Random(seed);
  const edges = [Number.NaN, 0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1e-40, 1e-40, 3e38];
  return Float32Array.from({ length: n }, (_, i) => (i % 17 === 0 ? edges[(i / 17) % edges.length]! : rng.normal()));
}

describe('relu forward (with bias) and backward in WebAssembly SIMD and TypeScript', () => {
  it.each([
    [64, 64],
    [37, 29],
    [128, 33],
  ])('biasActivationForward, %i x %i: the same bits, NaN and -0 to +0', (rows, cols) => {
    const bias = values(rows, 2);
    const run = (backend: 'auto' | 'js') => {
      setGemmBackend(backend);
      const x = values(rows * cols, 1);
      biasActivationForward(relu, x, rows, cols, bias);
      return x;
    };
    const fast = run('auto');
    const loop = run('js');
    expect(sameBits(fast, loop)).toBe(true);
    expect(fast.some((v) => Object.is(v, -0) || Number.isNaN(v))).toBe(false);
  });

  it.each([[4096], [1031]])('backward over %i values, in place and not: the same bits', (n) => {
    const g = values(n, 3);
    for (let i = 0; i < n; i++) if (!(g[i]! > 0)) g[i] = i % 2 === 0 ? 0 : g[i]!;
    const run = (backend: 'auto' | 'js', inPlace: boolean) => {
      setGemmBackend(backend);
      const dG = values(n, 4);
      const dF = inPlace ? dG : new Float32Array(n);
      relu.backward(g, dG, dF, n);
      return dF;
    };
    expect(sameBits(run('auto', true), run('js', true))).toBe(true);
    expect(sameBits(run('auto', false), run('js', false))).toBe(true);
  });
});
