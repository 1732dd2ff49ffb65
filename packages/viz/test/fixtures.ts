import type { NetworkSnapshot } from '../src/types.js';

/** A deterministic pseudo-random stream (mulberry32), so fixtures are the same everywhere. */
export function stream(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A snapshot with the given sizes and weights drawn uniformly from [-scale, scale]. */
export function snapshot(sizes: readonly number[], seed = 1, scale = 1): NetworkSnapshot {
  const rand = stream(seed);
  const layers = [];
  for (let k = 1; k < sizes.length; k++) {
    const rows = sizes[k]!;
    const cols = sizes[k - 1]!;
    layers.push({
      activation: k === sizes.length - 1 ? 'softmax' : 'relu',
      dropout: 0,
      weights: Array.from({ length: rows }, () => Array.from({ length: cols }, () => (rand() * 2 - 1) * scale)),
      bias: Array.from({ length: rows }, () => (rand() * 2 - 1) * 0.1),
    });
  }
  return { sizes: [...sizes], layers };
}

/** Activations g^0..g^L of a snapshot for one input, computed here with relu hidden layers and softmax output. */
export function forward(model: NetworkSnapshot, input: readonly number[]): number[][] {
  const out: number[][] = [[...input]];
  let cur = [...input];
  model.layers.forEach((layer, idx) => {
    const f = layer.weights.map((row, i) => row.reduce((s, w, j) => s + w * cur[j]!, layer.bias[i]!));
    if (idx === model.layers.length - 1) {
      const mx = Math.max(...f);
      const e = f.map((v) => Math.exp(v - mx));
      const z = e.reduce((a, b) => a + b, 0);
      cur = e.map((v) => v / z);
    } else cur = f.map((v) => Math.max(0, v));
    out.push(cur);
  });
  return out;
}

/**
 * A 784-input first layer whose units look like oriented stripes under a round window (so the
 * 28x28 weight images show structure), followed by random layers.
 */
export function patternedSnapshot(sizes: readonly number[], seed = 7): NetworkSnapshot {
  const base = snapshot(sizes, seed, 0.3);
  const rand = stream(seed + 1);
  const first = base.layers[0]!;
  const side = Math.round(Math.sqrt(sizes[0]!));
  const weights = first.weights.map(() => {
    const angle = rand() * Math.PI;
    const freq = 0.25 + rand() * 0.35;
    const cx = side / 2 + (rand() - 0.5) * side * 0.4;
    const cy = side / 2 + (rand() - 0.5) * side * 0.4;
    const phase = rand() * Math.PI * 2;
    return Array.from({ length: sizes[0]! }, (_, j) => {
      const r = Math.floor(j / side) - cy;
      const c = (j % side) - cx;
      const envelope = Math.exp(-(r * r + c * c) / (2 * (side / 5) ** 2));
      return 0.4 * envelope * Math.cos(freq * (c * Math.cos(angle) + r * Math.sin(angle)) + phase);
    });
  });
  return { sizes: base.sizes, layers: [{ ...first, weights }, ...base.layers.slice(1)] };
}

/** A 28x28 "digit-like" input: a ring, values in [0, 1]. */
export function ringImage(side = 28): number[] {
  return Array.from({ length: side * side }, (_, j) => {
    const r = Math.floor(j / side) - side / 2 + 0.5;
    const c = (j % side) - side / 2 + 0.5;
    const d = Math.sqrt(r * r + c * c);
    return Math.max(0, 1 - Math.abs(d - side * 0.3) / 2.5);
  });
}

/** Three interleaved spiral arms of 2-D points with their class, jittered deterministically. */
export function spiral(perClass = 60, seed = 3): { points: number[][]; labels: number[] } {
  const rand = stream(seed);
  const points: number[][] = [];
  const labels: number[] = [];
  for (let k = 0; k < 3; k++) {
    for (let i = 0; i < perClass; i++) {
      const r = 0.1 + (0.9 * i) / perClass;
      const t = (k * 2 * Math.PI) / 3 + r * 4 + (rand() - 0.5) * 0.35;
      points.push([r * Math.cos(t), r * Math.sin(t)]);
      labels.push(k);
    }
  }
  return { points, labels };
}

/**
 * Class scores for the spiral, as a trained network would give them: softmax of how close a
 * point's angle is to each arm at its radius. Used as the boundary view's `predict`.
 */
export function spiralScores(points: number[][]): number[][] {
  return points.map(([x, y]) => {
    const r = Math.hypot(x!, y!);
    const theta = Math.atan2(y!, x!);
    const s = [0, 1, 2].map((k) => 4 * Math.cos(theta - (k * 2 * Math.PI) / 3 - r * 4));
    const mx = Math.max(...s);
    const e = s.map((v) => Math.exp(v - mx));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / z);
  });
}

/** An example training history with a falling loss and a validation gap (not a real run). */
export function exampleHistory(epochs = 20): { epoch: number; loss: number; accuracy: number; valLoss: number; valAccuracy: number }[] {
  const rand = stream(11);
  return Array.from({ length: epochs }, (_, i) => {
    const e = i + 1;
    const loss = 0.25 + 1.9 * Math.exp(-e / 4) + (rand() - 0.5) * 0.03;
    const valLoss = 0.33 + 1.8 * Math.exp(-e / 4.5) + 0.004 * e + (rand() - 0.5) * 0.04;
    return { epoch: e, loss, accuracy: 1 - loss / 2.4, valLoss, valAccuracy: 1 - valLoss / 2.3 };
  });
}
