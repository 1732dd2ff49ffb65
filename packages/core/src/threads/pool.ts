import { ConfigError } from '../base/errors.js';
import { brief } from '../base/limits.js';
import { type Kernel, simdSupported, usePlainKernel, useSharedKernel } from '../matrix/simd/kernel.js';
import { type ParallelRunner, setParallelRunner } from '../matrix/simd/gemm-simd.js';
import { SIMD_MAX_THREADS } from '../matrix/simd/kernel-wasm.js';
import type { ThreadInit } from '../thread-worker.js';
import { type Control, PROTOCOL, Slot, controlOf, waitZero, work, writeGather, writeJob, writeUpdate } from './protocol.js';

/** A worker the host created for `useThreads`: what core needs of a Node Worker or a Web Worker. */
export interface ThreadHandle {
  /** Deliver the init message (a structured clone: it carries a WebAssembly.Module and a shared Memory). */
  postMessage(message: ThreadInit): void;
  /** End the worker. */
  terminate(): unknown;
}

/** Options of `useThreads`. */
export interface ThreadOptions {
  /** Threads computing each big float32 GEMM, this one included: 1 ... 8. Default 1. */
  readonly count?: number;
  /**
   * Create worker `index` (1 ... count − 1): a worker thread that imports
   * `@nabla/core/thread-worker` and passes its first message to `runThreadWorker`. Needed for
   * count > 1.
   */
  readonly spawn?: (index: number) => ThreadHandle;
  /** Milliseconds to wait for the workers to start. Default 10000. */
  readonly startTimeoutMs?: number;
}

/** What `useThreads` set up. */
export interface ThreadStatus {
  /** Threads in use now (1 when threads are unavailable here). */
  readonly count: number;
  /** Why fewer threads than asked for are in use, when that is the case. */
  readonly note?: string;
}

/**
 * Smallest m n k that is split among threads: below it, moving the operands between the cores'
 * caches costs more than the second core saves (`pnpm bench:speed --only=threads`, apps/bench,
 * its `threshold` table). Where it pays depends on the machine: from about 48³ on one 2-core
 * host, 128³ (1.25x) on another, where 64 x 64 x 128 ran 0.6-0.8x as fast split. 2²¹ = 128³
 * loses little on the first and nothing on the second.
 */
export const PARALLEL_MIN_WORK = 1 << 21;

let minWork = PARALLEL_MIN_WORK;

/** Override the threshold (the benchmark's measurement of it); undefined restores the default. @internal */
export function setParallelMinWork(work: number | undefined): void {
  minWork = work ?? PARALLEL_MIN_WORK;
}

/** Longest wait for a worker's share, in milliseconds, before giving up on the threads. */
const JOB_TIMEOUT_MS = 60_000;

interface Pool {
  readonly count: number;
  readonly workers: ThreadHandle[];
  readonly control: Control;
}

let pool: Pool | undefined;

/** Whether the workers are kept but given nothing (`setThreadsPaused`). */
let paused = false;

/** Why this thread cannot run threads here, or undefined if it can. */
function unavailable(): string | undefined {
  const g = globalThis as { SharedArrayBuffer?: unknown; crossOriginIsolated?: boolean; Atomics?: unknown };
  if (typeof g.SharedArrayBuffer !== 'function') {
    return g.crossOriginIsolated === false
      ? 'SharedArrayBuffer is unavailable: the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)'
      : 'SharedArrayBuffer is unavailable in this runtime';
  }
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
  } catch {
    return "Atomics.wait is not allowed on this thread (a page's main thread): call useThreads and train in a Web Worker";
  }
  if (!simdSupported()) return 'WebAssembly SIMD is unavailable, and threads run the SIMD kernel';
  return undefined;
}

function stop(): void {
  const p = pool;
  if (p === undefined) return;
  settle();
  pool = undefined;
  paused = false;
  setParallelRunner(null);
  Atomics.add(p.control.i32, Slot.Epoch, 1);
  Atomics.add(p.control.i32, Slot.Gen, 1);
  Atomics.notify(p.control.i32, Slot.Gen);
  for (const w of p.workers) w.terminate();
  usePlainKernel();
}

/** The kernel of the job opened and left to the workers (a gather), until `settle` finishes it. */
let pending: Kernel | undefined;

/** Open the job written into the control block and wake the workers. */
function open(i: Int32Array): void {
  const gen = (Atomics.load(i, Slot.Gen) + 1) | 0 || 1;
  Atomics.store(i, Slot.Open, gen);
  Atomics.store(i, Slot.Gen, gen);
  Atomics.notify(i, Slot.Gen);
}

/** Work on the open job with whichever workers joined, close it and wait for them. */
function finish(ker: Kernel, p: Pool, what: string): void {
  const i = p.control.i32;
  const ok = work(ker, p.control, 0, JOB_TIMEOUT_MS);
  Atomics.store(i, Slot.Open, 0);
  if (!ok || !waitZero(i, Slot.Active, JOB_TIMEOUT_MS)) {
    stop();
    throw new ConfigError(`${what}: a worker thread did not finish its share within ${JOB_TIMEOUT_MS} ms; threads are off (useThreads({ count: 1 }) in effect)`);
  }
}

/**
 * Finish the job left to the workers, if any: this thread does the chunks no worker has claimed
 * yet and waits for the rest. Every other use of the control block settles first.
 */
