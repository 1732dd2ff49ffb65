import { SIMD_CONTROL_BYTES, SIMD_MAX_THREADS, SIMD_TILE_BYTES } from '../matrix/simd/kernel-wasm.js';
import { type GemmJob, type UpdateJob, kernelUpdate } from '../matrix/simd/gemm-simd.js';
import type { Kernel, KernelTile } from '../matrix/simd/kernel.js';

/**
 * The protocol between the thread that calls a GEMM (part 0) and the worker threads (parts 1 ...),
 * over Int32 slots of the kernel's shared memory at SIMD_CONTROL_BYTES. The caller writes a job,
 * opens it (Open = Gen = the job's generation) and notifies. The job is cut into chunks: first
 * the packing of op(A) and op(B), then blocks of C (split by rows or by columns on tile
 * boundaries, never along k). Every thread that joins claims chunks until none are left, the
 * caller included, its own first (thread t's packing and block t), so the rows of A and C it
 * works on stay in its cache from one job to the next; then any left, so a worker the system has
 * descheduled delays nobody: the caller does its chunks. The caller then closes the job and waits for the threads that joined
 * to finish theirs. Every element of C is summed in the same order whoever computes it, so
 * results are bit-identical for every thread count.
 * @internal
 */
export const Slot = {
  /** Job generation: bumped for every job. */
  Gen: 0,
  /** Workers that have instantiated the kernel and wait for jobs. */
  Ready: 1,
  /** The generation of the job open for joining, 0 once closed. */
  Open: 2,
  /** Workers inside a job (joined, and not yet done). */
  Active: 3,
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
  /** 1: blocks of C are bands of rows; 0: of columns. */
  SplitRows: 17,
  /** Packing chunks of the job (claimed first). */
  PackChunks: 18,
  /** All chunks of the job: packing, then blocks of C. */
  Chunks: 19,
  /** The job's micro-tile: an index into the kernel's tiles (protocol 3). */
  Tile: 20,
  /** Packing chunks finished. */
  PackDone: 21,
  /** What the job is: a JobKind. */
  Kind: 22,
  /** An update job: 1 while every parameter updated so far is finite, else 0. */
  Finite: 23,
  /** Chunk q's claim, 1 once a thread has taken it: slots Claims ... Claims + 2 SIMD_MAX_THREADS − 1. */
  Claims: 24,
} as const;

/**
 * The kinds of job. An optimiser update (the kernel's sgdUpdate or adamUpdate, one contiguous
 * range of each buffer a thread) reuses the GEMM's slots: TransA the update's kind, M its
 * length, A B C Ap the addresses of p, g and the two state buffers, Bp where the kernel copies p
 * as it reads it (p itself for no copy); its float64 arguments are at UPDATE_ARGS_BYTES. @internal
 */
export const JobKind = { Gemm: 0, Update: 1, Gather: 2 } as const;

/**
 * A gather job copies rows of a resident training set into a resident batch buffer: row j of the
 * batch is row order[from + j] of the set. It reuses the GEMM's slots: M the batch's rows, N the
 * floats per row, K from, A the set's byte address, B the order's (Uint32), C the batch's. The
 * engine starts one for the next batch while the caller works on the current one (see `Engine`),
 * so it runs on a worker; the caller claims whatever chunks are left when it needs the batch.
 * @internal
 */
export interface GatherJob {
  rows: number;
  cols: number;
  from: number;
  src: number;
  order: number;
  dst: number;
}


/** A slot of the control block. @internal */
export type Slot = (typeof Slot)[keyof typeof Slot];

/** Int32 slots of the control block: the named ones, then a claim per chunk. */
export const SLOTS = Slot.Claims + 2 * SIMD_MAX_THREADS;

/** Byte address of an update job's seven float64 arguments (lr, λ, a, b, c1, c2, ε), after the slots. */
const UPDATE_ARGS_BYTES = SIMD_CONTROL_BYTES + 4 * SLOTS;

/** The protocol's version, checked when a worker starts. */
export const PROTOCOL = 4;

/**
 * Milliseconds a thread polls a slot before blocking in Atomics.wait. Waking a blocked thread
 * costs 50-500 µs here, longer than a whole GEMM of a training step, so threads poll across
 * the gaps between a step's GEMMs (the elementwise work) and block only when idle longer.
 */
