import { ConfigError, DataError } from '../base/errors.js';
import { Random } from '../random.js';

/** A labelled data set with samples as rows. */
export interface Dataset {
  readonly x: number[][];
  readonly y: number[][];
}

/** One-hot rows for integer labels 0 ... classes − 1. */
export function oneHot(labels: ArrayLike<number>, classes?: number): number[][] {
  let k = classes ?? 0;
  if (classes === undefined) for (let i = 0; i < labels.length; i++) k = Math.max(k, labels[i]! + 1);
  if (!Number.isInteger(k) || k < 1) throw new ConfigError(`oneHot: classes must be an integer >= 1, got ${String(classes)}`);
  const out: number[][] = new Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= k) throw new DataError(`oneHot: label ${i} is ${c}, expected an integer in 0..${k - 1}`);
    const row = new Array<number>(k).fill(0);
    row[c] = 1;
    out[i] = row;
  }
  return out;
}

/** Index of the largest value of each row (the predicted class of softmax outputs). */
export function argmax(rows: readonly ArrayLike<number>[]): number[] {
  return rows.map((r) => {
    let best = 0;
    for (let i = 1; i < r.length; i++) if (r[i]! > r[best]!) best = i;
    return best;
  });
}

/** Column means and standard deviations; apply them to new data with `applyStandardization`. */
export interface Standardization {
  readonly mean: number[];
  readonly std: number[];
}

/**
 * Standardise each column to mean 0 and standard deviation 1 (constant columns are only
 * centred). Returns the transformed rows and the statistics, to apply the same map to test data.
 */
export function standardize(x: readonly (readonly number[])[]): { x: number[][]; stats: Standardization } {
  if (x.length === 0) throw new DataError('standardize: x is empty');
  const d = x[0]!.length;
  const mean = new Array<number>(d).fill(0);
  const sq = new Array<number>(d).fill(0);
  for (const row of x) {
    if (row.length !== d) throw new DataError(`standardize: ragged rows, row 0 has ${d} values, a later row has ${row.length}`);
    for (let j = 0; j < d; j++) mean[j]! += row[j]!;
  }
  for (let j = 0; j < d; j++) mean[j]! /= x.length;
  for (const row of x) for (let j = 0; j < d; j++) sq[j]! += (row[j]! - mean[j]!) ** 2;
  const std = sq.map((s) => {
    const v = Math.sqrt(s / x.length);
    return v > 0 ? v : 1;
  });
  const stats = { mean, std };
  return { x: applyStandardization(x, stats), stats };
}

/** (x − mean) / std per column. */
export function applyStandardization(x: readonly (readonly number[])[], stats: Standardization): number[][] {
  return x.map((row) => row.map((v, j) => (v - stats.mean[j]!) / stats.std[j]!));
}

/** A seeded permutation of 0 ... n − 1. */
export function permutation(n: number, seed = 1): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  return new Random(seed).shuffle(p);
}

/** Shuffle x and y together with a seed. */
export function shuffleDataset(data: Dataset, seed = 1): Dataset {
  const p = permutation(data.x.length, seed);
  return { x: p.map((i) => data.x[i]!), y: p.map((i) => data.y[i]!) };
}

/** Split into train and test sets after a seeded shuffle; `testFraction` of the samples go to test. */
export function trainTestSplit(data: Dataset, options: { testFraction?: number; seed?: number } = {}): { train: Dataset; test: Dataset } {
  const f = options.testFraction ?? 0.2;
  if (!(f > 0 && f < 1)) throw new ConfigError(`trainTestSplit: testFraction must be in (0, 1), got ${String(f)}`);
  if (data.x.length !== data.y.length) throw new DataError(`trainTestSplit: x has ${data.x.length} samples but y has ${data.y.length}`);
  const s = shuffleDataset(data, options.seed ?? 1);
  const nTest = Math.round(s.x.length * f);
  return {
    train: { x: s.x.slice(nTest), y: s.y.slice(nTest) },
    test: { x: s.x.slice(0, nTest), y: s.y.slice(0, nTest) },
  };
}
