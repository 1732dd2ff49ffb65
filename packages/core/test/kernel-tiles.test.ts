// The micro-tiles of the SIMD kernel: every tile of a variant gives the same bits for the same
// product (each element of C is summed in the same order whatever the tile), a product split
// into blocks on a tile's boundaries gives the bits of the whole, and tileFor picks the FMA
// variant's 3 x 12 tile only for long, wide products. The relaxed cases run where relaxed SIMD
// validates (the NABLA_TEST_RELAXED run on Node 20).
import { describe, expect, it } from 'vitest';
import { type Kernel, instantiateKernel, tileFor } from '../src/matrix/simd/kernel.js';
import { RELAXED_KERNEL_BASE64, SIMD_KERNEL_BASE64, SIMD_RESERVED_BYTES } from '../src/matrix/simd/kernel-wasm.js';
import { sameBits } from './helpers.js';

function kernel(base64: string, relaxed: boolean): Kernel | null {
  const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
  if (!WebAssembly.validate(bytes)) return null;
  return instantiateKernel(new WebAssembly.Module(bytes), new WebAssembly.Memory({ initial: 256 }), relaxed, false);
}
const plain = kernel(SIMD_KERNEL_BASE64, false)!;
const relaxed = kernel(RELAXED_KERNEL_BASE64, true);
/** Registers a relaxed-tile test only where relaxed SIMD validates (the NABLA_TEST_RELAXED run); elsewhere one test says why. */
const itRelaxed = relaxed === null ? (_name: string, _fn: () => void): void => {} : it;

let seed = 7;
const rand = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296) * 2 - 1;

/** Byte addresses of A, B, C and the two packing areas for an m x n x k product, operands filled. */
function layout(ker: Kernel, m: number, n: number, k: number) {
  const f = SIMD_RESERVED_BYTES / 4;
  const a = f;
  const b = a + m * k + 4;
  const c = b + k * n + 4;
  const ap = c + m * n + 4;
  const bp = ap + (m + 12) * k + 4;
  const end = bp + (n + 12) * k;
  expect(end * 4).toBeLessThan(ker.memory.buffer.byteLength);
  const heap = new Float32Array(ker.memory.buffer);
  for (let i = 0; i < m * k; i++) heap[a + i] = rand();
  for (let i = 0; i < k * n; i++) heap[b + i] = rand();
  return { heap, a: a * 4, b: b * 4, c: c * 4, ap: ap * 4, bp: bp * 4, cOff: c };
}

const shapes: [number, number, number][] = [
  [1, 1, 1],
  [5, 13, 7],
  [37, 50, 129],
  [96, 96, 128],
  [130, 100, 300],
  [64, 64, 784],
];
const cases = shapes.flatMap(([m, n, k]) => [0, 1].flatMap((tA) => [0, 1].flatMap((tB) => [0, 0.5].map((beta) => ({ m, n, k, tA, tB, beta })))));

/** C after tile t's gemm on fresh operands (the same for every tile: the seed is reset). */
function product(ker: Kernel, t: number, { m, n, k, tA, tB, beta }: (typeof cases)[number]): Float32Array {
  seed = 7 + m * 31 + n * 7 + k;
  const l = layout(ker, m, n, k);
  for (let i = 0; i < m * n; i++) l.heap[l.cOff + i] = rand();
  ker.tiles[t]!.gemm(tA, tB, m, n, k, 0.75, l.a, l.b, beta, l.c, l.ap, l.bp);
  return l.heap.slice(l.cOff, l.cOff + m * n);
}

