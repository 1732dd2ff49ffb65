// Over 300 lines: the one owner of the WebAssembly kernel instance and its heap (instantiation, shared memory for threads, copies in and out), with one thin entry per kernel it exports.
import { RELAXED_KERNEL_BASE64, SIMD_KERNEL_BASE64, SIMD_MAX_PAGES, SIMD_RESERVED_BYTES, SIMD_TILES } from './kernel-wasm.js';
import type { GemmKernel } from '../kernel.js';
import { Arena } from './arena.js';

/**
 * The WebAssembly SIMD GEMM kernel (float32 only), written in WebAssembly text in
 * scripts/build-simd.mjs and embedded as bytes in kernel-wasm.ts.
 *
 * Memory: two instances of the same code (and variant, so the same rounding), each over its own
 * linear memory. One over a shared memory holds the engine's buffers (see `residentFloat32`):
 * operands there are read and written where they are, and worker threads attached with
 * `useSharedKernel` work on them too (src/threads/). The other, over an ordinary memory, serves
 * operands that are not resident (a user's matrices, and everything where shared memory is
 * unavailable): each call copies op(A), op(B) (and C when beta ≠ 0) in with TypedArray.set,
 * runs, and copies C out. Both memories grow, never shrink, to the largest call seen, so
 * steady-state training allocates nothing.
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

/** One thread's share of the packing: op(A) rows aFrom .. aTo, op(B) columns bFrom .. bTo. */
export type PackPartExport = (
  transA: number,
  transB: number,
  m: number,
  n: number,
  k: number,
  a: number,
  b: number,
  ap: number,
  bp: number,
  aFrom: number,
  aTo: number,
  bFrom: number,
  bTo: number,
) => void;

/** One thread's block of C, rows i0 .. i1 and columns j0 .. j1, from the packed operands. */
export type ComputePartExport = (
  m: number,
  n: number,
  k: number,
  alpha: number,
  beta: number,
  c: number,
  ap: number,
  bp: number,
  i0: number,
  i1: number,
  j0: number,
  j1: number,
  tile: number,
) => void;

type BiasReluExport = (x: number, rows: number, cols: number, bias: number) => void;
type ReluBackwardExport = (g: number, dg: number, df: number, n: number) => void;
type ToColumnsExport = (src: number, rows: number, cols: number, dst: number) => number;
type FiniteExport = (x: number, n: number) => number;
type SgdExport = (p: number, g: number, v: number, bk: number, n: number, lr: number, lambda: number, mu: number, mode: number) => number;
type AdamExport = (p: number, g: number, m: number, v: number, bk: number, n: number, lr: number, lambda: number, b1: number, ob1: number, b2: number, ob2: number, c1: number, c2: number, eps: number) => number;

/**
 * One micro-tile of a kernel: mr x nr blocks of C, op(A) packed in panels of mr rows and op(B)
 * in panels of nr columns (threads split C on these boundaries), and its three exports. @internal
 */
export interface KernelTile {
  readonly mr: number;
  readonly nr: number;
  readonly gemm: GemmExport;
  readonly packPart: PackPartExport;
  readonly computePart: ComputePartExport;
}

/**
 * The tile a product of n columns and depth k runs on. The FMA variant has two: 4 x 8 (eight
 * accumulators) and 3 x 12 (nine, which keeps both FMA pipes busy on long products). Measured one
 * thread on the 2-core Intel host (computePart, µs): 3 x 12 is 6-11 % faster wherever k >= 128
 * and n >= 96 (256^3 679 against 723, 128x784x256 1016 against 1100, 48x512x512 491 against 545),
 * and 2-15 % slower with the 64 columns of a batch or a depth of 64 (a training step's shapes:
 * 128x64x784 286 against 279, 128x784x64 282 against 272). The tile never changes a result: each
 * element of C is summed in the same order on either. @internal
 */
export function tileFor(ker: Kernel, n: number, k: number): number {
  return ker.tiles.length > 1 && k >= 128 && n >= 96 ? 1 : 0;
}

