import { SIMD_CONTROL_BYTES, SIMD_MR, SIMD_NR, SIMD_TILE_BYTES } from '../matrix/simd/kernel-wasm.js';
import type { GemmJob, Kernel } from '../matrix/simd/gemm-simd.js';

/**
 * The protocol between the thread that calls a GEMM (part 0) and the worker threads (parts 1 ...),
 * over Int32 slots of the kernel's shared memory at SIMD_CONTROL_BYTES. The caller writes a job,
 * bumps GEN and notifies; every part packs its share of op(A) and op(B), meets the others at the
 * PACKED barrier, computes its block of C and counts itself DONE. C is split by rows or by
 * columns on tile boundaries, never along k, so every element is summed in the same order
 * whatever the number of threads: results are bit-identical for every thread count.
 * @internal
 */
export const Slot = {
  /** Job generation: bumped for every job. */
  Gen: 0,
  /** Workers that have instantiated the kernel and wait for jobs. */
  Ready: 1,
  /** Parts done packing, in this job. */
  Packed: 2,
  /** Workers done computing, in this job. */
  Done: 3,
  /** The pool's epoch: a worker whose epoch differs leaves its loop. */
  Epoch: 4,
  TransA: 5,
  TransB: 6,
  M: 7,
  N: 8,
  K: 9,
  /** float32 bits. */
  Alpha: 10,
  /** float32 bits. */
  Beta: 11,
  A: 12,
  B: 13,
  C: 14,
  Ap: 15,
  Bp: 16,
  /** 1: parts split the rows of C; 0: its columns. */
  SplitRows: 17,
  /** Threads taking part in this job (part 0 is the caller). */
  Parts: 18,
} as const;

/** A slot of the control block. @internal */
export type Slot = (typeof Slot)[keyof typeof Slot];

/** Int32 slots of the control block. */
export const SLOTS = 24;

/** The protocol's version, checked when a worker starts. */
export const PROTOCOL = 1;

/** Polls of a slot before blocking in Atomics.wait: covers the short gaps between the GEMMs of a training step. */
const SPIN = 1 << 15;

/** Views of the control block (Int32 and, for alpha and beta, Float32 on the same bytes). */
export interface Control {
  readonly i32: Int32Array;
  readonly f32: Float32Array;
}

export function controlOf(memory: WebAssembly.Memory): Control {
  return { i32: new Int32Array(memory.buffer, SIMD_CONTROL_BYTES, SLOTS), f32: new Float32Array(memory.buffer, SIMD_CONTROL_BYTES, SLOTS) };
}

/** Start of part t of `parts` over `total` items in units of `unit` (tile boundaries). */
export function shareStart(total: number, unit: number, t: number, parts: number): number {
  const panels = Math.ceil(total / unit);
  return Math.min(total, Math.floor((t * panels) / parts) * unit);
}

/** Whether to split C by rows (true) or columns: the split whose largest share is smaller. */
export function splitByRows(m: number, n: number, parts: number): boolean {
  const rows = Math.ceil(Math.ceil(m / SIMD_MR) / parts) * SIMD_MR * n;
  const cols = Math.ceil(Math.ceil(n / SIMD_NR) / parts) * SIMD_NR * m;
  return rows <= cols;
}

/** Block until i32[slot] differs from `seen` (spinning first); returns the new value. */
export function waitChange(i32: Int32Array, slot: Slot, seen: number, timeoutMs = Number.POSITIVE_INFINITY): number {
  for (let i = 0; i < SPIN; i++) {
    const v = Atomics.load(i32, slot);
    if (v !== seen) return v;
  }
  for (;;) {
    if (Atomics.wait(i32, slot, seen, timeoutMs) === 'timed-out') return Atomics.load(i32, slot);
    const v = Atomics.load(i32, slot);
    if (v !== seen) return v;
  }
}

/**
 * Block until i32[slot] reaches `target`; false if it made no progress for `timeoutMs` (a
 * thread gone).
 */
export function waitFor(i32: Int32Array, slot: Slot, target: number, timeoutMs: number): boolean {
  let v = Atomics.load(i32, slot);
  while (v < target) {
    const next = waitChange(i32, slot, v, timeoutMs);
    if (next === v) return false;
    v = next;
  }
  return true;
}

/** Write a job into the control block (the caller's side, before bumping Gen). */
export function writeJob(c: Control, job: GemmJob, parts: number): void {
  const i = c.i32;
  i[Slot.TransA] = job.transA;
  i[Slot.TransB] = job.transB;
  i[Slot.M] = job.m;
  i[Slot.N] = job.n;
  i[Slot.K] = job.k;
  c.f32[Slot.Alpha] = job.alpha;
  c.f32[Slot.Beta] = job.beta;
  i[Slot.A] = job.a;
  i[Slot.B] = job.b;
  i[Slot.C] = job.c;
  i[Slot.Ap] = job.ap;
  i[Slot.Bp] = job.bp;
  i[Slot.SplitRows] = splitByRows(job.m, job.n, parts) ? 1 : 0;
  i[Slot.Parts] = parts;
  Atomics.store(i, Slot.Packed, 0);
  Atomics.store(i, Slot.Done, 0);
}

/** Part t's packing share: op(A) rows and op(B) columns. */
export function packShare(ker: Kernel, c: Control, t: number): void {
  const i = c.i32;
  const m = i[Slot.M]!;
  const n = i[Slot.N]!;
  const parts = i[Slot.Parts]!;
  ker.packPart(
    i[Slot.TransA]!,
    i[Slot.TransB]!,
    m,
    n,
    i[Slot.K]!,
    i[Slot.A]!,
    i[Slot.B]!,
    i[Slot.Ap]!,
    i[Slot.Bp]!,
    shareStart(m, SIMD_MR, t, parts),
    shareStart(m, SIMD_MR, t + 1, parts),
    shareStart(n, SIMD_NR, t, parts),
    shareStart(n, SIMD_NR, t + 1, parts),
  );
}

/** Part t's block of C, once every part has packed. */
export function computeShare(ker: Kernel, c: Control, t: number): void {
  const i = c.i32;
  const m = i[Slot.M]!;
  const n = i[Slot.N]!;
  const parts = i[Slot.Parts]!;
  const rows = i[Slot.SplitRows] === 1;
  const i0 = rows ? shareStart(m, SIMD_MR, t, parts) : 0;
  const i1 = rows ? shareStart(m, SIMD_MR, t + 1, parts) : m;
  const j0 = rows ? 0 : shareStart(n, SIMD_NR, t, parts);
  const j1 = rows ? n : shareStart(n, SIMD_NR, t + 1, parts);
  if (i0 < i1 && j0 < j1) ker.computePart(m, n, i[Slot.K]!, c.f32[Slot.Alpha]!, c.f32[Slot.Beta]!, i[Slot.C]!, i[Slot.Ap]!, i[Slot.Bp]!, i0, i1, j0, j1, t * SIMD_TILE_BYTES);
}

/** Count this part as packed and wait for the others. */
export function packedBarrier(c: Control, timeoutMs: number): boolean {
  const parts = c.i32[Slot.Parts]!;
  Atomics.add(c.i32, Slot.Packed, 1);
  Atomics.notify(c.i32, Slot.Packed);
  return waitFor(c.i32, Slot.Packed, parts, timeoutMs);
}
