/// <reference lib="webworker" />
// The playground's Web Worker: builds the data and the network, trains in chunks of mini-batches
// at full speed, and posts a snapshot (metrics, parameters, the decision-boundary grid, the unit
// maps, the checkpointing measurements) whenever the page has drawn the previous one, so the page
// draws at its display rate and never queues frames. Arrays cross as transferable buffers.
// Bundled with esbuild into static/workers/playground.js (scripts/build-worker.mjs).
import { gemmSimdVariant, MLP } from '@nabla/core';
import { buildData, csvData, mnistData, type PlaygroundData } from './playground-data';
import { strategyOf, Trainer } from './playground-engine';
import { type CsvChoice, type FromWorker, IMAGES_SHOWN, MAX_UNIT_MAPS, type PlaygroundConfig, type SnapshotMessage, type ToWorker } from './playground-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

/** Longest stretch of training between looks at the message queue, milliseconds. */
const CHUNK_MS = 12;

let config: PlaygroundConfig | null = null;
let csv: CsvChoice | undefined;
let model: string | undefined;
let trainer: Trainer | null = null;
let running = false;
let loop = 0;
/** The page has drawn the last snapshot (or none was sent). */
let drawn = true;
let dirty = true;
let samplesSince = 0;
/** Share of the worker's time the maps may take while training, and the time they took in the current window. */
const MAPS_SHARE = 0.05;
let mapsMs = 0;
let mapsWindow = performance.now();
let since = performance.now();