/** An instantiated kernel and its memory. @internal */
export interface Kernel {
  readonly biasRelu: BiasReluExport;
  readonly reluBackward: ReluBackwardExport;
  readonly toColumns: ToColumnsExport;
  readonly finite: FiniteExport;
  readonly sgdUpdate: SgdExport;
  readonly adamUpdate: AdamExport;
  readonly gemv: GemvExport;
  /** The micro-tiles of this variant; a product runs on tiles[tileFor(this, n, k)]. */
  readonly tiles: readonly KernelTile[];
  readonly memory: WebAssembly.Memory;
  /** The compiled module (posted to worker threads, which instantiate it over the same memory). */
  readonly module: WebAssembly.Module;
  readonly relaxed: boolean;
  readonly shared: boolean;
  heap: Float32Array;
}

/**
 * The operands of one product as laid out in the kernel's memory (byte addresses), handed to
 * the parallel runner. One object, reused: the hot path allocates nothing. @internal
 */
export interface GemmJob {
  /** Index of the micro-tile in the kernel's tiles. */
  tile: number;
  transA: number;
  transB: number;
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
  a: number;
  b: number;
  c: number;
  ap: number;
  bp: number;
}

/** An optimiser update of resident buffers (byte addresses), handed to the parallel runner. @internal */
export interface UpdateJob {
  kind: 0 | 1 | 2 | 3;
  p: number;
  g: number;
  s1: number;
  s2: number;
  /** Where the kernel copies p as it reads it (p itself for no copy). */
  bk: number;
  n: number;
  readonly args: UpdateArgs;
}

/** What splits products and optimiser updates among threads (src/threads/pool.ts). @internal */
export interface ParallelRunner {
  /** Whether a product of this size is worth splitting. */
  splits(m: number, n: number, k: number): boolean;
  /** Run a job on the shared kernel's memory with the threads. */
  run(ker: Kernel, job: GemmJob): void;
  /** Whether an update of n parameters is worth splitting. */
  splitsUpdate(n: number): boolean;
  /** Run an update with the threads; whether every parameter is finite. */
  update(ker: Kernel, job: UpdateJob): boolean;
}

/** The kernel over an ordinary memory (undefined until first needed, null where unavailable). */
let plainKernel: Kernel | null | undefined;
/** The kernel over a shared memory: engine buffers live in it, and worker threads work on it. */
let sharedKernel: Kernel | null | undefined;
/** Whether worker threads are attached to the shared kernel (`useSharedKernel`). */
let threadsOn = false;
let parallel: ParallelRunner | null = null;
const job: GemmJob = { tile: 0, transA: 0, transB: 0, m: 0, n: 0, k: 0, alpha: 0, beta: 0, a: 0, b: 0, c: 0, ap: 0, bp: 0 };
/** Float offsets of the resident C of the last product into each: present when that product was split. */
const splitOutputs = new Set<number>();
const updateJob: UpdateJob = { kind: 0, p: 0, g: 0, s1: 0, s2: 0, bk: -1, n: 0, args: { lr: 0, lambda: 0, a: 0, b: 0, c1: 0, c2: 0, eps: 0 } };

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The kernel's exports over a memory (also what a worker thread calls). @internal */
export function instantiateKernel(module: WebAssembly.Module, memory: WebAssembly.Memory, relaxed: boolean, shared: boolean): Kernel {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const x = instance.exports;
  return {
    biasRelu: x.biasRelu as BiasReluExport,
    reluBackward: x.reluBackward as ReluBackwardExport,
    toColumns: x.toColumns as ToColumnsExport,
    finite: x.finite as FiniteExport,
    sgdUpdate: x.sgdUpdate as SgdExport,
    adamUpdate: x.adamUpdate as AdamExport,
    gemv: x.gemv as GemvExport,
    tiles: SIMD_TILES[relaxed ? 'relaxed' : 'simd128'].map(({ mr, nr }) => ({
      mr,
      nr,
      gemm: x[`gemm${mr}x${nr}`] as GemmExport,
      packPart: x[`packPart${mr}x${nr}`] as PackPartExport,
      computePart: x[`computePart${mr}x${nr}`] as ComputePartExport,
    })),
    memory,
    module,
    relaxed,
    shared,
    heap: new Float32Array(memory.buffer),
  };
}

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};