describe('SIMD kernel tiles', () => {
  it('simd128 has the 4 x 8 tile only, and tileFor always picks it', () => {
    expect(plain.tiles.map(({ mr, nr }) => [mr, nr])).toEqual([[4, 8]]);
    expect(tileFor(plain, 1024, 1024)).toBe(0);
  });

  if (relaxed === null) {
    it('relaxed SIMD does not validate in this run (Node 20 without its flag): the NABLA_TEST_RELAXED run tests the relaxed tiles', () => {
      expect(process.versions.node.startsWith('20.')).toBe(true);
      expect(WebAssembly.validate(Uint8Array.from(atob(RELAXED_KERNEL_BASE64), (ch) => ch.charCodeAt(0)))).toBe(false);
    });
  }

  itRelaxed('relaxed: tileFor picks 3 x 12 from depth 128 and 96 columns, 4 x 8 for a batch of 64 or a depth of 64', () => {
    expect(relaxed!.tiles.map(({ mr, nr }) => [mr, nr])).toEqual([
      [4, 8],
      [3, 12],
    ]);
    expect(tileFor(relaxed!, 256, 256)).toBe(1);
    expect(tileFor(relaxed!, 96, 128)).toBe(1);
    expect(tileFor(relaxed!, 64, 784)).toBe(0);
    expect(tileFor(relaxed!, 784, 64)).toBe(0);
  });

  itRelaxed('relaxed: both tiles give the same bits for every shape, transpose and beta, close to a float64 product', () => {
    for (const c of cases) {
      const c0 = product(relaxed!, 0, c);
      const c1 = product(relaxed!, 1, c);
      expect(sameBits(c0, c1), JSON.stringify(c)).toBe(true);
      // float64 reference of the same operands
      seed = 7 + c.m * 31 + c.n * 7 + c.k;
      const a = Array.from({ length: c.m * c.k }, rand);
      const b = Array.from({ length: c.k * c.n }, rand);
      const c0in = Array.from({ length: c.m * c.n }, rand);
      for (const [i, j] of [
        [0, 0],
        [c.m - 1, c.n - 1],
        [c.m >> 1, c.n >> 1],
      ] as const) {
        let s = 0;
        for (let p = 0; p < c.k; p++) s += Math.fround(a[c.tA ? p * c.m + i : i * c.k + p]!) * Math.fround(b[c.tB ? j * c.k + p : p * c.n + j]!);
        const want = 0.75 * s + c.beta * Math.fround(c0in[i * c.n + j]!);
        expect(Math.abs(c1[i * c.n + j]! - want), JSON.stringify({ ...c, i, j })).toBeLessThan(1e-4 * (1 + Math.sqrt(c.k)));
      }
    }
  });

  for (const [name, ker] of [
    ['simd128', plain],
    ['relaxed', relaxed],
  ] as const) {
    if (ker === null) continue;
    it(`${name}: packing and blocks of C split on each tile's boundaries give the bits of the whole product`, () => {
      for (let t = 0; t < (ker?.tiles.length ?? 0); t++) {
        const { mr, nr, packPart, computePart } = ker!.tiles[t]!;
        for (const c of cases.filter((x) => x.m > 8 && x.n > 8)) {
          const whole = product(ker!, t, c);
          seed = 7 + c.m * 31 + c.n * 7 + c.k;
          const l = layout(ker!, c.m, c.n, c.k);
          for (let i = 0; i < c.m * c.n; i++) l.heap[l.cOff + i] = rand();
          const iCut = Math.ceil(c.m / mr / 2) * mr;
          const jCut = Math.ceil(c.n / nr / 2) * nr;
          packPart(c.tA, c.tB, c.m, c.n, c.k, l.a, l.b, l.ap, l.bp, 0, iCut, jCut, c.n);
          packPart(c.tA, c.tB, c.m, c.n, c.k, l.a, l.b, l.ap, l.bp, iCut, c.m, 0, jCut);
          // rows in two bands, the lower band's columns in two blocks
          computePart(c.m, c.n, c.k, 0.75, c.beta, l.c, l.ap, l.bp, 0, iCut, 0, c.n, 0);
          computePart(c.m, c.n, c.k, 0.75, c.beta, l.c, l.ap, l.bp, iCut, c.m, jCut, c.n, 0);
          computePart(c.m, c.n, c.k, 0.75, c.beta, l.c, l.ap, l.bp, iCut, c.m, 0, jCut, 0);
          expect(sameBits(l.heap.slice(l.cOff, l.cOff + c.m * c.n), whole), JSON.stringify({ t, ...c })).toBe(true);
        }
      }
    });
  }
});
