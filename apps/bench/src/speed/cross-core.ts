// What moving data between the two cores costs on this machine: the platform's limit for
// splitting small products among threads. A split GEMM moves its operands between the cores'
// caches (this thread copies A and B into the kernel's memory, a worker packs and reads parts of
// them, this thread copies C out), so when reading what the other core wrote is several times
// slower than reading what this core wrote, a step of a small network cannot come near 2x.
import { Worker } from 'node:worker_threads';
import { type Summary, now, summarize } from './stats.js';

export interface CrossCoreResult {
  /** Bytes per copy: the first weight matrix of the benchmark network (784 x 128 float32). */
  bytes: number;
  /** GB/s copying out of a shared buffer this thread has just written. */
  sameCore: Summary;
  /** GB/s copying out of it when the other thread has just written it. */
  crossCore: Summary;
  /** sameCore / crossCore, per round. */
  slowdown: Summary;
}

const FLOATS = 784 * 128;

/** Interleaved rounds: per round, the median of `reps` copies each way. */
export async function benchCrossCore(rounds: number, reps: number): Promise<CrossCoreResult> {
  const buffer = new SharedArrayBuffer(FLOATS * 4 + 16);
  const data = new Float32Array(buffer, 0, FLOATS);
  const ctl = new Int32Array(buffer, FLOATS * 4, 4);
  const out = new Float32Array(FLOATS);
  const worker = new Worker(new URL('./cross-core-worker.mjs', import.meta.url), { workerData: { buffer, floats: FLOATS } });
  await new Promise<void>((resolve, reject) => {
    worker.once('online', () => resolve());
    worker.once('error', reject);
  });
  let request = 0;
  const otherWrites = (): void => {
    request++;
    Atomics.store(ctl, 0, request);
    while (Atomics.load(ctl, 1) !== request) {
      // spin (see cross-core-worker.mjs)
    }
  };
  const timedCopy = (): number => {
    const t0 = now();
    out.set(data);
    return now() - t0;
  };
  const median = (xs: number[]): number => summarize(xs).median;
  const same: number[] = [];
  const cross: number[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const s: number[] = [];
      const c: number[] = [];
      for (let r = 0; r < reps; r++) {
        data.fill(r);
        s.push(timedCopy());
        otherWrites();
        c.push(timedCopy());
      }
      same.push((FLOATS * 4) / (median(s) * 1e6));
      cross.push((FLOATS * 4) / (median(c) * 1e6));
    }
  } finally {
    Atomics.store(ctl, 0, -1);
    await worker.terminate();
  }
  return { bytes: FLOATS * 4, sameCore: summarize(same), crossCore: summarize(cross), slowdown: summarize(same.map((v, i) => v / cross[i]!)) };
}
