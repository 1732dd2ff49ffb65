// Node helper: Nabla's threads for the benchmarks, worker_threads running thread-worker.mjs.
import { Worker } from 'node:worker_threads';
import { type ThreadStatus, useThreads } from '@nabla/core';

const workerUrl = new URL('./thread-worker.mjs', import.meta.url);

/** Use `count` threads (this one included); throws if fewer start. */
export async function setThreads(count: number): Promise<ThreadStatus> {
  const status = await useThreads({
    count,
    spawn: () => {
      const w = new Worker(workerUrl);
      w.unref();
      return w;
    },
  });
  if (status.count !== count) throw new Error(`setThreads(${count}): only ${status.count} in use (${status.note ?? 'no note'})`);
  return status;
}