function post(message: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

let mnistBytes: Uint8Array | null = null;
let mnistUrl = '';

async function loadMnist(): Promise<Uint8Array> {
  if (mnistBytes) return mnistBytes;
  const response = await fetch(mnistUrl);
  if (!response.ok) throw new Error(`MNIST digits: ${mnistUrl} answered ${response.status}`);
  mnistBytes = new Uint8Array(await response.arrayBuffer());
  return mnistBytes;
}

/** Data, network and trainer for a configuration; on any error the previous ones stay. */
async function rebuild(next: PlaygroundConfig, file: CsvChoice | undefined, modelText: string | undefined): Promise<void> {
  let d: PlaygroundData;
  try {
    if (next.dataset === 'mnist') d = mnistData(await loadMnist(), next);
    else d = next.dataset === 'csv' && file ? csvData(file, next) : buildData(next.dataset === 'csv' ? { ...next, dataset: 'circle' } : next);
  } catch (e) {
    // A bad file (or an image set that did not load) leaves the previous data and network in place.
    post({ type: 'error', source: next.dataset === 'csv' ? 'csv' : 'data', message: (e as Error).message });
    return;
  }
  let net: MLP | undefined;
  if (modelText !== undefined) {
    try {
      net = MLP.fromJSON(modelText);
    } catch (e) {
      post({ type: 'error', source: 'model', message: (e as Error).message });
      return;
    }
  }
  let t: Trainer;
  try {
    t = new Trainer(next, d, net);
  } catch (e) {
    post({ type: 'error', source: modelText !== undefined ? 'model' : 'config', message: (e as Error).message });
    return;
  }
  config = next;
  csv = file;
  model = modelText;
  trainer = t;
  post(
    {
      type: 'data',
      points: d.points.slice(),
      targets: d.targets.slice(),
      trainCount: d.trainCount,
      classes: d.classes,
      ...(d.classNames ? { classNames: d.classNames } : {}),
      sizes: [...t.net.sizes],
      domain: d.domain,
      description: d.description,
      ...('images' in d && d.images instanceof Uint8Array ? { images: d.images, imageSide: d.inputs?.side ?? 28 } : {}),
    },
    [],
  );
  dirty = true;
  snapshot(true);
}

function snapshot(force = false): void {
  if (!trainer || !config || (!force && !drawn)) return;
  const t = trainer;
  const now = performance.now();
  const seconds = (now - since) / 1000;
  const samplesPerSecond = running && seconds > 0 ? samplesSince / seconds : 0;
  samplesSince = 0;
  since = now;
  const side = config.resolution;
  // While training, the maps (decision boundary and per-unit) get at most MAPS_SHARE of the
  // worker's time; a snapshot without them leaves the page drawing the previous ones.
  if (now - mapsWindow > 2000) {
    mapsWindow = now;
    mapsMs = 0;
  }
  const due = force || !running || mapsMs <= MAPS_SHARE * (now - mapsWindow);
  const m0 = performance.now();
  const grid = side > 0 && due ? t.grid(side) : undefined;
  const unitMaps = due ? t.unitMaps(MAX_UNIT_MAPS) : undefined;
  mapsMs += performance.now() - m0;
  const images = t.predictions(IMAGES_SHOWN);
  const params = t.params();
  const message: SnapshotMessage = {
    type: 'snapshot',
    steps: t.steps,
    epoch: t.epoch,
    inEpoch: t.position,
    trainCount: t.data.trainCount,
    metrics: t.metrics(),
    running,
    params,
    sizes: [...t.net.sizes],
    ...(grid ? { grid } : {}),
    gridSide: side,
    outputs: t.outputs,
    ...(unitMaps ? { unitMaps } : {}),
    ...(images ? { predictions: images.predictions, activations: images.activations } : {}),
    ...(!running || config.slowMotion > 0 ? { lastBatch: t.lastBatch.slice() } : {}),
    checkpoint: t.checkpointReport(config.checkpoint, config.checkpointK),
    samplesPerSecond,
    learningRate: t.learningRate,
  };
  const transfer: Transferable[] = [params.buffer];
  if (grid) transfer.push(grid.buffer);
  if (unitMaps) transfer.push(unitMaps.buffer);
  if (images) transfer.push(images.predictions.buffer);
  drawn = false;
  dirty = false;
  post(message, transfer);
}

function stop(reason: 'diverged' | 'target' | 'epochs', message: string): void {
  running = false;
  snapshot(true);
  post({ type: 'stopped', reason, message });
}

/** Train `count` batches; false when training stopped (divergence or a stop condition). */
function runSteps(count: number): boolean {
  const t = trainer;
  if (!t || !config) return false;
  for (let i = 0; i < count; i++) {
    const epochBefore = t.epoch;
    const r = t.step();
    samplesSince += t.batchSize;
    dirty = true;
    if (!r.ok) {
      stop('diverged', r.message);
      return false;
    }
    if (t.epoch !== epochBefore) {
      if (config.maxEpochs > 0 && t.epoch >= config.maxEpochs) {
        stop('epochs', `Stopped after ${t.epoch} epochs, the limit set.`);
        return false;
      }
      if (config.targetLoss > 0) {
        const loss = t.metrics().trainLoss;
        if (loss <= config.targetLoss) {
          stop('target', `Stopped at epoch ${t.epoch}: the training loss ${loss.toFixed(4)} reached the target ${config.targetLoss}.`);
          return false;
        }
      }
    }
  }
  return true;
}

function tick(id: number): void {
  if (id !== loop || !running || !trainer || !config) return;
  if (config.slowMotion > 0) {
    if (runSteps(1)) {
      snapshot(true);
      setTimeout(() => tick(id), 1000 / config.slowMotion);
    }
    return;
  }
  const start = performance.now();
  let ok = true;
  while (ok && performance.now() - start < CHUNK_MS) ok = runSteps(1);
  if (ok) {
    snapshot();
    setTimeout(() => tick(id), 0);
  }
}

function play(): void {
  if (!trainer || running) return;
  running = true;
  since = performance.now();
  samplesSince = 0;
  const id = ++loop;
  tick(id);
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'config': {
      const wasRunning = running;
      running = false;
      loop++;
      if (msg.mnistUrl) mnistUrl = msg.mnistUrl;
      const id = loop;
      void rebuild(msg.config, msg.csv ?? (msg.config.dataset === 'csv' ? csv : undefined), msg.model).then(() => {
        if (wasRunning && id === loop) play();
      });
      break;
    }
    case 'play':
      play();
      break;
    case 'pause':
      running = false;
      loop++;
      snapshot(true);
      break;
    case 'step':
      running = false;
      loop++;
      runSteps(Math.max(1, Math.floor(msg.batches)));
      snapshot(true);
      break;
    case 'reset':
      running = false;
      loop++;
      if (config) void rebuild(config, csv, model);
      break;
    case 'checkpoint':
      // The strategy changes how the backward pass keeps activations, never the gradient: the
      // run goes on from where it is.
      if (config && trainer) {
        config = { ...config, checkpoint: msg.checkpoint, checkpointK: msg.checkpointK };
        trainer.config = config;
        trainer.checkpoint = strategyOf(config.checkpoint, config.checkpointK, trainer.net.depth);
        snapshot(true);
      }
      break;
    case 'view':
      if (config) {
        config = { ...config, resolution: msg.resolution, slowMotion: msg.slowMotion, targetLoss: msg.targetLoss, maxEpochs: msg.maxEpochs };
        if (trainer) trainer.config = config;
        snapshot(true);
      }
      break;
    case 'weight':
      if (trainer) {
        try {
          trainer.setWeight(msg.layer, msg.row, msg.col, msg.value);
          snapshot(true);
        } catch (e) {
          post({ type: 'error', source: 'config', message: (e as Error).message });
        }
      }
      break;
    case 'drawn':
      drawn = true;
      if (!running && dirty) snapshot();
      break;
    case 'export':
      if (trainer) post({ type: 'model', json: trainer.exportJSON() });
      break;
  }
};

post({ type: 'ready', variant: gemmSimdVariant() ?? 'scalar JavaScript (no WebAssembly SIMD)' });
