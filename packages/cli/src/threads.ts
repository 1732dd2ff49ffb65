import { Worker } from 'node:worker_threads';
import { type DType, type ThreadStatus, excerpt, useThreads } from '@nabla/core';
import { numberOption } from './args.js';
import { UsageError } from './io.js';

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

/** The `--threads N` option of a command: an integer 1 ... 8, default 1. */
export function threadsOption(value: string | undefined): number {
  return numberOption('threads', value, 1, { integer: true, min: 1, max: 8 });
}

/** `nabla train --threads N|auto`: N as `threadsOption`, or 'auto' (the default). */
export function trainThreadsOption(value: string | undefined): number | 'auto' {
  if (value === undefined || value.trim() === 'auto') return 'auto';
  if (!/^\s*[1-8]\s*$/.test(value)) throw new UsageError(`invalid --threads: ${excerpt(value)}, expected auto or an integer from 1 to 8`);
  return threadsOption(value);
}

/**
 * Fewest steps (epochs x batches) for which `--threads auto` starts a worker at all: below it,
 * the worker's start (about 90 ms) and its comparison cost more than a second core could save.
 */
export const AUTO_MIN_STEPS = 512;

/**
 * Run `work` with its big float32 products split among `count` threads (float64 runs the
 * TypeScript kernel, which threads do not split, so it stays on one), and back to one thread
 * after it, whatever happens. `work` receives what `useThreads` set up.
 */
export async function withThreads<T>(count: number, dtype: DType, work: (status: ThreadStatus) => T | Promise<T>): Promise<T> {
  const status = count > 1 && dtype === 'float32' ? await startThreads(count) : { count: 1 };
  try {
    return await work(status);
  } finally {
    if (count > 1) await stopThreads();
  }
}