/** An unsigned LEB128 at `at`: [value, length in bytes]. */
function readLeb(bytes: Uint8Array, at: number): [number, number] {
  let n = 0;
  let shift = 0;
  let len = 0;
  for (;;) {
    const b = bytes[at + len]!;
    n |= (b & 0x7f) << shift;
    len++;
    shift += 7;
    if ((b & 0x80) === 0) return [n, len];
  }
}

/**
 * The kernel with its memory import made shared (limits 0x03: shared, minimum, maximum
 * `maxPages`): the threads' variant, derived here rather than embedded twice.
 * test/shared-kernel.test.ts checks that this gives exactly the module wabt assembles from the
 * shared text. @internal
 */
export function shareMemory(bytes: Uint8Array, maxPages: number): Uint8Array<ArrayBuffer> {
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at]!;
    const [size, sl] = readLeb(bytes, at + 1);
    const body = at + 1 + sl;
    if (id === 2) {
      // count, module name, field name, kind 0x02 (memory), limits 0x00 (minimum only), minimum
      let p = body + readLeb(bytes, body)[1];
      for (let k = 0; k < 2; k++) {
        const [n, nl] = readLeb(bytes, p);
        p += nl + n;
      }
      if (bytes[p] !== 0x02 || bytes[p + 1] !== 0x00) break;
      const [min, ml] = readLeb(bytes, p + 2);
      const content = [...bytes.subarray(body, p + 1), 0x03, ...leb(min), ...leb(maxPages), ...bytes.subarray(p + 2 + ml, body + size)];
      return Uint8Array.from([...bytes.subarray(0, at), 2, ...leb(content.length), ...content, ...bytes.subarray(body + size)]);
    }
    at = body + size;
  }
  throw new Error('shareMemory: the kernel has no unshared memory import');
}

function instantiate(shared: boolean): Kernel | null {
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
    if (shared) {
      bytes = shareMemory(bytes, SIMD_MAX_PAGES);
      if (!wasm.validate(bytes)) return null;
    }
    const memory = shared ? new wasm.Memory({ initial: 16, maximum: SIMD_MAX_PAGES, shared: true }) : new wasm.Memory({ initial: 16 });
    return instantiateKernel(new wasm.Module(bytes), memory, relaxed, shared);
  } catch {
    return null;
  }
}

/**
 * The kernel over a shared memory, instantiated on first use: the same code and variant as the
 * one over an ordinary memory, so the same rounding. Null where SharedArrayBuffer or shared
 * WebAssembly memory is unavailable (a page that is not cross-origin isolated).
 */
function getShared(): Kernel | null {
  if (sharedKernel === undefined) {
    const plain = getKernel();
    const shared = plain === null || typeof SharedArrayBuffer !== 'function' ? null : instantiate(true);
    sharedKernel = shared !== null && shared.relaxed === plain!.relaxed ? shared : null;
    if (sharedKernel !== null) buffers.add(sharedKernel.memory.buffer);
  }
  return sharedKernel;
}

/**
 * Attach threads: returns the kernel over a shared memory, which worker threads instantiate too
 * and a registered runner splits big products on; null where shared memory or the kernel is
 * unavailable. Idempotent. @internal
 */
export function useSharedKernel(): Kernel | null {
  const k = getShared();
  threadsOn = k !== null;
  return k;
}

/**
 * Detach threads. Work on operands in ordinary memory goes back to the kernel over an ordinary
 * memory for good (it always does when threads are off); the shared kernel is kept for engine
 * buffers and the next `useSharedKernel`. @internal
 */
export function usePlainKernel(): void {
  threadsOn = false;
}

/** Whether threads are attached to the shared kernel: for tests. @internal */
export function kernelIsShared(): boolean {
  return threadsOn;
}

/** Register (or clear, with null) the runner that splits big products among threads. @internal */
export function setParallelRunner(runner: ParallelRunner | null): void {
  parallel = runner;
}

/** The kernel over an ordinary memory: work on operands that are not resident. */
function getKernel(): Kernel | null {
  if (plainKernel === undefined) plainKernel = instantiate(false);
  return plainKernel;
}

