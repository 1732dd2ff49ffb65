import { ShapeError } from '../errors.js';
import type { FloatArray } from './alloc.js';
import type { Matrix } from './matrix.js';

/** Options of `gemm`. */
export interface GemmOptions {
  /** Use Aᵀ in place of A. Default false. */
  readonly transA?: boolean;
  /** Use Bᵀ in place of B. Default false. */
  readonly transB?: boolean;
  /** Scale of the product. Default 1. */
  readonly alpha?: number;
  /** Scale of the previous C; 0 overwrites C (NaN in C does not leak). Default 0. */
  readonly beta?: number;
}

/**
 * General matrix multiply, C = alpha * op(A) op(B) + beta * C, with op(X) = X or Xᵀ.
 * Checks shapes and dtypes, then runs the raw kernel. Returns C.
 */
export function gemm(a: Matrix, b: Matrix, c: Matrix, options: GemmOptions = {}): Matrix {
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const kb = transB ? b.cols : b.rows;
  const n = transB ? b.rows : b.cols;
  const opA = `${transA ? 'Aᵀ' : 'A'} is ${m}x${k}`;
  const opB = `${transB ? 'Bᵀ' : 'B'} is ${kb}x${n}`;
  if (k !== kb) throw new ShapeError(`gemm: inner dimensions differ, ${opA}, ${opB}`);
  if (c.rows !== m || c.cols !== n) {
    throw new ShapeError(`gemm: C is ${c.rows}x${c.cols}, but ${opA} and ${opB} give ${m}x${n}`);
  }
  if (a.dtype !== b.dtype || a.dtype !== c.dtype) {
    throw new ShapeError(`gemm: dtypes differ, A is ${a.dtype}, B is ${b.dtype}, C is ${c.dtype}`);
  }
  if (c.data === a.data || c.data === b.data) throw new ShapeError('gemm: C must not share storage with A or B');
  gemmRaw(transA, transB, m, n, k, options.alpha ?? 1, a.data, a.cols, b.data, b.cols, options.beta ?? 0, c.data, c.cols);
  return c;
}

/**
 * The raw kernel behind `gemm`, BLAS-style and unchecked: C (m x n, leading dimension ldc)
 * = alpha * op(A) op(B) + beta * C, op(A) m x k, op(B) k x n, row-major with leading
 * dimensions lda, ldb. The engine's hot paths call this directly.
 */
export function gemmRaw(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  lda: number,
  b: FloatArray,
  ldb: number,
  beta: number,
  c: FloatArray,
  ldc: number,
): void {
  scaleC(m, n, beta, c, ldc);
  if (m === 0 || n === 0 || k === 0 || alpha === 0) return;
  if (!transB) {
    // Rows of op(B) are contiguous: accumulate C[i,:] += op(A)[i,p] B[p,:], four rows of C at once.
    gemmRowUpdate(transA, m, n, k, alpha, a, lda, b, ldb, c, ldc);
  } else if (!transA) {
    // C[i,j] = A[i,:] · B[j,:]: dot products of contiguous rows.
    gemmDotNT(m, n, k, alpha, a, lda, b, ldb, c, ldc);
  } else {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[p * lda + i]! * b[j * ldb + p]!;
        c[i * ldc + j]! += alpha * s;
      }
    }
  }
}

function scaleC(m: number, n: number, beta: number, c: FloatArray, ldc: number): void {
  if (beta === 1) return;
  for (let i = 0; i < m; i++) {
    const row = i * ldc;
    if (beta === 0) c.fill(0, row, row + n);
    else for (let j = 0; j < n; j++) c[row + j]! *= beta;
  }
}

const KC = 256;

function gemmRowUpdate(
  transA: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  lda: number,
  b: FloatArray,
  ldb: number,
  c: FloatArray,
  ldc: number,
): void {
  // op(A)[i,p] sits at a[i*sa + p*sp].
  const sa = transA ? 1 : lda;
  const sp = transA ? lda : 1;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const p1 = Math.min(p0 + KC, k);
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const c0 = i * ldc;
      const c1 = c0 + ldc;
      const c2 = c1 + ldc;
      const c3 = c2 + ldc;
      for (let p = p0; p < p1; p++) {
        const a0 = alpha * a[i * sa + p * sp]!;
        const a1 = alpha * a[(i + 1) * sa + p * sp]!;
        const a2 = alpha * a[(i + 2) * sa + p * sp]!;
        const a3 = alpha * a[(i + 3) * sa + p * sp]!;
        const bp = p * ldb;
        for (let j = 0; j < n; j++) {
          const bv = b[bp + j]!;
          c[c0 + j]! += a0 * bv;
          c[c1 + j]! += a1 * bv;
          c[c2 + j]! += a2 * bv;
          c[c3 + j]! += a3 * bv;
        }
      }
    }
    for (; i < m; i++) {
      const c0 = i * ldc;
      for (let p = p0; p < p1; p++) {
        const a0 = alpha * a[i * sa + p * sp]!;
        const bp = p * ldb;
        for (let j = 0; j < n; j++) c[c0 + j]! += a0 * b[bp + j]!;
      }
    }
  }
}

function gemmDotNT(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  lda: number,
  b: FloatArray,
  ldb: number,
  c: FloatArray,
  ldc: number,
): void {
  for (let i = 0; i < m; i++) {
    const ai = i * lda;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const b0 = j * ldb;
      const b1 = b0 + ldb;
      const b2 = b1 + ldb;
      const b3 = b2 + ldb;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let p = 0; p < k; p++) {
        const av = a[ai + p]!;
        s0 += av * b[b0 + p]!;
        s1 += av * b[b1 + p]!;
        s2 += av * b[b2 + p]!;
        s3 += av * b[b3 + p]!;
      }
      const ci = i * ldc + j;
      c[ci]! += alpha * s0;
      c[ci + 1]! += alpha * s1;
      c[ci + 2]! += alpha * s2;
      c[ci + 3]! += alpha * s3;
    }
    for (; j < n; j++) {
      const bj = j * ldb;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ai + p]! * b[bj + p]!;
      c[i * ldc + j]! += alpha * s;
    }
  }
}
