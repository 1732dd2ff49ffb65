// Setup of the third core test run (NABLA_TEST_THREADS=2, see vitest.config.ts): two threads,
// and every float32 product of the WebAssembly kernel split between them whatever its size (the
// threshold at 0), so the numerical tests run their gradients, checkpointed passes and training
// on the threaded path. Results must be the same bits as on one thread: the tests are unchanged.
import { afterAll } from 'vitest';
import { threadCount, useThreads } from '../src/index.js';
import { setParallelMinWork } from '../src/internal.js';
import { spawnTestWorker } from './helpers.js';

const status = await useThreads({
  count: 2,
  startTimeoutMs: 60_000,
  spawn: spawnTestWorker,
});
if (status.count !== 2 || threadCount() !== 2) throw new Error(`setup-threads: 2 threads asked, ${status.count} started (${status.note ?? 'no note'})`);
setParallelMinWork(0);

afterAll(async () => {
  setParallelMinWork(undefined);
  await useThreads({ count: 1 });
});
