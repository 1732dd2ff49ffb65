import { Worker } from 'node:worker_threads';
import type { GemmKernel } from '../src/matrix/kernel.js';
import type { ActivationName, Random } from '../src/index.js';

/** Gaussian rows from a seed. */
export function randomRows(rows: number, cols: number, rng: Random, scale = 1): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => scale * rng.normal()));
}

/** Valid targets for a loss: one-hot rows, {0,1} entries or real values. */
export function randomTargets(rows: number, cols: number, loss: 'cross-entropy' | 'binary-cross-entropy' | 'mse', rng: Random): number[][] {
  return Array.from({ length: rows }, () => {
    if (loss === 'cross-entropy') {
      const row = new Array<number>(cols).fill(0);
      row[rng.int(cols)] = 1;
      return row;
    }
    if (loss === 'binary-cross-entropy') return Array.from({ length: cols }, () => (rng.next() < 0.5 ? 0 : 1));
    return Array.from({ length: cols }, () => rng.normal());
  });
}

export const hiddenActivations: readonly ActivationName[] = ['sigmoid', 'tanh', 'relu', 'leaky-relu', 'softplus', 'linear'];

/** Exact equality of two typed arrays, element by element (NaN-safe via Object.is). */
export function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** alpha op(A) op(B) + beta C in float64, plain triple loop, with leading dimensions. */
export const referenceGemm: GemmKernel<Float64Array> = (tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (tA ? a[p * lda + i]! : a[i * lda + p]!) * (tB ? b[j * ldb + p]! : b[p * ldb + j]!);
      out[i * n + j] = alpha * s + (beta === 0 ? 0 : beta * c[i * ldc + j]!);
    }
  }
  return out;
};

/**
 * A worker thread for useThreads in the tests: it runs the built worker side
 * (dist/thread-worker.js), since a worker thread does not go through vitest's transform.
 * Unref'd, so it never keeps the test process alive.
 */
export function spawnTestWorker(): Worker {
  const w = new Worker(new URL('./thread-worker.mjs', import.meta.url));
  w.unref();
  return w;
}
