import { Matrix, permutation } from '@nabla/core';

/** Inputs and targets with samples as rows. */
export interface Split {
  readonly x: Matrix;
  readonly y: Matrix;
}

/** The rows `index` of m, in that order, as a new matrix. */
export function takeRows(m: Matrix, index: ArrayLike<number>): Matrix {
  const c = m.cols;
  const out = new Matrix(index.length, c, m.dtype);
  for (let i = 0; i < index.length; i++) {
    const r = index[i]!;
    out.data.set(m.data.subarray(r * c, (r + 1) * c), i * c);
  }
  return out;
}

/** a's rows then b's. */
export function concatRows(a: Matrix, b: Matrix): Matrix {
  const out = new Matrix(a.rows + b.rows, a.cols, a.dtype);
  out.data.set(a.data);
  out.data.set(b.data, a.data.length);
  return out;
}

/** One-hot rows for class indices. */
export function oneHotMatrix(labels: ArrayLike<number>, classes: number): Matrix {
  const y = new Matrix(labels.length, classes);
  for (let i = 0; i < labels.length; i++) y.data[i * classes + labels[i]!] = 1;
  return y;
}

/** Class index of each one-hot (or probability) row. */
export function rowArgmax(m: Matrix): number[] {
  const out: number[] = new Array(m.rows);
  const c = m.cols;
  for (let i = 0; i < m.rows; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (m.data[i * c + j]! > m.data[i * c + best]!) best = j;
    out[i] = best;
  }
  return out;
}

/**
 * Split the rows of `data` after a seeded shuffle: `fraction` of them (rounded) go to `held`,
 * the rest to `kept`. The same seed and size always give the same split.
 */
export function splitRows(data: Split, fraction: number, seed: number): { kept: Split; held: Split } {
  const n = data.x.rows;
  const p = permutation(n, seed);
  const h = Math.round(n * fraction);
  const heldIndex = p.slice(0, h);
  const keptIndex = p.slice(h);
  return {
    kept: { x: takeRows(data.x, keptIndex), y: takeRows(data.y, keptIndex) },
    held: { x: takeRows(data.x, heldIndex), y: takeRows(data.y, heldIndex) },
  };
}

/** The first `limit` rows (all when limit is undefined or larger). */
export function limitRows(data: Split, limit: number | undefined): Split {
  if (limit === undefined || limit >= data.x.rows) return data;
  const index = Array.from({ length: limit }, (_, i) => i);
  return { x: takeRows(data.x, index), y: takeRows(data.y, index) };
}