const SPIN_MS = 0.3;

const clock = (): number => globalThis.performance.now();

/** Views of the control block (Int32 and, for alpha and beta, Float32 on the same bytes). */
export interface Control {
  readonly i32: Int32Array;
  readonly f32: Float32Array;
  /** An update job's float64 arguments. */
  readonly f64: Float64Array;
}

export function controlOf(memory: WebAssembly.Memory): Control {
  return {
    i32: new Int32Array(memory.buffer, SIMD_CONTROL_BYTES, SLOTS),
    f32: new Float32Array(memory.buffer, SIMD_CONTROL_BYTES, SLOTS),
    f64: new Float64Array(memory.buffer, UPDATE_ARGS_BYTES, 7),
  };
}

/** Start of part t of `parts` over `total` items in units of `unit` (tile boundaries). */
export function shareStart(total: number, unit: number, t: number, parts: number): number {
  const panels = Math.ceil(total / unit);
  return Math.min(total, Math.floor((t * panels) / parts) * unit);
}

/** A micro-tile's shape: C is split among threads on its boundaries. */
export type Tile = Pick<KernelTile, 'mr' | 'nr'>;

/** Whether to split C by rows (true) or columns: the split whose largest share is smaller. */
export function splitByRows(m: number, n: number, parts: number, { mr, nr }: Tile): boolean {
  const rows = Math.ceil(Math.ceil(m / mr) / parts) * mr * n;
  const cols = Math.ceil(Math.ceil(n / nr) / parts) * nr * m;
  return rows <= cols;
}