// ---- Resident buffers -------------------------------------------------------------------------
//
// Engine buffers (parameters, gradients, optimiser state, activations) are allocated in the
// shared kernel's memory where it exists: the kernels then read and write them where they are,
// with no copy in or out, and worker threads see them too. Copies between typed arrays and a
// shared memory run 1.4-4x slower than into an ordinary one, so operands that are not resident
// (a user's matrices) keep to the kernel over an ordinary memory. A shared memory never
// detaches its buffer when it grows, so these views stay valid; each is given back to the arena
// when it is garbage-collected. Layout of the shared memory: the reserved area, the arena,
// then each call's scratch space.

/** Most bytes the arena spans; past it, engine buffers are ordinary typed arrays. */
const ARENA_LIMIT = 1 << 29;
const arena = new Arena(ARENA_LIMIT);
/** Every SharedArrayBuffer the shared memory has been seen through (a grow makes a new one). */
const buffers = new WeakSet<ArrayBufferLike>();
const freed =
  typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<{ at: number; bytes: number }>(({ at, bytes }) => arena.free(at, bytes)) : undefined;

/**
 * A zeroed float32 buffer in the shared kernel's memory, or null where there is none (or the
 * arena is full): the caller allocates an ordinary one. Only for buffers the engine keeps to
 * itself: a view made from it (subarray) must not outlive it. @internal
 */
export function residentFloat32(length: number): Float32Array | null {
  const ker = freed === undefined ? null : getShared();
  if (ker === null) return null;
  const bytes = length * 4;
  const at = arena.alloc(bytes);
  if (at === null) return null;
  if (heapOf(ker, (SIMD_RESERVED_BYTES + arena.end) / 4) === null) {
    arena.free(at, bytes);
    return null;
  }
  const view = new Float32Array(ker.memory.buffer, SIMD_RESERVED_BYTES + at, length);
  view.fill(0);
  freed!.register(view, { at, bytes });
  return view;
}

/** Whether x lives in the shared kernel's memory. @internal */
export function isResident(x: Float32Array): boolean {
  return buffers.has(x.buffer);
}

/** Bytes of the arena in use, and its extent: for tests. @internal */
export function arenaUsage(): { used: number; end: number } {
  return { used: arena.used, end: arena.end };
}

