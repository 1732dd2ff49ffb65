import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, MLP, Matrix, Random } from '../src/index.js';
import type { FloatArray } from '../src/matrix/alloc.js';
import { gemmJs } from '../src/matrix/gemm-js.js';
import { type GemmBackend, gemmRaw, gemmSimdVariant, getGemmBackend, setGemmBackend, setGemmOverride } from '../src/matrix/gemm.js';
import { gemmSimd } from '../src/matrix/simd/gemm-simd.js';
import { simdSupported } from '../src/matrix/simd/kernel.js';
import type { GemmKernel } from '../src/matrix/kernel.js';
import { referenceGemm as reference } from './helpers.js';

afterEach(() => setGemmBackend('auto'));

function randomArray(rng: Random, n: number, ctor: typeof Float32Array | typeof Float64Array): FloatArray {
  const a = new ctor(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform(-1, 1);
  return a;
}

interface Case {
  tA: boolean;
  tB: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
  pad: number;
}

function randomCases(rng: Random, count: number): Case[] {
  const cases: Case[] = [];
  const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 16, 17, 31, 33, 64, 65, 100, 257, 300];
  const pick = (): number => sizes[Math.floor(rng.uniform(0, sizes.length))]!;
  for (let t = 0; t < count; t++) {
    cases.push({
      tA: t % 2 === 1,
      tB: Math.floor(t / 2) % 2 === 1,
      m: pick(),
      n: pick(),
      k: pick(),
      alpha: [1, -0.5, 2.25][t % 3]!,
      beta: [0, 1, 0.75, -1.5][Math.floor(t / 3) % 4]!,
      pad: t % 5 === 0 ? 3 : 0,
    });
  }
  return cases;
}