/** Block until i32[slot] differs from `seen` (spinning first); returns the new value. */
export function waitChange(i32: Int32Array, slot: Slot, seen: number, timeoutMs = Number.POSITIVE_INFINITY): number {
  const start = clock();
  for (let i = 1; ; i++) {
    const v = Atomics.load(i32, slot);
    if (v !== seen) return v;
    if ((i & 1023) === 0 && clock() - start > SPIN_MS) break;
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

/**
 * Chunks per thread, for the packing and for C alike. One: every extra chunk costs a claim, a
 * cold start of the kernel's blocks and, for packing, a later barrier, and a thread that is late
 * finds its chunk unclaimed and the caller does it. Measured on a step's products (2 threads,
 * 784-128-64-10, batch 64): 128x64x784 took 240 µs with four chunks a thread, 203 µs with one;
 * 64x64x128 43 against 28 µs.
 */
const CHUNKS_PER_THREAD = 1;

/** Write a job for `threads` threads into the control block (the caller's side, before opening it). */
export function writeJob(c: Control, job: GemmJob, threads: number, ker: Kernel): void {
  const i = c.i32;
  const tile = ker.tiles[job.tile]!;
  const rows = splitByRows(job.m, job.n, threads, tile);
  const panels = rows ? Math.ceil(job.m / tile.mr) : Math.ceil(job.n / tile.nr);
  const pack = Math.min(threads * CHUNKS_PER_THREAD, Math.max(Math.ceil(job.m / tile.mr), Math.ceil(job.n / tile.nr)));
  i[Slot.Tile] = job.tile;
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
  i[Slot.SplitRows] = rows ? 1 : 0;
  writeChunks(i, JobKind.Gemm, pack, pack + Math.min(panels, threads * CHUNKS_PER_THREAD));
}

/** Write a job's kind and chunks (packing ones first), and mark every chunk unclaimed. */
function writeChunks(i: Int32Array, kind: (typeof JobKind)[keyof typeof JobKind], pack: number, total: number): void {
  i[Slot.PackChunks] = pack;
  i[Slot.Chunks] = total;
  i[Slot.Kind] = kind;
  for (let q = 0; q < total; q++) Atomics.store(i, Slot.Claims + q, 0);
  Atomics.store(i, Slot.PackDone, 0);
}

/**
 * Floats per unit of an update's split: a 64-byte cache line, so no two threads write one. Thread
 * t's range of a layer's n_k x n_{k−1} weights then starts at the row where its band of the
 * GEMMs that wrote dW and read W does (whenever those bands are whole lines), and the range stays
 * in that thread's cache.
 */
const UPDATE_UNIT = 16;

/** Write an optimiser update for `threads` threads into the control block (the caller's side). */
export function writeUpdate(c: Control, job: UpdateJob, threads: number): void {
  const i = c.i32;
  const u = job.args;
  i[Slot.TransA] = job.kind;
  i[Slot.M] = job.n;
  i[Slot.A] = job.p;
  i[Slot.B] = job.g;
  i[Slot.C] = job.s1;
  i[Slot.Ap] = job.s2;
  i[Slot.Bp] = job.bk;
  c.f64[0] = u.lr;
  c.f64[1] = u.lambda;
  c.f64[2] = u.a;
  c.f64[3] = u.b;
  c.f64[4] = u.c1;
  c.f64[5] = u.c2;
  c.f64[6] = u.eps;
  Atomics.store(i, Slot.Finite, 1);
  writeChunks(i, JobKind.Update, 0, Math.min(threads, Math.ceil(job.n / UPDATE_UNIT)));
}

/** Chunks of a gather job: small, so that a caller who needs the batch early takes some over. */
const GATHER_CHUNKS = 2 * SIMD_MAX_THREADS;

/** Write a gather job into the control block (the caller's side). */
export function writeGather(c: Control, job: GatherJob): void {
  const i = c.i32;
  i[Slot.M] = job.rows;
  i[Slot.N] = job.cols;
  i[Slot.K] = job.from;
  i[Slot.A] = job.src;
  i[Slot.B] = job.order;
  i[Slot.C] = job.dst;
  writeChunks(i, JobKind.Gather, 0, Math.min(GATHER_CHUNKS, job.rows));
}

/** The kernel's memory as Uint32, for a gather's order (refreshed when the memory grows). */
let words: Uint32Array | undefined;

/** Rows of chunk q of `parts` of a gather job, each one copy within the kernel's memory. */
function gatherChunk(ker: Kernel, i: Int32Array, q: number, parts: number): void {
  const rows = i[Slot.M]!;
  const cols = i[Slot.N]!;
  const from = i[Slot.K]!;
  const heap = ker.memory.buffer === ker.heap.buffer ? ker.heap : (ker.heap = new Float32Array(ker.memory.buffer));
  if (words?.buffer !== heap.buffer) words = new Uint32Array(heap.buffer);
  const order = i[Slot.B]! / 4 + from;
  const src = i[Slot.A]! / 4;
  const dst = i[Slot.C]! / 4;
  for (let j = shareStart(rows, 1, q, parts), end = shareStart(rows, 1, q + 1, parts); j < end; j++) {
    const at = src + words[order + j]! * cols;
    heap.copyWithin(dst + j * cols, at, at + cols);
  }
}

/** Range q of `parts` of an update job: the kernel's update over those floats of each buffer. */
function updateChunk(ker: Kernel, c: Control, q: number, parts: number): void {
  const i = c.i32;
  const n = i[Slot.M]!;
  const from = shareStart(n, UPDATE_UNIT, q, parts);
  const count = shareStart(n, UPDATE_UNIT, q + 1, parts) - from;
  if (count === 0) return;
  const f = c.f64;
  const off = from * 4;
  const p = i[Slot.A]! + off;
  const ok = kernelUpdate(ker, i[Slot.TransA]!, p, i[Slot.B]! + off, i[Slot.C]! + off, i[Slot.Ap]! + off, i[Slot.Bp]! + off, count, f[0]!, f[1]!, f[2]!, f[3]!, f[4]!, f[5]!, f[6]!);
  if (!ok) Atomics.store(i, Slot.Finite, 0);
}

/** Packing chunk q of `parts`: op(A) rows and op(B) columns. */
function packChunk(ker: Kernel, i: Int32Array, q: number, parts: number): void {
  const m = i[Slot.M]!;
  const n = i[Slot.N]!;
  const t = ker.tiles[i[Slot.Tile]!]!;
  t.packPart(
    i[Slot.TransA]!,
    i[Slot.TransB]!,
    m,
    n,
    i[Slot.K]!,
    i[Slot.A]!,
    i[Slot.B]!,
    i[Slot.Ap]!,
    i[Slot.Bp]!,
    shareStart(m, t.mr, q, parts),
    shareStart(m, t.mr, q + 1, parts),
    shareStart(n, t.nr, q, parts),
    shareStart(n, t.nr, q + 1, parts),
  );
}

/** Block q of `parts` of C, computed with edge-tile buffer `tile`. */
function computeChunk(ker: Kernel, c: Control, q: number, parts: number, tile: number): void {
  const i = c.i32;
  const m = i[Slot.M]!;
  const n = i[Slot.N]!;
  const rows = i[Slot.SplitRows] === 1;
  const t = ker.tiles[i[Slot.Tile]!]!;
  const i0 = rows ? shareStart(m, t.mr, q, parts) : 0;
  const i1 = rows ? shareStart(m, t.mr, q + 1, parts) : m;
  const j0 = rows ? 0 : shareStart(n, t.nr, q, parts);
  const j1 = rows ? n : shareStart(n, t.nr, q + 1, parts);
  if (i0 < i1 && j0 < j1) t.computePart(m, n, i[Slot.K]!, c.f32[Slot.Alpha]!, c.f32[Slot.Beta]!, i[Slot.C]!, i[Slot.Ap]!, i[Slot.Bp]!, i0, i1, j0, j1, tile * SIMD_TILE_BYTES);
}

/** The phases of a job: packing, blocks of C, an optimiser update, a gather. */
const Phase = { Pack: 0, Compute: 1, Update: 2, Gather: 3 } as const;
type Phase = (typeof Phase)[keyof typeof Phase];

/** Run chunk q of `count` of a phase. */
function runChunk(ker: Kernel, c: Control, p: Phase, q: number, count: number, t: number): void {
  const i = c.i32;
  if (p === Phase.Update) {
    updateChunk(ker, c, q, count);
  } else if (p === Phase.Gather) {
    gatherChunk(ker, i, q, count);
  } else if (p === Phase.Pack) {
    packChunk(ker, i, q, count);
    Atomics.add(i, Slot.PackDone, 1);
    Atomics.notify(i, Slot.PackDone);
  } else {
    computeChunk(ker, c, q, count, t);
  }
}

/**
 * Claim and run the chunks of one phase, numbered first ... first + count − 1 among the job's:
 * thread t's own one (first + t) first, then any left.
 */
function phase(ker: Kernel, c: Control, p: Phase, t: number, first: number, count: number): void {
  const i = c.i32;
  if (t < count && Atomics.compareExchange(i, Slot.Claims + first + t, 0, 1) === 0) runChunk(ker, c, p, t, count, t);
  for (let q = 0; q < count; q++) if (q !== t && Atomics.compareExchange(i, Slot.Claims + first + q, 0, 1) === 0) runChunk(ker, c, p, q, count, t);
}

/**
 * Claim and run chunks of the open job until none are left; `t` is this thread's part number
 * (and edge-tile buffer). Blocks of C wait until all packing is done. False if a packing chunk
 * another thread claimed did not finish within `timeoutMs`.
 */
export function work(ker: Kernel, c: Control, t: number, timeoutMs: number): boolean {
  const i = c.i32;
  const pack = i[Slot.PackChunks]!;
  const total = i[Slot.Chunks]!;
  const kind = i[Slot.Kind];
  if (kind === JobKind.Update || kind === JobKind.Gather) {
    phase(ker, c, kind === JobKind.Update ? Phase.Update : Phase.Gather, t, 0, total);
    return true;
  }
  phase(ker, c, Phase.Pack, t, 0, pack);
  if (Atomics.load(i, Slot.PackDone) < pack && !waitFor(i, Slot.PackDone, pack, timeoutMs)) return false;
  phase(ker, c, Phase.Compute, t, pack, total - pack);
  return true;
}

/** A worker's turn at job `gen`: join it if still open, work, leave. */
export function joinJob(ker: Kernel, c: Control, gen: number, tile: number, timeoutMs: number): void {
  const i = c.i32;
  Atomics.add(i, Slot.Active, 1);
  if (Atomics.load(i, Slot.Open) === gen) work(ker, c, tile, timeoutMs);
  Atomics.sub(i, Slot.Active, 1);
  Atomics.notify(i, Slot.Active);
}

/** Block until i32[slot] is 0; false if it made no progress for `timeoutMs`. */
export function waitZero(i32: Int32Array, slot: Slot, timeoutMs: number): boolean {
  let v = Atomics.load(i32, slot);
  while (v !== 0) {
    const next = waitChange(i32, slot, v, timeoutMs);
    if (next === v) return false;
    v = next;
  }
  return true;
}
