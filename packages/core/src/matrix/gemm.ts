import { ConfigError, ShapeError } from '../base/errors.js';
import type { GemmKernel } from './kernel.js';
import { gemmJs } from './gemm-js.js';
import type { Matrix } from './matrix.js';
import { gemmSimd } from './simd/gemm-simd.js';
import { simdSupported, simdVariant } from './simd/kernel.js';
import { brief } from '../base/limits.js';
import type { DType } from './alloc.js';

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
 * Which kernel runs float32 GEMMs:
 * - `'auto'` (default): the WebAssembly SIMD kernel where the runtime supports it and the
 *   product is big enough to repay copying the operands (m n k >= 4096), else the TypeScript one;
 * - `'simd'`: always the SIMD kernel (setting it throws a ConfigError where it is unavailable);
 * - `'js'`: always the pure TypeScript kernel.
 * float64 always runs the TypeScript kernel. The choice depends only on the setting and the
 * shape, so equal inputs give bit-identical results (checkpointed recomputation relies on it).
 */
export type GemmBackend = 'auto' | 'simd' | 'js';

/** Smallest m n k that 'auto' sends to the SIMD kernel. */
const SIMD_MIN_WORK = 4096;

let backend: GemmBackend = 'auto';

/** Choose the float32 GEMM kernel for the whole process; see `GemmBackend`. Default 'auto'. */
export function setGemmBackend(choice: GemmBackend): void {
  if (choice !== 'auto' && choice !== 'simd' && choice !== 'js') {
    throw new ConfigError(`setGemmBackend: backend must be 'auto', 'simd' or 'js', got ${brief(choice)}`);
  }
  if (choice === 'simd' && !simdSupported()) {
    throw new ConfigError("setGemmBackend: 'simd' needs WebAssembly SIMD, which this runtime lacks; use 'auto' or 'js'");
  }
  backend = choice;
}

/** The current setting of `setGemmBackend`. */
export function getGemmBackend(): GemmBackend {
  return backend;
}

/**
 * What runs here: the SIMD kernel's variant ('relaxed' with fused multiply-add, 'simd128'
 * with separate multiply and add) or null without WebAssembly SIMD.
 */
export function gemmSimdVariant(): 'relaxed' | 'simd128' | null {
  return simdVariant();
}

/**
 * Which GEMM kernel variant computes a network's products, and so how its results round:
 * - `'relaxed'`: the WebAssembly SIMD kernel with fused multiply-add (relaxed SIMD);
 * - `'simd128'`: the WebAssembly SIMD kernel with separate multiply and add;
 * - `'js'`: the TypeScript kernel (float64, `setGemmBackend('js')`, or no WebAssembly SIMD).
 * Training is bit-reproducible per variant: the same seed and data give the same parameters
 * under the same variant, whatever the thread count.
 */
export type KernelVariant = 'relaxed' | 'simd128' | 'js';

/** Every `KernelVariant`, for validation. */
export const kernelVariants: readonly KernelVariant[] = ['relaxed', 'simd128', 'js'];

/**
 * The kernel variant that runs GEMMs of a dtype here under the current `setGemmBackend`
 * setting: what `train` records in its history and the model file.
 */
export function gemmKernelVariant(dtype: DType = 'float32'): KernelVariant {
  if (dtype === 'float64' || backend === 'js') return 'js';
  return simdVariant() ?? 'js';
}

let override: GemmKernel<void, Float32Array> | null = null;

/**
 * Send every float32 product to `kernel` instead of the backends (null: back to them), so that
 * apps/bench can time the whole engine on a kernel that is not part of the package (its native
 * prototype). Results then round as that kernel does, which `gemmKernelVariant` does not know:
 * for measurements only. @internal
 */
export function setGemmOverride(kernel: GemmKernel<void, Float32Array> | null): void {
  override = kernel;
}

/**
 * The raw kernel behind `gemm`, BLAS-style and unchecked: C (m x n, leading dimension ldc)
 * = alpha * op(A) op(B) + beta * C, op(A) m x k, op(B) k x n, row-major with leading
 * dimensions lda, ldb. beta = 0 overwrites C. The engine's hot paths call this directly.
 * A, B and C share one dtype; float32 goes to the kernel `setGemmBackend` chose.
 */
export const gemmRaw: GemmKernel = (transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => {
  if (override !== null && c instanceof Float32Array && a instanceof Float32Array && b instanceof Float32Array) {
    override(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
  }
  if (
    backend !== 'js' &&
    c instanceof Float32Array &&
    a instanceof Float32Array &&
    b instanceof Float32Array &&
    (backend === 'simd' || m * n * k >= SIMD_MIN_WORK) &&
    gemmSimd(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
  ) {
    return;
  }
  gemmJs(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
};
