// A worker thread of Nabla's parallel GEMM for the benchmarks (see threads.ts).
import { parentPort } from 'node:worker_threads';
import { runThreadWorker } from '@nabla/core/thread-worker';

parentPort.once('message', runThreadWorker);
