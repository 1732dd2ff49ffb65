import type { FloatArray } from './alloc.js';
import type { GemmKernel } from './kernel.js';

/**
 * The pure TypeScript GEMM kernel: C = alpha op(A) op(B) + beta C, for float32 and float64.
 *
 * op(A) is packed into panels of MR rows and op(B) into panels of NR columns (Float64Array,
 * zero-padded at the edges), so one micro-kernel serves all four transpose cases and reads
 * both operands contiguously. The micro-kernel keeps an MR x NR tile of C in local variables
 * (registers) over a depth block of KC. Products and sums run in double precision; C is
 * rounded to its element type once per depth block.
 *
 * The order of every sum depends only on (m, n, k), never on data, timing or addresses: equal
 * inputs give bit-identical outputs, which checkpointed recomputation relies on.
 */

const MR = 4;
const NR = 4;
const KC = 256;

// Grow-only scratch for the packed operands: no allocation once the largest shape has been seen.
let packA: Float64Array = new Float64Array(0);
let packB: Float64Array = new Float64Array(0);

function scratch(current: Float64Array, length: number): Float64Array {
  return current.length >= length ? current : new Float64Array(Math.max(length, current.length * 2));
}

/** The raw kernel; see `GemmKernel` for the contract. */
export const gemmJs: GemmKernel = (transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => {
  scaleC(m, n, beta, c, ldc);
  if (m === 0 || n === 0 || k === 0 || alpha === 0) return;
  const mp = Math.ceil(m / MR);
  const np = Math.ceil(n / NR);
  packA = scratch(packA, mp * MR * k);
  packB = scratch(packB, np * NR * k);
  const ap = packA;
  const bp = packB;
  packPanelsA(transA, m, k, a, lda, ap);
  packPanelsB(transB, n, k, b, ldb, bp);
  for (let pc = 0; pc < k; pc += KC) {
    const kc = Math.min(KC, k - pc);
    for (let jp = 0; jp < np; jp++) {
      const j = jp * NR;
      const nr = Math.min(NR, n - j);
      const bOff = (jp * k + pc) * NR;
      for (let ip = 0; ip < mp; ip++) {
        const i = ip * MR;
        microKernel(ap, (ip * k + pc) * MR, bp, bOff, kc, alpha, c, i * ldc + j, ldc, Math.min(MR, m - i), nr);
      }
    }
  }
};

/** C = beta C; beta = 0 overwrites (NaN in C does not leak). */
function scaleC(m: number, n: number, beta: number, c: FloatArray, ldc: number): void {
  if (beta === 1) return;
  for (let i = 0; i < m; i++) {
    const row = i * ldc;
    if (beta === 0) c.fill(0, row, row + n);
    else for (let j = 0; j < n; j++) c[row + j]! *= beta;
  }
}

/** dst[(ip k + p) MR + r] = op(A)[ip MR + r, p], zero past row m. */
function packPanelsA(trans: boolean, m: number, k: number, a: FloatArray, lda: number, dst: Float64Array): void {
  // op(A)[i, p] sits at a[i * si + p * sp].
  const si = trans ? 1 : lda;
  const sp = trans ? lda : 1;
  let d = 0;
  for (let i0 = 0; i0 < m; i0 += MR) {
    if (i0 + MR <= m) {
      const r0 = i0 * si;
      const r1 = r0 + si;
      const r2 = r1 + si;
      const r3 = r2 + si;
      for (let p = 0; p < k; p++) {
        const o = p * sp;
        dst[d] = a[r0 + o]!;
        dst[d + 1] = a[r1 + o]!;
        dst[d + 2] = a[r2 + o]!;
        dst[d + 3] = a[r3 + o]!;
        d += MR;
      }
    } else {
      for (let p = 0; p < k; p++) {
        for (let r = 0; r < MR; r++) dst[d + r] = i0 + r < m ? a[(i0 + r) * si + p * sp]! : 0;
        d += MR;
      }
    }
  }
}

/** dst[(jp k + p) NR + q] = op(B)[p, jp NR + q], zero past column n. */
function packPanelsB(trans: boolean, n: number, k: number, b: FloatArray, ldb: number, dst: Float64Array): void {
  // op(B)[p, j] sits at b[p * sp + j * sj].
  const sp = trans ? 1 : ldb;
  const sj = trans ? ldb : 1;
  let d = 0;
  for (let j0 = 0; j0 < n; j0 += NR) {
    if (j0 + NR <= n) {
      const c0 = j0 * sj;
      const c1 = c0 + sj;
      const c2 = c1 + sj;
      const c3 = c2 + sj;
      for (let p = 0; p < k; p++) {
        const o = p * sp;
        dst[d] = b[o + c0]!;
        dst[d + 1] = b[o + c1]!;
        dst[d + 2] = b[o + c2]!;
        dst[d + 3] = b[o + c3]!;
        d += NR;
      }
    } else {
      for (let p = 0; p < k; p++) {
        for (let q = 0; q < NR; q++) dst[d + q] = j0 + q < n ? b[p * sp + (j0 + q) * sj]! : 0;
        d += NR;
      }
    }
  }
}

/**
 * C[0..mr, 0..nr) += alpha * Σ_p Ap[p, :]ᵀ Bp[p, :] over kc steps, the 4 x 4 tile held in
 * sixteen locals. Ap and Bp are packed panels (MR and NR floats per step).
 */
function microKernel(
  ap: Float64Array,
  pa: number,
  bp: Float64Array,
  pb: number,
  kc: number,
  alpha: number,
  c: FloatArray,
  ci: number,
  ldc: number,
  mr: number,
  nr: number,
): void {
  let c00 = 0;
  let c01 = 0;
  let c02 = 0;
  let c03 = 0;
  let c10 = 0;
  let c11 = 0;
  let c12 = 0;
  let c13 = 0;
  let c20 = 0;
  let c21 = 0;
  let c22 = 0;
  let c23 = 0;
  let c30 = 0;
  let c31 = 0;
  let c32 = 0;
  let c33 = 0;
  const end = pa + kc * MR;
  while (pa < end) {
    const b0 = bp[pb]!;
    const b1 = bp[pb + 1]!;
    const b2 = bp[pb + 2]!;
    const b3 = bp[pb + 3]!;
    const a0 = ap[pa]!;
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    const a1 = ap[pa + 1]!;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    const a2 = ap[pa + 2]!;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    const a3 = ap[pa + 3]!;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
    pa += MR;
    pb += NR;
  }
  if (mr === MR && nr === NR) {
    let o = ci;
    c[o]! += alpha * c00;
    c[o + 1]! += alpha * c01;
    c[o + 2]! += alpha * c02;
    c[o + 3]! += alpha * c03;
    o += ldc;
    c[o]! += alpha * c10;
    c[o + 1]! += alpha * c11;
    c[o + 2]! += alpha * c12;
    c[o + 3]! += alpha * c13;
    o += ldc;
    c[o]! += alpha * c20;
    c[o + 1]! += alpha * c21;
    c[o + 2]! += alpha * c22;
    c[o + 3]! += alpha * c23;
    o += ldc;
    c[o]! += alpha * c30;
    c[o + 1]! += alpha * c31;
    c[o + 2]! += alpha * c32;
    c[o + 3]! += alpha * c33;
    return;
  }
  // Edge tile: write the valid mr x nr corner only.
  storeRow(c, ci, nr, alpha, c00, c01, c02, c03);
  if (mr > 1) storeRow(c, ci + ldc, nr, alpha, c10, c11, c12, c13);
  if (mr > 2) storeRow(c, ci + 2 * ldc, nr, alpha, c20, c21, c22, c23);
  if (mr > 3) storeRow(c, ci + 3 * ldc, nr, alpha, c30, c31, c32, c33);
}

function storeRow(c: FloatArray, o: number, nr: number, alpha: number, v0: number, v1: number, v2: number, v3: number): void {
  c[o]! += alpha * v0;
  if (nr > 1) c[o + 1]! += alpha * v1;
  if (nr > 2) c[o + 2]! += alpha * v2;
  if (nr > 3) c[o + 3]! += alpha * v3;
}
