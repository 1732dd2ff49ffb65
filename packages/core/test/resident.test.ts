import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { MLP, Random, gemmRaw } from '../src/index.js';
import { engineOf } from '../src/internal.js';
import { arenaUsage, isResident, residentFloat32 } from '../src/matrix/simd/resident.js';
import { biasReluSimd, reluBackwardSimd, updateSimd } from '../src/matrix/simd/gemm-simd.js';
import { simdSupported } from '../src/matrix/simd/kernel.js';
import { sameBits } from './helpers.js';

const available = simdSupported() && typeof SharedArrayBuffer === 'function' && residentFloat32(1) !== null;

/** n floats in [-1, 1), in the kernel's shared memory or (resident false) an ordinary array. */
function filled(n: number, seed: number, resident: boolean): Float32Array {
  const rng = new Random(seed);
  const x = resident ? residentFloat32(n)! : new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.uniform(-1, 1);
  return x;
}

describe.skipIf(!available)('engine buffers resident in the kernel memory', () => {
  it('holds a float32 network’s parameters and gradients, not a float64 one’s', () => {
    const f32 = engineOf(new MLP({ sizes: [5, 4, 3], seed: 1 }));
    const f64 = engineOf(new MLP({ sizes: [5, 4, 3], seed: 1, dtype: 'float64' }));
    for (const s of f32.slots) expect(isResident(s.param as Float32Array) && isResident(s.grad as Float32Array)).toBe(true);
    for (const s of f64.slots) expect(s.param instanceof Float64Array).toBe(true);
  });

  // Every combination of resident operands, both transposes, padded leading dimensions and beta.
  const cases: [boolean, boolean, number, number, number, number, number][] = [];
  for (const tA of [false, true]) for (const tB of [false, true]) for (const [pad, beta] of [[0, 0], [0, 0.5], [3, 1]] as const) cases.push([tA ? 1 : 0, tB ? 1 : 0, 37, 29, 41, pad, beta].map(Number) as never);
  it.each(cases)('gemm transA %i transB %i 37x29x41, padding %i, beta %d: the same bits wherever A, B and C live', (tA, tB, m, n, k, pad, beta) => {
    const lda = (tA ? m : k) + pad;
    const ldb = (tB ? k : n) + pad;
    const ldc = n + pad;
    const run = (where: number): Float32Array => {
      const a = filled((tA ? k : m) * lda, 1, (where & 1) !== 0);
      const b = filled((tB ? n : k) * ldb, 2, (where & 2) !== 0);
      const c = filled(m * ldc, 3, (where & 4) !== 0);
      gemmRaw(!!tA, !!tB, m, n, k, 1.5, a, lda, b, ldb, beta, c, ldc);
      return Float32Array.from(c);
    };
    const ordinary = run(0);
    for (let where = 1; where < 8; where++) expect(sameBits(run(where), ordinary), `resident mask ${where}`).toBe(true);
  });

  it('gemm with C overlapping A in the kernel memory reads A before writing C', () => {
    const run = (resident: boolean): Float32Array => {
      const buf = filled(2 * 64 * 64, 4, resident);
      const a = buf.subarray(0, 64 * 64);
      const b = filled(64 * 64, 5, resident);
      gemmRaw(false, false, 64, 64, 64, 1, a, 64, b, 64, 0, buf.subarray(32 * 64), 64);
      return Float32Array.from(buf);
    };
    expect(sameBits(run(true), run(false))).toBe(true);
  });

  it('relu forward and backward and the optimiser updates: the same bits in place as through copies', () => {
    const [rows, cols] = [33, 17];
    const forward = (resident: boolean): Float32Array => {
      const x = filled(rows * cols, 6, resident);
      expect(biasReluSimd(x, rows, cols, filled(rows, 7, resident))).toBe(true);
      return Float32Array.from(x);
    };
    expect(sameBits(forward(true), forward(false))).toBe(true);
    const backward = (resident: boolean, inPlace: boolean): Float32Array => {
      const g = filled(rows * cols, 8, resident);
      const dG = filled(rows * cols, 9, resident);
      const dF = inPlace ? dG : filled(rows * cols, 10, resident);
      expect(reluBackwardSimd(g, dG, dF, rows * cols)).toBe(true);
      return Float32Array.from(dF);
    };
    for (const inPlace of [false, true]) expect(sameBits(backward(true, inPlace), backward(false, inPlace))).toBe(true);
    const update = (kind: 0 | 1 | 2 | 3, resident: boolean): Float32Array[] => {
      const p = filled(1001, 11, resident);
      const s1 = filled(1001, 13, resident);
      // an ordinary copy (map makes one) even when the others are resident: mixed operands
      const s2 = filled(1001, 14, resident).map(Math.abs);
      const args = { lr: 0.01, lambda: 0.001, a: 0.9, b: 0.999, c1: 1.1, c2: 1.01, eps: 1e-8 };
      expect(updateSimd(kind, p, filled(1001, 12, resident), s1, s2, args)).toBe(true);
      return [p, s1, s2].map((x) => Float32Array.from(x));
    };
    for (const kind of [0, 1, 2, 3] as const) {
      const a = update(kind, true);
      const b = update(kind, false);
      a.forEach((x, i) => expect(sameBits(x, b[i]!), `kind ${kind} buffer ${i}`).toBe(true));
    }
  });

  it('an update copies p into its undo buffer wherever each lives (train() keeps one to undo a step)', () => {
    const args = { lr: 0.01, lambda: 0.001, a: 0.9, b: 0.999, c1: 1.1, c2: 1.01, eps: 1e-8 };
    for (const kind of [0, 1, 3] as const) {
      for (const [pResident, bkResident] of [[true, true], [false, true], [true, false], [false, false]] as const) {
        const p = filled(1001, 20, pResident);
        const before = Float32Array.from(p);
        const bk = filled(1001, 21, bkResident);
        const s1 = filled(1001, 22, pResident);
        const s2 = filled(1001, 23, pResident);
        for (let i = 0; i < s2.length; i++) s2[i] = Math.abs(s2[i]!);
        expect(updateSimd(kind, p, filled(1001, 24, pResident), s1, s2, args, bk)).toBe(true);
        expect(sameBits(bk, before), `kind ${kind}, p resident ${pResident}, bk resident ${bkResident}`).toBe(true);
        expect(sameBits(p, before)).toBe(false);
      }
    }
  });

  it('gives a network’s buffers back to the arena once it is garbage-collected', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const settle = async (): Promise<void> => {
      for (let i = 0; i < 5; i++) {
        gc();
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    };
    await settle();
    const before = arenaUsage().used;
    let net: MLP | undefined = new MLP({ sizes: [784, 128, 10], seed: 1 });
    net.predict([new Array(784).fill(0.5)]);
    const during = arenaUsage().used;
    expect(during - before).toBeGreaterThanOrEqual((784 * 128 + 128 * 10) * 4 * 2);
    net = undefined;
    await settle();
    expect(arenaUsage().used).toBe(before);
  });
});
