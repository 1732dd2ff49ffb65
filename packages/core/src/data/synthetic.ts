import { ConfigError } from '../base/errors.js';
import { Random } from '../random.js';
import { type Dataset, oneHot } from './transform.js';

/** Options of the synthetic classification sets. */
export interface SyntheticOptions {
  /** Samples in all. Default 200 (xor: 4 exact corners when 4). */
  readonly samples?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate. Default 0. */
  readonly noise?: number;
  /** Default 1. */
  readonly seed?: number;
}

function count(options: SyntheticOptions, fallback: number, name: string): number {
  const n = options.samples ?? fallback;
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${name}: samples must be an integer >= 1, got ${String(n)}`);
  return n;
}

/** Labels of a 2-class set as one-hot rows, and the class of each sample. */
export interface Labelled2D extends Dataset {
  readonly labels: number[];
}

/**
 * XOR: points in [−1, 1]², class 1 when the signs of the coordinates differ. With 4 samples, the
 * four corners (±1, ±1), the classic truth table.
 */
export function xor(options: SyntheticOptions = {}): Labelled2D {
  const n = count(options, 200, 'xor');
  const rng = new Random(options.seed ?? 1);
  const noise = options.noise ?? 0;
  const x: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    let a: number;
    let b: number;
    if (n === 4) {
      a = i & 1 ? 1 : -1;
      b = i & 2 ? 1 : -1;
    } else {
      a = rng.uniform(-1, 1);
      b = rng.uniform(-1, 1);
    }
    labels.push(a * b < 0 ? 1 : 0);
    x.push([a + noise * rng.normal(), b + noise * rng.normal()]);
  }
  return { x, y: oneHot(labels, 2), labels };
}

/**
 * Two interleaved spirals, one per class (the classic hard 2-D benchmark), `turns` turns each
 * (default 1.75) out to `radius` (default 1). The two spirals are point reflections of each
 * other, so a tanh network with zero biases starts at a saddle; relu, noise or a larger radius
 * breaks the symmetry.
 */
export function spirals(options: SyntheticOptions & { readonly turns?: number; readonly radius?: number } = {}): Labelled2D {
  const n = count(options, 200, 'spirals');
  const rng = new Random(options.seed ?? 1);
  const noise = options.noise ?? 0;
  const turns = options.turns ?? 1.75;
  const x: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const t = (Math.floor(i / 2) + 0.5) / Math.ceil(n / 2);
    const r = t * (options.radius ?? 1);
    const angle = t * turns * 2 * Math.PI + c * Math.PI;
    x.push([r * Math.cos(angle) + noise * rng.normal(), r * Math.sin(angle) + noise * rng.normal()]);
    labels.push(c);
  }
  return { x, y: oneHot(labels, 2), labels };
}

/** A disc (class 0) inside a ring (class 1). */
export function circles(options: SyntheticOptions = {}): Labelled2D {
  const n = count(options, 200, 'circles');
  const rng = new Random(options.seed ?? 1);
  const noise = options.noise ?? 0;
  const x: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const r = c === 0 ? rng.uniform(0, 0.5) : rng.uniform(0.7, 1);
    const a = rng.uniform(0, 2 * Math.PI);
    x.push([r * Math.cos(a) + noise * rng.normal(), r * Math.sin(a) + noise * rng.normal()]);
    labels.push(c);
  }
  return { x, y: oneHot(labels, 2), labels };
}

/** k Gaussian blobs with centres evenly spaced on a circle of radius 1, spread `noise` (default 0.2). */
export function blobs(options: SyntheticOptions & { readonly classes?: number } = {}): Dataset & { labels: number[] } {
  const n = count(options, 300, 'blobs');
  const k = options.classes ?? 3;
  if (!Number.isInteger(k) || k < 1) throw new ConfigError(`blobs: classes must be an integer >= 1, got ${String(k)}`);
  const rng = new Random(options.seed ?? 1);
  const noise = options.noise ?? 0.2;
  const x: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % k;
    const a = (2 * Math.PI * c) / k;
    x.push([Math.cos(a) + noise * rng.normal(), Math.sin(a) + noise * rng.normal()]);
    labels.push(c);
  }
  return { x, y: oneHot(labels, k), labels };
}

/** Options of `linearRegression`. */
export interface LinearRegressionOptions {
  /** Default 500. */
  readonly samples?: number;
  /** Number of features d. Default 3 (ignored when `weights` is given). */
  readonly features?: number;
  /** True coefficients w; default drawn uniformly from [−2, 2]. */
  readonly weights?: readonly number[];
  /** True intercept b. Default 0.5. */
  readonly bias?: number;
  /** Standard deviation of the Gaussian noise on y. Default 0.05. */
  readonly noise?: number;
  readonly seed?: number;
}

/** y = X w + b + noise with X uniform in [−1, 1]^d; returns the true w and b too. */
export function linearRegression(options: LinearRegressionOptions = {}): Dataset & { weights: number[]; bias: number } {
  const n = options.samples ?? 500;
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`linearRegression: samples must be an integer >= 1, got ${String(n)}`);
  const rng = new Random(options.seed ?? 1);
  const d = options.weights?.length ?? options.features ?? 3;
  const weights = options.weights !== undefined ? [...options.weights] : Array.from({ length: d }, () => rng.uniform(-2, 2));
  const bias = options.bias ?? 0.5;
  const noise = options.noise ?? 0.05;
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: d }, () => rng.uniform(-1, 1));
    let t = bias;
    for (let j = 0; j < d; j++) t += row[j]! * weights[j]!;
    x.push(row);
    y.push([t + noise * rng.normal()]);
  }
  return { x, y, weights, bias };
}
