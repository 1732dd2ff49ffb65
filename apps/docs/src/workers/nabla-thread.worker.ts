/// <reference lib="webworker" />
// A worker thread of @nabla/core's parallel GEMM, for workers of this site that call useThreads
// (the in-browser benchmark). Bundled with esbuild into static/workers/nabla-thread.js; the first
// message is the one useThreads posts, and runThreadWorker keeps this worker for its jobs.
import { type ThreadInit, runThreadWorker } from '@nabla/core/thread-worker';

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.addEventListener('message', (event: MessageEvent<ThreadInit>) => runThreadWorker(event.data), { once: true });
