import type { NetworkSnapshot } from './types.js';

/**
 * Check a network snapshot and optional activations before drawing. Returns the first problem
 * as a sentence naming the path and the value (`layers[1].weights[3][7] is NaN`), or null.
 */
export function checkSnapshot(model: unknown, activations?: unknown): string | null {
  if (model === null || typeof model !== 'object') return `the snapshot is ${model === null ? 'null' : typeof model}, expected an object`;
  const { sizes, layers } = model as Partial<NetworkSnapshot>;
  if (!Array.isArray(sizes) || sizes.length < 2) return `sizes must list at least 2 layer sizes, got ${JSON.stringify(sizes)}`;
  for (let i = 0; i < sizes.length; i++) {
    const n = sizes[i];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) return `sizes[${i}] is ${JSON.stringify(n)}, expected an integer >= 1`;
  }
  if (!Array.isArray(layers)) return 'layers is missing or not an array';
  if (layers.length !== sizes.length - 1) return `sizes describe ${sizes.length - 1} layers, but layers has ${layers.length}`;
  for (let k = 0; k < layers.length; k++) {
    const layer = layers[k];
    const at = `layers[${k}]`;
    if (layer === null || typeof layer !== 'object') return `${at} is not an object`;
    const rows = sizes[k + 1]!;
    const cols = sizes[k]!;
    const w = layer.weights;
    if (!Array.isArray(w) || w.length !== rows) return `${at}.weights has ${Array.isArray(w) ? w.length : 'no'} rows, sizes say ${rows} (${rows}x${cols})`;
    for (let i = 0; i < rows; i++) {
      const row = w[i];
      if (!Array.isArray(row) || row.length !== cols) return `${at}.weights[${i}] has ${Array.isArray(row) ? row.length : 'no'} entries, sizes say ${cols}`;
      for (let j = 0; j < cols; j++) {
        const v = row[j];
        if (typeof v !== 'number' || !Number.isFinite(v)) return `${at}.weights[${i}][${j}] is ${typeof v === 'number' ? String(v) : JSON.stringify(v)}`;
      }
    }
    const b = layer.bias;
    if (!Array.isArray(b) || b.length !== rows) return `${at}.bias has ${Array.isArray(b) ? b.length : 'no'} entries, sizes say ${rows}`;
    for (let i = 0; i < rows; i++) {
      const v = b[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) return `${at}.bias[${i}] is ${typeof v === 'number' ? String(v) : JSON.stringify(v)}`;
    }
  }
  if (activations !== undefined) return checkActivations(sizes, activations);
  return null;
}

/** Check activations g^0..g^L against the layer sizes; returns the first problem or null. */
export function checkActivations(sizes: readonly number[], activations: unknown): string | null {
  if (!Array.isArray(activations) || activations.length !== sizes.length) {
    return `activations must hold ${sizes.length} arrays (g^0..g^${sizes.length - 1}), got ${Array.isArray(activations) ? activations.length : typeof activations}`;
  }
  for (let k = 0; k < sizes.length; k++) {
    const g = activations[k] as unknown;
    const n = sizes[k]!;
    if (!Array.isArray(g) || g.length !== n) return `activations[${k}] has ${Array.isArray(g) ? g.length : 'no'} values, sizes say ${n}`;
    for (let i = 0; i < n; i++) {
      const v = g[i] as unknown;
      if (typeof v !== 'number' || !Number.isFinite(v)) return `activations[${k}][${i}] is ${String(v)}`;
    }
  }
  return null;
}

/** A finite number, or false. */
export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
