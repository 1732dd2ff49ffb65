// The worker side of @nabla/core's threads (`@nabla/core/thread-worker`). A host creates the
// worker (worker_threads in Node, a Web Worker in the browser), imports this module in it and
// hands the first message it receives to `runThreadWorker`; `useThreads` sends that message.
// Node:    parentPort.once('message', runThreadWorker)
// Browser: self.onmessage = (e) => runThreadWorker(e.data)
import { instantiateKernel } from './matrix/simd/kernel.js';
import { PROTOCOL, Slot, controlOf, joinJob, waitChange } from './threads/protocol.js';

/** The message `useThreads` posts to each worker it spawns. */
export interface ThreadInit {
  readonly protocol: number;
  /** This worker's part, 1 ... count − 1 (part 0 is the thread that calls the GEMMs). */
  readonly index: number;
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly relaxed: boolean;
  /** The pool this worker belongs to; it stops when the control block's epoch moves on. */
  readonly epoch: number;
}

/**
 * Run a worker thread of @nabla/core's parallel GEMM until `useThreads` stops it: instantiate the
 * kernel over the shared memory, then take every job's share. Blocks this thread (Atomics.wait):
 * call it in a dedicated worker, never on a page's main thread.
 */
export function runThreadWorker(init: ThreadInit): void {
  if (init === null || typeof init !== 'object' || init.protocol !== PROTOCOL) {
    throw new Error(`runThreadWorker: expected the message useThreads posts (protocol ${PROTOCOL}), got ${init === null ? 'null' : typeof init}`);
  }
  const ker = instantiateKernel(init.module, init.memory, init.relaxed, true);
  const c = controlOf(init.memory);
  const t = init.index;
  let gen = Atomics.load(c.i32, Slot.Gen);
  if (Atomics.load(c.i32, Slot.Epoch) !== init.epoch) return;
  Atomics.add(c.i32, Slot.Ready, 1);
  Atomics.notify(c.i32, Slot.Ready);
  for (;;) {
    gen = waitChange(c.i32, Slot.Gen, gen);
    if (Atomics.load(c.i32, Slot.Epoch) !== init.epoch) return;
    joinJob(ker, c, gen, t, 60_000);
  }
}