function settle(): void {
  const ker = pending;
  if (ker === undefined) return;
  pending = undefined;
  finish(ker, pool!, 'train: gathering the next batch');
}

/**
 * Run the job written into the control block: this thread opens it, works on it with whichever
 * workers join, and closes it.
 */
function dispatch(ker: Kernel, p: Pool, what: string): void {
  open(p.control.i32);
  finish(ker, p, what);
}

/**
 * Smallest optimiser update split among threads: each thread updates the range of a layer's
 * weights its GEMM bands wrote, so the range stays in its cache. Below it, waking the workers
 * costs more than half the update.
 */
export const PARALLEL_MIN_UPDATE = 1 << 15;

const runner: ParallelRunner = {
  splits: (m, n, k) => m * n * k >= minWork,
  run(ker, job) {
    settle();
    writeJob(pool!.control, job, pool!.count, ker);
    dispatch(ker, pool!, 'gemm');
  },
  splitsUpdate: (n) => n >= PARALLEL_MIN_UPDATE,
  update(ker, job) {
    settle();
    writeUpdate(pool!.control, job, pool!.count);
    dispatch(ker, pool!, 'optimizer step');
    return Atomics.load(pool!.control.i32, Slot.Finite) === 1;
  },
  gather(ker, job) {
    settle();
    writeGather(pool!.control, job);
    open(pool!.control.i32);
    pending = ker;
  },
  settle,
};

/**
 * Split every big float32 GEMM (m n k >= PARALLEL_MIN_WORK), and every optimiser update of a
 * network's big weight matrices, among `count` threads, this one and count − 1 workers the host
 * spawns, over WebAssembly shared memory with Atomics. C is split by rows or columns, never
 * along a sum, so results are bit-identical for every thread count.
 * Falls back to one thread, with a note, where SharedArrayBuffer, Atomics.wait (a page's main
 * thread) or WebAssembly SIMD is missing. Calling it again replaces the workers; count 1 stops them.
 * Resolves once every worker is ready.
 */
export async function useThreads(options: ThreadOptions = {}): Promise<ThreadStatus> {
  const count = options.count ?? 1;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > SIMD_MAX_THREADS) {
    throw new ConfigError(`useThreads: count must be an integer from 1 to ${SIMD_MAX_THREADS}, got ${brief(count)}`);
  }
  if (count > 1 && typeof options.spawn !== 'function') {
    throw new ConfigError(`useThreads: count ${count} needs spawn(index), a function creating a worker that runs @nabla/core/thread-worker`);
  }
  const timeout = options.startTimeoutMs ?? 10_000;
  if (!(timeout > 0)) throw new ConfigError(`useThreads: startTimeoutMs must be > 0, got ${brief(timeout)}`);
  stop();
  if (count === 1) return { count: 1 };
  const why = unavailable();
  if (why !== undefined) return { count: 1, note: why };
  const ker = useSharedKernel();
  if (ker === null) return { count: 1, note: 'the shared-memory kernel could not be instantiated here' };
  const control = controlOf(ker.memory);
  const epoch = Atomics.add(control.i32, Slot.Epoch, 1) + 1;
  Atomics.store(control.i32, Slot.Ready, 0);
  const workers: ThreadHandle[] = [];
  try {
    for (let index = 1; index < count; index++) {
      const w = options.spawn!(index);
      workers.push(w);
      w.postMessage({ protocol: PROTOCOL, index, module: ker.module, memory: ker.memory, relaxed: ker.relaxed, epoch });
    }
  } catch (e) {
    for (const w of workers) w.terminate();
    usePlainKernel();
    throw new ConfigError(`useThreads: spawn(${workers.length + 1}) failed: ${(e as Error).message}`);
  }
  const started = globalThis.performance.now();
  while (Atomics.load(control.i32, Slot.Ready) < count - 1) {
    if (globalThis.performance.now() - started > timeout) {
      Atomics.add(control.i32, Slot.Epoch, 1);
      for (const w of workers) w.terminate();
      usePlainKernel();
      return { count: 1, note: `${count - 1 - Atomics.load(control.i32, Slot.Ready)} of ${count - 1} workers did not start within ${timeout} ms (does the worker pass its first message to runThreadWorker?)` };
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  pool = { count, workers, control };
  setParallelRunner(runner);
  return { count };
}

/**
 * Keep the workers but give them nothing (true): every product, update and gather runs on this
 * thread, as with one thread, until `setThreadsPaused(false)` hands them work again. The results
 * are the same bits either way, so this may change between any two steps of a `train` call (from
 * `onBatchEnd`, say) to keep whichever is faster now; unlike `useThreads({ count: 1 })` and back,
 * it costs no worker start (about 90 ms) and no cold worker. A job left to the workers (the next
 * batch's gather) is finished first. No effect without workers; `useThreads` resumes.
 */
export function setThreadsPaused(pause: boolean): void {
  if (typeof pause !== 'boolean') throw new ConfigError(`setThreadsPaused: pause must be true or false, got ${brief(pause)}`);
  if (pool === undefined || pause === paused) return;
  if (pause) settle();
  setParallelRunner(pause ? null : runner);
  paused = pause;
}

/** Whether `setThreadsPaused(true)` holds the workers idle now (false without workers). */
export function threadsPaused(): boolean {
  return paused;
}

/** Threads `useThreads` set up (1 unless it started workers), paused or not. */
export function threadCount(): number {
  return pool?.count ?? 1;
}
