import { Worker } from 'node:worker_threads';
import { type ThreadStatus, useThreads } from '@nabla/core';

/**
 * Split @nabla/core's big GEMMs among `count` threads: this one and count − 1 worker_threads
 * running dist/thread-worker.js. The workers are unref'd, so they never keep the process alive.
 */
export function startThreads(count: number): Promise<ThreadStatus> {
  // Run from source (the tests), the worker is the build's: a worker thread does not go through
  // the test runner's transform.
  const here = import.meta.url;
  const url = here.endsWith('.ts') ? new URL('../dist/thread-worker.js', here) : new URL('./thread-worker.js', here);
  return useThreads({
    count,
    spawn: () => {
      const w = new Worker(url);
      w.unref();
      return w;
    },
  });
}

/** Stop the workers (back to one thread). */
export async function stopThreads(): Promise<void> {
  await useThreads({ count: 1 });
}
