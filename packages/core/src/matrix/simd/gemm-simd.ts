// The SIMD kernel's entries: gemmSimd (operands resident or copied through the scratch space, big
// products handed to the threads), the elementwise kernels, the finiteness checks and the optimiser
// updates, each one thin call into the instance that owns its buffers.
import type { GemmKernel } from '../kernel.js';
import { type Kernel, getKernel, getShared, heapOf, kernelIsShared, sharedBuffers, tileFor } from './kernel.js';
import { isResident, scratch } from './resident.js';
import type { GatherJob } from '../../threads/protocol.js';

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
  /** Start a gather on the workers and return; `settle` finishes it. */
  gather(ker: Kernel, job: GatherJob): void;
  /** Finish the job left to the workers, if any (this thread takes over what nobody started). */
  settle(): void;
}

let parallel: ParallelRunner | null = null;
const job: GemmJob = { tile: 0, transA: 0, transB: 0, m: 0, n: 0, k: 0, alpha: 0, beta: 0, a: 0, b: 0, c: 0, ap: 0, bp: 0 };
/** Float offsets of the resident C of the last product into each: present when that product was split. */
const splitOutputs = new Set<number>();
const updateJob: UpdateJob = { kind: 0, p: 0, g: 0, s1: 0, s2: 0, bk: -1, n: 0, args: { lr: 0, lambda: 0, a: 0, b: 0, c1: 0, c2: 0, eps: 0 } };

const gatherJob: GatherJob = { rows: 0, cols: 0, from: 0, src: 0, order: 0, dst: 0 };

/**
 * Start copying rows of a resident x into a resident out on the worker threads (row j of out is
 * row order[from + j] of x, order resident too) and return at once: true if started, false
 * where no threads run (nothing is done then). Call `settleGather` before reading out. @internal
 */
export function startGather(x: Float32Array, cols: number, order: Uint32Array, from: number, batch: number, out: Float32Array): boolean {
  const ker = getShared();
  if (parallel === null || ker === null || !kernelIsShared() || !isResident(x) || !isResident(out) || !sharedBuffers.has(order.buffer)) return false;
  const j = gatherJob;
  j.rows = batch;
  j.cols = cols;
  j.from = from;
  j.src = x.byteOffset;
  j.order = order.byteOffset;
  j.dst = out.byteOffset;
  parallel.gather(ker, j);
  return true;
}

/** Finish the gather `startGather` left to the workers, if any. @internal */
export function settleGather(): void {
  parallel?.settle();
}

/** Register (or clear, with null) the runner that splits big products among threads. @internal */
export function setParallelRunner(runner: ParallelRunner | null): void {
  parallel = runner;
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
    if (split && kernelIsShared()) splitOutputs.add(offC);
    else splitOutputs.delete(offC);
  }
  if (gemv) ker.gemv(m, k, alpha, offA * 4, offB * 4, beta, offC * 4);
  else if (split && kernelIsShared()) runParallel(ker, t, transA, transB, m, n, k, alpha, offA, offB, beta, offC, offAp, offBp);
  else ker.tiles[t]!.gemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, offA * 4, offB * 4, beta, offC * 4, offAp * 4, offBp * 4);
  if (inPlace) return true;
  if (ldc === n) {
    c.set(heap.subarray(offC, offC + m * n));
  } else {
    for (let r = 0; r < m; r++) c.set(heap.subarray(offC + r * n, offC + r * n + n), r * ldc);
  }
  return true;
};

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
  const runner = resident && kernelIsShared() && splitOutputs.has(offG) ? parallel : null;
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