/** The first float of a call's scratch space in ker's memory. */
function scratch(ker: Kernel): number {
  return (ker.shared ? SIMD_RESERVED_BYTES + arena.end : SIMD_RESERVED_BYTES) / 4;
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
 * The float offset of a compact rows x cols operand stored with leading dimension ld: where a
 * resident one already is, else `at` in the scratch space after copying it there.
 */
function operand(heap: Float32Array, at: number, src: Float32Array, rows: number, cols: number, ld: number): number {
  if ((ld === cols || rows <= 1) && isResident(src)) return src.byteOffset / 4;
  copyIn(heap, at, src, rows, cols, ld);
  return at;
}

/** Whether two typed arrays share any byte. */
function overlap(x: Float32Array, y: Float32Array): boolean {
  return x.buffer === y.buffer && x.byteOffset < y.byteOffset + y.byteLength && y.byteOffset < x.byteOffset + x.byteLength;
}

/**
 * C = alpha op(A) op(B) + beta C in float32 with the SIMD kernel; the contract of `gemmRaw`.
 * Resident operands are read (and a resident, compact C written) where they are; the others
 * are copied through the scratch space. Returns false (and does nothing) where the kernel is
 * unavailable or the operands do not fit in its memory (over 2 GiB, or when memory.grow fails).
 */
export const gemmSimd: GemmKernel<boolean, Float32Array> = (transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => {
  // One column and A as stored: a matrix-vector product, no packing (inference, batch 1).
  const gemv = n === 1 && !transA;
  const split = parallel !== null && !gemv && k !== 0 && alpha !== 0 && parallel.splits(m, n, k);
  const inPlace = ldc === n && isResident(c) && !overlap(c, a) && !overlap(c, b);
  const ker = split || inPlace || isResident(a) || isResident(b) ? getShared() : getKernel();
  if (ker === null) return false;
  const t = tileFor(ker, n, k);
  const { mr, nr } = ker.tiles[t]!;
  const mp = Math.ceil(m / mr) * mr;
  const np = Math.ceil(n / nr) * nr;
  // Float offsets into the scratch space: A, B, C, packed A, packed B (16-byte aligned).
  const at = scratch(ker);
  const atB = align4(at + m * k);
  const atC = align4(atB + k * n);
  const offAp = align4(atC + m * n);
  const offBp = align4(offAp + mp * k);
  const heap = heapOf(ker, offBp + np * k);
  if (heap === null) return false;
  const offA = transA ? operand(heap, at, a, k, m, lda) : operand(heap, at, a, m, k, lda);
  const offB = transB ? operand(heap, atB, b, n, k, ldb) : operand(heap, atB, b, k, n, ldb);
  const offC = inPlace ? c.byteOffset / 4 : atC;
  if (beta !== 0 && !inPlace) copyIn(heap, offC, c, m, n, ldc);
  if (inPlace) {
    if (split && threadsOn) splitOutputs.add(offC);
    else splitOutputs.delete(offC);
  }
  if (gemv) ker.gemv(m, k, alpha, offA * 4, offB * 4, beta, offC * 4);
  else if (split && threadsOn) runParallel(ker, t, transA, transB, m, n, k, alpha, offA, offB, beta, offC, offAp, offBp);
  else ker.tiles[t]!.gemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, offA * 4, offB * 4, beta, offC * 4, offAp * 4, offBp * 4);
  if (inPlace) return true;
  if (ldc === n) {
    c.set(heap.subarray(offC, offC + m * n));
  } else {
    for (let r = 0; r < m; r++) c.set(heap.subarray(offC + r * n, offC + r * n + n), r * ldc);
  }
  return true;
};

/**
 * The kernel's memory as floats, grown to hold `floats` of them; null past 2 GiB (offsets are
 * i32 in the kernel) or when the memory cannot grow, and the caller falls back to TypeScript.
 */
function heapOf(ker: Kernel, floats: number): Float32Array | null {
  const bytes = floats * 4;
  if (bytes > 0x7fffffff) return null;
  if (bytes > ker.memory.buffer.byteLength) {
    const pages = Math.ceil((bytes - ker.memory.buffer.byteLength) / 65536);
    try {
      ker.memory.grow(pages);
    } catch {
      return null;
    }
  }
  if (ker.heap.buffer !== ker.memory.buffer) {
    ker.heap = new Float32Array(ker.memory.buffer);
    if (ker.shared) buffers.add(ker.memory.buffer);
  }
  return ker.heap;
}

/** The kernel for work on these buffers: the shared one if any is resident, else the plain one. */
function kernelFor(x: Float32Array, y?: Float32Array, z?: Float32Array, w?: Float32Array): Kernel | null {
  const any = isResident(x) || (y !== undefined && isResident(y)) || (z !== undefined && isResident(z)) || (w !== undefined && isResident(w));
  return any ? getShared() : getKernel();
}

/** The float offset of n floats of x: where it is if resident, else `at` after copying it there. */
function vector(heap: Float32Array, at: number, x: Float32Array, n: number): number {
  if (isResident(x)) return x.byteOffset / 4;
  heap.set(x.length === n ? x : x.subarray(0, n), at);
  return at;
}

/** Copy n floats at `off` back into x unless x is resident (the kernel wrote it in place). */
function vectorOut(heap: Float32Array, off: number, x: Float32Array, n: number): void {
  if (!isResident(x)) x.set(heap.subarray(off, off + n));
}

/**
 * Rows of x (cols floats each; row order[from + j], or from + j) into out as columns, n = cols x
 * batch, in the kernel: rows copied in, transposed four by four. Returns 0 if every copied value
 * is finite, NaN otherwise, or null where the kernel is unavailable. @internal
 */
export function toColumnsSimd(x: Float32Array, cols: number, order: ArrayLike<number> | undefined, from: number, batch: number, out: Float32Array): number | null {
  const ker = kernelFor(out);
  if (ker === null) return null;
  const len = cols * batch;
  const offS = scratch(ker);
  const heap = heapOf(ker, align4(offS + len) + len);
  if (heap === null) return null;
  if (order === undefined) heap.set(x.subarray(from * cols, (from + batch) * cols), offS);
  else for (let j = 0; j < batch; j++) heap.set(x.subarray(order[from + j]! * cols, (order[from + j]! + 1) * cols), offS + j * cols);
  const offD = isResident(out) ? out.byteOffset / 4 : align4(offS + len);
  const check = ker.toColumns(offS * 4, batch, cols, offD * 4);
  vectorOut(heap, offD, out, len);
  return check;
}

/** Floats per block of `allFiniteSimd`: copied into the kernel's memory, then checked there. */
const FINITE_BLOCK = 1 << 16;

/**
 * Whether x[from .. to) is all finite, checked in the kernel block by block (each copied into its
 * memory, a resident x read where it is); null where the kernel is unavailable. About 4x the
 * speed of the TypeScript scan on data that is not in cache (a training set checked by `train`).
 * @internal
 */
export function allFiniteSimd(x: Float32Array, from: number, to: number): boolean | null {
  if (isResident(x)) return getShared()!.finite(x.byteOffset + from * 4, to - from) === 0;
  const ker = getKernel();
  if (ker === null) return null;
  const at = scratch(ker);
  const heap = heapOf(ker, at + Math.min(FINITE_BLOCK, to - from));
  if (heap === null) return null;
  for (let b = from; b < to; b += FINITE_BLOCK) {
    const e = Math.min(b + FINITE_BLOCK, to);
    heap.set(x.subarray(b, e), at);
    if (ker.finite(at * 4, e - b) !== 0) return false;
  }
  return true;
}

/** Whether the first n floats of a resident x are all finite, checked in the kernel where x is. @internal */
export function residentFinite(x: Float32Array, n: number): boolean {
  return getShared()!.finite(x.byteOffset, n) === 0;
}

/**
 * relu of a layer in the kernel: x = max(x + b 1ᵀ, 0) in place (rows x cols), the same operations
 * as the TypeScript loop. False where the kernel is unavailable. @internal
 */
export function biasReluSimd(x: Float32Array, rows: number, cols: number, bias: Float32Array): boolean {
  const ker = kernelFor(x, bias);
  if (ker === null) return false;
  const len = rows * cols;
  const at = scratch(ker);
  const heap = heapOf(ker, align4(at + len) + rows);
  if (heap === null) return false;
  const offX = vector(heap, at, x, len);
  const offB = vector(heap, align4(at + len), bias, rows);
  ker.biasRelu(offX * 4, rows, cols, offB * 4);
  vectorOut(heap, offX, x, len);
  return true;
}

/** dF = g > 0 ? dG : 0 over n floats in the kernel (dF may be dG); false where unavailable. @internal */
export function reluBackwardSimd(g: Float32Array, dG: Float32Array, dF: Float32Array, n: number): boolean {
  const ker = kernelFor(g, dG, dF);
  if (ker === null) return false;
  const at = scratch(ker);
  const heap = heapOf(ker, align4(at + n) + n);
  if (heap === null) return false;
  const offG = vector(heap, at, g, n);
  const offDG = vector(heap, align4(at + n), dG, n);
  const offDF = isResident(dF) ? dF.byteOffset / 4 : align4(at + n);
  ker.reluBackward(offG * 4, offDG * 4, offDF * 4, n);
  vectorOut(heap, offDF, dF, n);
  return true;
}

/** Parameters of an optimiser update; one object, reused. @internal */
export interface UpdateArgs {
  lr: number;
  lambda: number;
  /** sgd: momentum μ; adam: β1. */
  a: number;
  /** adam: β2. */
  b: number;
  /** adam: 1 / (1 − β1^t). */
  c1: number;
  /** adam: 1 / (1 − β2^t). */
  c2: number;
  eps: number;
}

/**
 * One optimiser update of a float32 slot in the kernel (see build-simd.mjs): `kind` 0 plain SGD,
 * 1 momentum, 2 Nesterov (state s1 = v), 3 Adam (s1 = m, s2 = v). Bit-identical to the
 * TypeScript loops of optimizers.ts. With bk, p is first copied into it. Returns whether every
 * parameter is finite, or null where the kernel is unavailable (the caller runs its own loop,
 * and copies p into bk itself). @internal
 */
export function updateSimd(
  kind: 0 | 1 | 2 | 3,
  p: Float32Array,
  g: Float32Array,
  s1: Float32Array | undefined,
  s2: Float32Array | undefined,
  u: UpdateArgs,
  bk?: Float32Array,
): boolean | null {
  const ker = kernelFor(p, g, s1, s2);
  if (ker === null) return null;
  const n = p.length;
  const np = align4(n);
  const at = scratch(ker);
  const heap = heapOf(ker, at + 4 * np);
  if (heap === null) return null;
  const offP = vector(heap, at, p, n);
  const offG = vector(heap, at + np, g, n);
  const offS1 = s1 === undefined ? at + 2 * np : vector(heap, at + 2 * np, s1, n);
  const offS2 = s2 === undefined ? at + 3 * np : vector(heap, at + 3 * np, s2, n);
  // The kernel copies p into a resident bk as it reads it (each thread its range); anything else is
  // copied here first, and the kernel's copy goes back onto p.
  const bkResident = bk !== undefined && ker.shared && isResident(bk);
  if (bk !== undefined && !bkResident) bk.set(p);
  const offBk = bkResident ? bk.byteOffset / 4 : offP;
  // Split among threads only what is all resident: the workers see nothing else.
  const resident = offP !== at && offG !== at + np && (s1 === undefined || offS1 !== at + 2 * np) && (s2 === undefined || offS2 !== at + 3 * np);
  // Split only an update whose gradient a split product wrote: each thread then updates the rows
  // it computed, in its own cache (at batch 1 nothing is split, and a split update would read
  // the other core's writes: 0.85x one thread).
  const runner = resident && threadsOn && splitOutputs.has(offG) ? parallel : null;
  let ok: boolean;
  if (runner?.splitsUpdate(n)) {
    const j = updateJob;
    j.kind = kind;
    j.p = offP * 4;
    j.g = offG * 4;
    j.s1 = offS1 * 4;
    j.s2 = offS2 * 4;
    j.n = n;
    j.bk = offBk * 4;
    Object.assign(j.args, u);
    ok = runner.update(ker, j);
  } else {
    ok = kernelUpdate(ker, kind, offP * 4, offG * 4, offS1 * 4, offS2 * 4, offBk * 4, n, u.lr, u.lambda, u.a, u.b, u.c1, u.c2, u.eps);
  }
  vectorOut(heap, offP, p, n);
  if (s1 !== undefined) vectorOut(heap, offS1, s1, n);
  if (s2 !== undefined) vectorOut(heap, offS2, s2, n);
  return ok;
}

/**
 * The kernel's update of n parameters at byte addresses (sgdUpdate for kinds 0-2, adamUpdate for
 * 3), first copying p into bk as it reads it (bk = p for no copy): whether all are finite. Also
 * what each thread runs on its range of a split update. @internal
 */
export function kernelUpdate(
  ker: Kernel,
  kind: number,
  p: number,
  g: number,
  s1: number,
  s2: number,
  bk: number,
  n: number,
  lr: number,
  lambda: number,
  a: number,
  b: number,
  c1: number,
  c2: number,
  eps: number,
): boolean {
  return (kind === 3 ? ker.adamUpdate(p, g, s1, s2, bk, n, lr, lambda, a, 1 - a, b, 1 - b, c1, c2, eps) : ker.sgdUpdate(p, g, s1, bk, n, lr, lambda, a, kind)) === 1;
}

/** Hand the product to the parallel runner (registered, and it splits this size). */
function runParallel(
  ker: Kernel,
  tile: number,
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  offA: number,
  offB: number,
  beta: number,
  offC: number,
  offAp: number,
  offBp: number,
): void {
  job.tile = tile;
  job.transA = transA ? 1 : 0;
  job.transB = transB ? 1 : 0;
  job.m = m;
  job.n = n;
  job.k = k;
  job.alpha = alpha;
  job.beta = beta;
  job.a = offA * 4;
  job.b = offB * 4;
  job.c = offC * 4;
  job.ap = offAp * 4;
  job.bp = offBp * 4;
  parallel!.run(ker, job);
}

function align4(x: number): number {
  return (x + 3) & ~3;
}
