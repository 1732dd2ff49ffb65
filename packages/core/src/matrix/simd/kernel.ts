// The WebAssembly SIMD kernel's instances: the module decoded and instantiated over an ordinary
// memory and, for resident buffers and threads, over a shared one; its exports and micro-tiles;
// which instance serves a call; growing an instance's memory.
import { RELAXED_KERNEL_BASE64, SIMD_KERNEL_BASE64, SIMD_MAX_PAGES, SIMD_TILES } from './kernel-wasm.js';

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

/** The kernel over an ordinary memory (undefined until first needed, null where unavailable). */
let plainKernel: Kernel | null | undefined;
/** The kernel over a shared memory: engine buffers live in it, and worker threads work on it. */
let sharedKernel: Kernel | null | undefined;
/** Whether worker threads are attached to the shared kernel (`useSharedKernel`). */
let threadsOn = false;

/** Every SharedArrayBuffer the shared memory has been seen through (a grow makes a new one). */
export const sharedBuffers = new WeakSet<ArrayBufferLike>();

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
export function getShared(): Kernel | null {
  if (sharedKernel === undefined) {
    const plain = getKernel();
    const shared = plain === null || typeof SharedArrayBuffer !== 'function' ? null : instantiate(true);
    sharedKernel = shared !== null && shared.relaxed === plain!.relaxed ? shared : null;
    if (sharedKernel !== null) sharedBuffers.add(sharedKernel.memory.buffer);
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

/** The kernel over an ordinary memory: work on operands that are not resident. */
export function getKernel(): Kernel | null {
  if (plainKernel === undefined) plainKernel = instantiate(false);
  return plainKernel;
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

/**
 * The kernel's memory as floats, grown to hold `floats` of them; null past 2 GiB (offsets are
 * i32 in the kernel) or when the memory cannot grow, and the caller falls back to TypeScript.
 */
export function heapOf(ker: Kernel, floats: number): Float32Array | null {
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
    if (ker.shared) sharedBuffers.add(ker.memory.buffer);
  }
  return ker.heap;
}
