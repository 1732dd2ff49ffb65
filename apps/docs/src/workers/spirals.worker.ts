/// <reference lib="webworker" />
// Trains a small network on the two spirals inside a Web Worker and posts, after every epoch, the
// loss and the network's outputs on a grid, so the page only draws. Bundled with esbuild into
// static/workers/spirals.js at build time (scripts/build-worker.mjs), not by webpack.
import { adam, gridOutputs, MLP, spirals, train } from './spirals-core';

export interface StartMessage {
  readonly type: 'start';
  readonly seed: number;
  readonly epochs: number;
  readonly resolution: number;
}

const scope = self as unknown as DedicatedWorkerGlobalScope;
let controller: AbortController | null = null;

scope.onmessage = async (event: MessageEvent<StartMessage | { type: 'stop' }>) => {
  const msg = event.data;
  if (msg.type === 'stop') {
    controller?.abort();
    return;
  }
  controller?.abort();
  const ctrl = new AbortController();
  controller = ctrl;
  const data = spirals({ samples: 300, noise: 0.03, seed: msg.seed });
  const net = new MLP({ sizes: [2, 16, 16, 2], activation: 'relu', output: 'softmax', loss: 'cross-entropy', seed: msg.seed });
  const domain = { x: [-1.2, 1.2] as [number, number], y: [-1.2, 1.2] as [number, number] };
  scope.postMessage({ type: 'data', points: data.x, labels: data.labels, sizes: [2, 16, 16, 2] });
  const started = performance.now();
  await train(net, data, {
    epochs: msg.epochs,
    batchSize: 20,
    optimizer: adam({ learningRate: 0.02 }),
    seed: msg.seed,
    signal: ctrl.signal,
    onEpochEnd(record) {
      const grid = gridOutputs(net, domain, msg.resolution);
      scope.postMessage({
        type: 'epoch',
        epoch: record.epoch,
        loss: record.loss,
        accuracy: record.accuracy,
        seconds: (performance.now() - started) / 1000,
        grid,
      });
    },
  });
  if (!ctrl.signal.aborted) scope.postMessage({ type: 'done' });
};
