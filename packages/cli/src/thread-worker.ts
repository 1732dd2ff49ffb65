// A worker thread of the parallel GEMM: hands its first message to @nabla/core's worker side.
import { parentPort } from 'node:worker_threads';
import { runThreadWorker } from '@nabla/core/thread-worker';

parentPort?.once('message', runThreadWorker);
