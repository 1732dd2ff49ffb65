// The tests' worker thread for useThreads: runs @nabla/core's worker side from the build.
import { parentPort } from 'node:worker_threads';
import { runThreadWorker } from '../dist/thread-worker.js';

parentPort.once('message', runThreadWorker);
