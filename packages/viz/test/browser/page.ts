/**
 * The browser test page: draws every view from fixed data into fixed-size slots, and offers the
 * test a pixel comparison and an fps measurement. Bundled by esbuild in browser.test.ts.
 */
import { checkpointSchedule, simulateSchedule } from '@nabla/core';
import {
  checkpointTimeline,
  decisionBoundary,
  memoryChart,
  type MemoryResults,
  type NetworkSnapshot,
  networkDiagram,
  trainingCurves,
  weightHeatmap,
} from '../../src/index.js';
import { defineElements, type NablaElement } from '../../src/elements.js';
import { exampleHistory, forward, patternedSnapshot, ringImage, snapshot, spiral, spiralScores } from '../fixtures.js';

const slots = document.querySelector<HTMLElement>('main')!;

function slot(name: string, width: number): HTMLElement {
  const el = document.createElement('section');
  el.dataset.view = name;
  el.style.cssText = `width:${width}px;padding:8px;background:#fff;display:inline-block;vertical-align:top;`;
  slots.appendChild(el);
  return el;
}

/** Peak activation bytes per strategy and depth, computed on paper with core's simulateSchedule (batch 64, 256 float32 units a layer). */
function memoryResults(): MemoryResults {
  const depths = [4, 8, 16, 32, 64, 128];
  const strategies = [
    { strategy: 'none', label: 'store all', s: 'none' as const },
    { strategy: 'sqrt', label: 'sqrt(L) segments', s: 'sqrt' as const },
    { strategy: 'budget', label: 'revolve, 4 slots', s: { budget: 4 } },
  ];
  const configs = strategies.flatMap(({ strategy, label, s }) =>
    depths.map((depth) => {
      const steps = checkpointSchedule(depth, s);
      const sim = simulateSchedule(depth, steps, new Array(depth + 1).fill(256));
      return { strategy, label, depth, peakActivationBytes: sim.peakUnits * 64 * 4, forwardEvaluations: sim.forwardEvaluations, msPerStep: 0 };
    }),
  );
  return { machine: { note: 'computed with simulateSchedule, not measured' }, configs };
}

const big = patternedSnapshot([784, 128, 64, 10]);

export function renderAll(): void {
  const net = networkDiagram(slot('network', 760), { width: 760, duration: 0 });
  net.update({ model: big, activations: forward(big, ringImage()), checkpoints: [0, 2] });

  const curves = trainingCurves(slot('curves', 640), { width: 640, height: 180 });
  curves.update(exampleHistory());

  const { points, labels } = spiral();
  const boundary = decisionBoundary(slot('boundary', 420), { width: 420, resolution: 80, domain: { x: [-1.1, 1.1], y: [-1.1, 1.1] } });
  boundary.update({ points, labels, predict: spiralScores });

  const L = 9;
  const timeline = checkpointTimeline(slot('timeline', 760), { width: 760 });
  const timelineSteps = checkpointSchedule(L, 'sqrt');
  timeline.update({ steps: timelineSteps, simulation: simulateSchedule(L, timelineSteps, undefined, { cells: true }) });

  const memory = memoryChart(slot('memory', 700), { width: 700 });
  memory.update(memoryResults());

  const weights = weightHeatmap(slot('weights', 640), { width: 640, columns: 16 });
  weights.update({ model: { sizes: [784, 64], layers: [{ ...big.layers[0]!, weights: big.layers[0]!.weights.slice(0, 64), bias: big.layers[0]!.bias.slice(0, 64) }] } });

  // A custom element in plain HTML.
  const el = document.createElement('nabla-curves') as NablaElement;
  el.setAttribute('width', '400');
  el.setAttribute('log-scale', '');
  slot('element', 400).appendChild(el);
  el.data = exampleHistory(8);
}

// The page imports the sources, which the package's `sideEffects` list does not cover (it names
// dist/elements.js), so the bundle may drop the registration; define the elements explicitly.
defineElements();

