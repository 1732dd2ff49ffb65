import type { FloatArray } from './alloc.js';

/**
 * The arguments every GEMM kernel takes, BLAS-style: C (m x n, leading dimension ldc) =
 * alpha op(A) op(B) + beta C, with op(A) m x k and op(B) k x n, row-major with leading
 * dimensions lda and ldb, op(X) = Xᵀ when its flag is set. beta = 0 overwrites C.
 */
export type GemmArguments<F extends FloatArray = FloatArray> = [
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: F,
  lda: number,
  b: F,
  ldb: number,
  beta: number,
  c: F,
  ldc: number,
];

/**
 * A GEMM kernel: the TypeScript one, the SIMD one (which returns false where it cannot run)
 * and the tests' reference all share this signature.
 */
export type GemmKernel<Result = void, F extends FloatArray = FloatArray> = (...args: GemmArguments<F>) => Result;