/** Run one case on a kernel; returns C (with its padding) and the float64 reference. */
function runCase(
  cs: Case,
  ctor: typeof Float32Array | typeof Float64Array,
  seed: number,
  kernel: GemmKernel,
): { c: FloatArray; ref: Float64Array; ldc: number } {
  const { tA, tB, m, n, k, alpha, beta, pad } = cs;
  const rng = new Random(seed);
  const lda = (tA ? m : k) + pad;
  const ldb = (tB ? k : n) + pad;
  const ldc = n + pad;
  const a = randomArray(rng, (tA ? k : m) * lda, ctor);
  const b = randomArray(rng, (tB ? n : k) * ldb, ctor);
  const c = randomArray(rng, m * ldc, ctor);
  const ref = reference(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  kernel(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  return { c, ref, ldc };
}

function maxRelError(cs: Case, c: FloatArray, ref: Float64Array, ldc: number): number {
  let worst = 0;
  for (let i = 0; i < cs.m; i++) {
    for (let j = 0; j < cs.n; j++) {
      // Scale by the magnitude the sum can reach: |alpha| k + |beta|, inputs in [-1, 1].
      const scale = Math.abs(cs.alpha) * Math.sqrt(cs.k) + Math.abs(cs.beta) + 1;
      worst = Math.max(worst, Math.abs(c[i * ldc + j]! - ref[i * cs.n + j]!) / scale);
    }
  }
  return worst;
}

const simd: GemmKernel = (tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => {
  if (!gemmSimd(tA, tB, m, n, k, alpha, a as Float32Array, lda, b as Float32Array, ldb, beta, c as Float32Array, ldc)) {
    throw new Error('SIMD kernel unavailable');
  }
};

describe('gemm kernels', () => {
  it('the WebAssembly SIMD kernel is available on Node 20', () => {
    expect(simdSupported()).toBe(true);
    expect(['relaxed', 'simd128']).toContain(gemmSimdVariant());
  });

  it('gemmJs matches a float64 triple loop on random shapes, all transposes, alpha and beta (float64, 1e-12)', () => {
    const cases = randomCases(new Random(11), 48);
    cases.forEach((cs, t) => {
      const { c, ref, ldc } = runCase(cs, Float64Array, 100 + t, gemmJs);
      expect(maxRelError(cs, c, ref, ldc), JSON.stringify(cs)).toBeLessThan(1e-12);
    });
  });

  it('gemmJs and the SIMD kernel agree with the reference in float32 (1e-5) on random shapes', () => {
    const cases = randomCases(new Random(12), 64);
    cases.forEach((cs, t) => {
      const js = runCase(cs, Float32Array, 200 + t, gemmJs);
      const sd = runCase(cs, Float32Array, 200 + t, simd);
      expect(maxRelError(cs, js.c, js.ref, js.ldc), `js ${JSON.stringify(cs)}`).toBeLessThan(1e-5);
      expect(maxRelError(cs, sd.c, sd.ref, sd.ldc), `simd ${JSON.stringify(cs)}`).toBeLessThan(1e-5);
    });
  });

  it('the SIMD matrix-vector path (n = 1) agrees with the reference: odd k, padding, alpha, beta, transB', () => {
    let t = 0;
    for (const k of [1, 7, 8, 9, 784]) {
      for (const tB of [false, true]) {
        for (const [alpha, beta, pad] of [
          [1, 0, 0],
          [-0.5, 0.75, 2],
        ] as const) {
          const cs: Case = { tA: false, tB, m: 13, n: 1, k, alpha, beta, pad };
          const sd = runCase(cs, Float32Array, 300 + t++, simd);
          expect(maxRelError(cs, sd.c, sd.ref, sd.ldc), JSON.stringify(cs)).toBeLessThan(1e-5);
        }
      }
    }
  });

  it('gemmRaw leaves the padding between rows of C untouched', () => {
    for (const backend of ['js', 'simd'] as const) {
      setGemmBackend(backend);
      const cs: Case = { tA: true, tB: false, m: 9, n: 13, k: 21, alpha: 1, beta: 0, pad: 3 };
      const { c, ldc } = runCase(cs, Float32Array, 7, gemmRaw);
      const untouched = runCase(cs, Float32Array, 7, () => {});
      for (let i = 0; i < cs.m; i++) {
        for (let j = cs.n; j < ldc; j++) expect(c[i * ldc + j]).toBe(untouched.c[i * ldc + j]);
      }
    }
  });

  it('gemmRaw with beta = 0 overwrites NaN in C on both kernels', () => {
    for (const backend of ['js', 'simd'] as const) {
      setGemmBackend(backend);
      const a = new Float32Array(6 * 5).fill(1);
      const b = new Float32Array(5 * 7).fill(2);
      const c = new Float32Array(6 * 7).fill(Number.NaN);
      gemmRaw(false, false, 6, 7, 5, 1, a, 5, b, 7, 0, c, 7);
      expect(Array.from(c).every((v) => v === 10)).toBe(true);
    }
  });

  it('gemmRaw handles empty shapes: k = 0 gives beta C, m = 0 or n = 0 touch nothing', () => {
    for (const backend of ['js', 'simd'] as const) {
      setGemmBackend(backend);
      const c = new Float32Array([1, 2, 3, 4]);
      gemmRaw(false, false, 2, 2, 0, 1, new Float32Array(0), 0, new Float32Array(0), 2, 0.5, c, 2);
      expect(Array.from(c)).toEqual([0.5, 1, 1.5, 2]);
      gemmRaw(false, false, 0, 2, 3, 1, new Float32Array(0), 3, new Float32Array(6), 2, 0, c, 2);
      expect(Array.from(c)).toEqual([0.5, 1, 1.5, 2]);
    }
  });

  it('gemmRaw is bit-identical for identical inputs, whatever the buffers and their offsets', () => {
    for (const backend of ['js', 'simd', 'auto'] as const) {
      setGemmBackend(backend);
      const rng = new Random(5);
      const m = 37;
      const n = 29;
      const k = 300;
      const a = randomArray(rng, m * k, Float32Array) as Float32Array;
      const b = randomArray(rng, k * n, Float32Array) as Float32Array;
      const c1 = new Float32Array(m * n);
      gemmRaw(false, true, m, n, k, 1, a, k, b.subarray(0, n * k), k, 0, c1, n);
      // Same values at other addresses: a shifted copy of each operand, after an unrelated call.
      gemmRaw(true, false, 64, 64, 64, 1, new Float32Array(4096).fill(3), 64, new Float32Array(4096).fill(1), 64, 0, new Float32Array(4096), 64);
      const a2 = new Float32Array(m * k + 1);
      a2.set(a, 1);
      const b2 = new Float32Array(k * n + 3);
      b2.set(b.subarray(0, n * k), 3);
      const c2 = new Float32Array(m * n + 2);
      gemmRaw(false, true, m, n, k, 1, a2.subarray(1), k, b2.subarray(3), k, 0, c2.subarray(2), n);
      expect(Array.from(c2.subarray(2)), backend).toEqual(Array.from(c1));
    }
  });

  it('float64 runs the TypeScript kernel whatever the backend setting', () => {
    const cs: Case = { tA: false, tB: true, m: 33, n: 17, k: 65, alpha: 1, beta: 0, pad: 0 };
    setGemmBackend('js');
    const js = runCase(cs, Float64Array, 3, gemmRaw);
    setGemmBackend('simd');
    const sd = runCase(cs, Float64Array, 3, gemmRaw);
    expect(Array.from(sd.c)).toEqual(Array.from(js.c));
    expect(maxRelError(cs, sd.c, sd.ref, sd.ldc)).toBeLessThan(1e-12);
  });

  it('setGemmOverride sends float32 products, and only those, to another kernel until cleared', () => {
    const calls: string[] = [];
    // The TypeScript kernel stands in for a kernel from outside the package.
    setGemmOverride((tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => {
      calls.push(`${m}x${n}x${k}`);
      gemmJs(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    });
    try {
      const cs: Case = { tA: true, tB: false, m: 9, n: 70, k: 33, alpha: 1.5, beta: 0.5, pad: 2 };
      const r = runCase(cs, Float32Array, 11, gemmRaw);
      expect(calls).toEqual(['9x70x33']);
      expect(maxRelError(cs, r.c, r.ref, r.ldc)).toBeLessThan(1e-5);
      runCase(cs, Float64Array, 11, gemmRaw);
      expect(calls.length, 'float64 stays on the TypeScript kernel').toBe(1);
    } finally {
      setGemmOverride(null);
    }
    runCase({ tA: false, tB: false, m: 4, n: 4, k: 4, alpha: 1, beta: 0, pad: 0 }, Float32Array, 1, gemmRaw);
    expect(calls.length, 'cleared').toBe(1);
  });

  it("setGemmBackend rejects unknown names and getGemmBackend reports the setting", () => {
    expect(() => setGemmBackend('gpu' as GemmBackend)).toThrow(ConfigError);
    expect(() => setGemmBackend('gpu' as GemmBackend)).toThrow(/'auto', 'simd' or 'js', got gpu/);
    setGemmBackend('js');
    expect(getGemmBackend()).toBe('js');
  });
});

describe('MLP on both kernels', () => {
  const layers = [20, 33, 17, 5];

  function batch(seed: number, rows: number): { x: Matrix; y: Matrix } {
    const rng = new Random(seed);
    const x = new Matrix(rows, layers[0]!);
    const y = new Matrix(rows, layers[3]!);
    for (let i = 0; i < x.data.length; i++) x.data[i] = rng.uniform(-1, 1);
    for (let i = 0; i < rows; i++) y.set(i, i % 5, 1);
    return { x, y };
  }

  it('gradients(x, y) agree between the js and simd kernels (float32, rel 1e-4)', () => {
    const { x, y } = batch(1, 40);
    const results = (['js', 'simd'] as const).map((backend) => {
      setGemmBackend(backend);
      return new MLP({ sizes: layers, seed: 3 }).gradients(x, y);
    });
    const [js, sd] = results as [ReturnType<MLP['gradients']>, ReturnType<MLP['gradients']>];
    expect(Math.abs(js.loss - sd.loss)).toBeLessThan(1e-5);
    js.layers.forEach((g, i) => {
      const h = sd.layers[i]!;
      let scale = 0;
      for (const v of g.weights.data) scale = Math.max(scale, Math.abs(v));
      for (let j = 0; j < g.weights.data.length; j++) {
        expect(Math.abs(g.weights.data[j]! - h.weights.data[j]!)).toBeLessThan(1e-4 * scale + 1e-7);
      }
    });
  });

  it("checkpointed gradients equal stored-all gradients bit for bit on the simd kernel", () => {
    setGemmBackend('simd');
    const deep = [20, 32, 32, 32, 32, 32, 5];
    const net = new MLP({ sizes: deep, seed: 4 });
    const rng = new Random(9);
    const x = new Matrix(64, 20);
    const y = new Matrix(64, 5);
    for (let i = 0; i < x.data.length; i++) x.data[i] = rng.uniform(-1, 1);
    for (let i = 0; i < 64; i++) y.set(i, i % 5, 1);
    const all = net.gradients(x, y, { checkpoint: 'none' });
    for (const checkpoint of ['sqrt', { budget: 2 }] as const) {
      const ck = net.gradients(x, y, { checkpoint });
      expect(ck.stats.recomputations).toBeGreaterThan(0);
      ck.layers.forEach((g, i) => {
        expect(Array.from(g.weights.data)).toEqual(Array.from(all.layers[i]!.weights.data));
        expect(Array.from(g.bias)).toEqual(Array.from(all.layers[i]!.bias));
      });
    }
  });
});