/** Count pixels whose largest channel difference exceeds `threshold` between two PNG data URLs. */
export async function diffImages(a: string, b: string, threshold = 48): Promise<{ width: number; height: number; otherWidth: number; otherHeight: number; differing: number }> {
  const load = (src: string) =>
    new Promise<HTMLImageElement>((resolve, reject) => {
      const img = new Image();
      img.onload = () => resolve(img);
      img.onerror = () => reject(new Error('cannot decode image'));
      img.src = src;
    });
  const [ia, ib] = await Promise.all([load(a), load(b)]);
  const pixels = (img: HTMLImageElement) => {
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    return ctx.getImageData(0, 0, c.width, c.height).data;
  };
  const result = { width: ia.naturalWidth, height: ia.naturalHeight, otherWidth: ib.naturalWidth, otherHeight: ib.naturalHeight, differing: -1 };
  if (result.width !== result.otherWidth || result.height !== result.otherHeight) return result;
  const pa = pixels(ia);
  const pb = pixels(ib);
  let differing = 0;
  for (let i = 0; i < pa.length; i += 4) {
    const d = Math.max(Math.abs(pa[i]! - pb[i]!), Math.abs(pa[i + 1]! - pb[i + 1]!), Math.abs(pa[i + 2]! - pb[i + 2]!));
    if (d > threshold) differing++;
  }
  result.differing = differing;
  return result;
}

/**
 * Frames per second of a 784-128-64-10 diagram updated with a new snapshot and activations on
 * every animation frame, as during training; and the mean time of one update.
 */
export async function measureFps(frames = 120, duration = 0): Promise<{ fps: number; medianFps: number; msPerUpdate: number }> {
  const host = slot('fps', 760);
  const view = networkDiagram(host, { width: 760, duration });
  const models: NetworkSnapshot[] = [0, 1, 2, 3].map((s) => snapshot([784, 128, 64, 10], 100 + s, 0.1));
  const acts = models.map((m) => forward(m, ringImage()));
  view.update({ model: models[0]!, activations: acts[0]! });
  let updateMs = 0;
  const gaps: number[] = [];
  const start = performance.now();
  let prev = start;
  for (let i = 0; i < frames; i++) {
    await new Promise((r) => requestAnimationFrame(r));
    const t0 = performance.now();
    gaps.push(t0 - prev);
    prev = t0;
    view.update({ model: models[i % 4]!, activations: acts[i % 4]!, checkpoints: [i % 4] });
    updateMs += performance.now() - t0;
  }
  // Wait for the last frame to be painted.
  await new Promise((r) => requestAnimationFrame(r));
  const seconds = (performance.now() - start) / 1000;
  view.destroy();
  host.remove();
  gaps.sort((a, b) => a - b);
  return { fps: frames / seconds, medianFps: 1000 / gaps[Math.floor(gaps.length / 2)]!, msPerUpdate: updateMs / frames };
}

/** Draw the memory benchmark's results file; returns the legend's slope lines. */
export function renderBench(results: MemoryResults): { series: number; alerts: number; slopes: string[] } {
  const host = slot('memory-bench', 700);
  memoryChart(host, { width: 700 }).update(results);
  return {
    series: host.querySelectorAll('g.strategy').length,
    alerts: host.querySelectorAll('[role=alert]').length,
    slopes: [...host.querySelectorAll('g.key')].map((k) => `${k.querySelector('text.name')?.textContent}: ${k.querySelector('text.slope')?.textContent}`),
  };
}

/** Width of a view's SVG before and after its container is resized (no fixed width given). */
export async function resizeCheck(): Promise<{ before: number; after: number }> {
  const host = slot('resize', 500);
  host.style.padding = '0';
  const view = trainingCurves(host);
  view.update(exampleHistory(5));
  const width = () => Number(host.querySelector('svg')!.getAttribute('width'));
  const before = width();
  host.style.width = '320px';
  // ResizeObserver reports after layout; give it up to 30 frames.
  for (let i = 0; i < 30 && width() === before; i++) await new Promise((r) => requestAnimationFrame(r));
  const after = width();
  view.destroy();
  host.remove();
  return { before, after };
}

declare global {
  interface Window {
    nabla: { renderAll: typeof renderAll; diffImages: typeof diffImages; measureFps: typeof measureFps; resizeCheck: typeof resizeCheck; renderBench: typeof renderBench };
  }
}
window.nabla = { renderAll, diffImages, measureFps, resizeCheck, renderBench };
