import { RELAXED_KERNEL_BASE64, SIMD_KERNEL_BASE64, SIMD_MR, SIMD_NR, SIMD_TILE_BYTES } from './kernel-wasm.js';
import type { GemmKernel } from '../kernel.js';

/**
 * The WebAssembly SIMD GEMM kernel (float32 only), written in WebAssembly text in
 * scripts/build-simd.mjs and embedded as bytes in kernel-wasm.ts.
 *
 * Memory: the kernel works on its own linear memory. Each call copies op(A), op(B) (and C when
 * beta ≠ 0) in with TypedArray.set, runs, and copies C out. The memory grows, never shrinks,
 * to the largest call seen, so steady-state training allocates nothing. Engine buffers stay
 * ordinary typed arrays: no view can be detached by a grow.
 */

type GemmExport = (
  transA: number,
  transB: number,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: number,
  b: number,
  beta: number,
  c: number,
  ap: number,
  bp: number,
) => void;

type GemvExport = (m: number, k: number, alpha: number, a: number, x: number, beta: number, y: number) => void;

interface Kernel {
  readonly gemm: GemmExport;
  readonly gemv: GemvExport;
  readonly memory: WebAssembly.Memory;
  readonly relaxed: boolean;
  heap: Float32Array;
}

let kernel: Kernel | null | undefined;

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function instantiate(): Kernel | null {
  const wasm = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
  if (wasm === undefined || typeof atob !== 'function') return null;
  try {
    // Prefer the fused multiply-add variant where relaxed SIMD validates; else plain SIMD128.
    let relaxed = true;
    let bytes = decode(RELAXED_KERNEL_BASE64);
    if (!wasm.validate(bytes)) {
      relaxed = false;
      bytes = decode(SIMD_KERNEL_BASE64);
      if (!wasm.validate(bytes)) return null;
    }
    const memory = new wasm.Memory({ initial: 16 });
    const instance = new wasm.Instance(new wasm.Module(bytes), { env: { memory } });
    const gemm = instance.exports.gemm as GemmExport;
    const gemv = instance.exports.gemv as GemvExport;
    return { gemm, gemv, memory, relaxed, heap: new Float32Array(memory.buffer) };
  } catch {
    return null;
  }
}

function getKernel(): Kernel | null {
  if (kernel === undefined) kernel = instantiate();
  return kernel;
}

/** Whether the WebAssembly SIMD kernel runs here (compiled once, on first call). */
export function simdSupported(): boolean {
  return getKernel() !== null;
}

/** 'relaxed' (fused multiply-add), 'simd128', or null where WebAssembly SIMD is unavailable. */
export function simdVariant(): 'relaxed' | 'simd128' | null {
  const k = getKernel();
  return k === null ? null : k.relaxed ? 'relaxed' : 'simd128';
}

/** Copy rows x cols of src (leading dimension ld) to heap[at ...] compactly. */
function copyIn(heap: Float32Array, at: number, src: Float32Array, rows: number, cols: number, ld: number): void {
  const len = rows * cols;
  if (ld === cols || rows <= 1) {
    heap.set(src.length === len ? src : src.subarray(0, len), at);
  } else {
    for (let r = 0; r < rows; r++) heap.set(src.subarray(r * ld, r * ld + cols), at + r * cols);
  }
}

/**
 * C = alpha op(A) op(B) + beta C in float32 with the SIMD kernel; the contract of `gemmRaw`.
 * Returns false (and does nothing) where the kernel is unavailable or the operands do not fit
 * in its memory (over 2 GiB, or when memory.grow fails).
 */
export const gemmSimd: GemmKernel<boolean, Float32Array> = (transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => {
  const ker = getKernel();
  if (ker === null) return false;
  const mp = Math.ceil(m / SIMD_MR) * SIMD_MR;
  const np = Math.ceil(n / SIMD_NR) * SIMD_NR;
  // Float offsets into the heap: tile buffer, A, B, C, packed A, packed B (16-byte aligned).
  const offA = SIMD_TILE_BYTES / 4;
  const offB = align4(offA + m * k);
  const offC = align4(offB + k * n);
  const offAp = align4(offC + m * n);
  const offBp = align4(offAp + mp * k);
  const end = offBp + np * k;
  const bytes = end * 4;
  // Offsets are i32 in the kernel; past 2 GiB, or if the memory cannot grow, the caller falls
  // back to the TypeScript kernel.
  if (bytes > 0x7fffffff) return false;
  if (bytes > ker.memory.buffer.byteLength) {
    const pages = Math.ceil((bytes - ker.memory.buffer.byteLength) / 65536);
    try {
      ker.memory.grow(pages);
    } catch {
      return false;
    }
  }
  if (ker.heap.buffer !== ker.memory.buffer) ker.heap = new Float32Array(ker.memory.buffer);
  const heap = ker.heap;
  if (transA) copyIn(heap, offA, a, k, m, lda);
  else copyIn(heap, offA, a, m, k, lda);
  if (transB) copyIn(heap, offB, b, n, k, ldb);
  else copyIn(heap, offB, b, k, n, ldb);
  if (beta !== 0) copyIn(heap, offC, c, m, n, ldc);
  // One column and A as stored: a matrix-vector product needs no packing (inference, batch 1).
  if (n === 1 && !transA) ker.gemv(m, k, alpha, offA * 4, offB * 4, beta, offC * 4);
  else ker.gemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, offA * 4, offB * 4, beta, offC * 4, offAp * 4, offBp * 4);
  if (ldc === n) {
    c.set(heap.subarray(offC, offC + m * n));
  } else {
    for (let r = 0; r < m; r++) c.set(heap.subarray(offC + r * n, offC + r * n + n), r * ldc);
  }
  return true;
};

function align4(x: number): number {
  return (x + 3) & ~3;
}
