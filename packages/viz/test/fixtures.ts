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
