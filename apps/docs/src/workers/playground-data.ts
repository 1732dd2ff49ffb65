// The playground's data: the 2-D sets of TensorFlow Playground and Nabla's extras, generated in
// the square [-6, 6]² from one seed; the train/test split; the input features; CSV files.
import { blobs, circles, csvDataset, Random, spirals, xor } from '@nabla/core';
import { type CsvChoice, DOMAIN, IMAGES_SHOWN, type DatasetName, type FeatureName, type PlaygroundConfig, regressionSets } from './playground-protocol';

/** Points (x1, x2 interleaved), targets (class index or value), the split and the drawing domain. */
export interface PlaygroundData {
  readonly points: Float64Array;
  readonly targets: Float64Array;
  readonly trainCount: number;
  readonly classes: number;
  readonly classNames?: string[];
  readonly domain: { readonly x: readonly [number, number]; readonly y: readonly [number, number] };
  readonly description: string;
  /** Inputs given as they are (images), n x width, instead of features of 2-D points. */
  readonly inputs?: { readonly data: Float32Array; readonly width: number; readonly side: number };
}

const SCALE = 5;

/** Gaussian noise of the generators, in the unit square, for TensorFlow Playground's 0 ... 50. */
function unitNoise(noise: number): number {
  return (noise / 100) * 0.4;
}

function fromUnit(x: readonly (readonly number[])[], labels: readonly number[], scale = SCALE): { xy: number[][]; t: number[] } {
  return { xy: x.map((p) => [p[0]! * scale, p[1]! * scale]), t: [...labels] };
}

/** Two Gaussian clusters around (2, 2) and (−2, −2), the second class being the second cluster. */
function twoGaussians(n: number, noise: number, rng: Random): { xy: number[][]; t: number[] } {
  const sd = 0.6 + (noise / 50) * 1.6;
  const xy: number[][] = [];
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const m = c === 0 ? 2 : -2;
    xy.push([m + sd * rng.normal(), m + sd * rng.normal()]);
    t.push(c);
  }
  return { xy, t };
}

/** Three interleaved spiral arms, one per class, out to radius 5. */
function threeArmSpiral(n: number, noise: number, rng: Random): { xy: number[][]; t: number[] } {
  const sd = unitNoise(noise) * SCALE;
  const xy: number[][] = [];
  const t: number[] = [];
  const per = Math.ceil(n / 3);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    const s = (Math.floor(i / 3) + 0.5) / per;
    const r = s * SCALE;
    const a = s * 1.5 * Math.PI + (c * 2 * Math.PI) / 3;
    xy.push([r * Math.cos(a) + sd * rng.normal(), r * Math.sin(a) + sd * rng.normal()]);
    t.push(c);
  }
  return { xy, t };
}

/** A tilted plane: target (x1 + x2) / 12 plus noise, in about [−1, 1]. */
function plane(n: number, noise: number, rng: Random): { xy: number[][]; t: number[] } {
  const xy: number[][] = [];
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.uniform(-SCALE, SCALE);
    const b = rng.uniform(-SCALE, SCALE);
    xy.push([a, b]);
    t.push((a + b) / (2 * SCALE) + (noise / 100) * rng.normal());
  }
  return { xy, t };
}

const BUMPS: readonly [number, number, number][] = [
  [-4, 2.5, 1],
  [0, 2.5, -1],
  [4, 2.5, 1],
  [-4, -2.5, -1],
  [0, -2.5, 1],
  [4, -2.5, -1],
];

/** Six Gaussian bumps of alternating sign: the target is the signed bump nearest in value, in [−1, 1]. */
function multiGaussian(n: number, noise: number, rng: Random): { xy: number[][]; t: number[] } {
  const xy: number[][] = [];
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.uniform(-SCALE, SCALE);
    const b = rng.uniform(-SCALE, SCALE);
    let v = 0;
    for (const [cx, cy, sign] of BUMPS) {
      const g = sign * Math.exp(-((a - cx) ** 2 + (b - cy) ** 2) / 2);
      if (Math.abs(g) > Math.abs(v)) v = g;
    }
    xy.push([a, b]);
    t.push(v + (noise / 100) * rng.normal());
  }
  return { xy, t };
}

/** Generate one of the built-in sets. */
export function generate(name: Exclude<DatasetName, 'csv' | 'mnist'>, n: number, noise: number, seed: number, classes: number): { xy: number[][]; t: number[] } {
  const rng = new Random(seed * 7919 + 17);
  const sd = unitNoise(noise);
  switch (name) {
    case 'circle': {
      const d = circles({ samples: n, noise: sd, seed });
      return fromUnit(d.x, d.labels);
    }
    case 'xor': {
      const d = xor({ samples: n, noise: sd, seed });
      return fromUnit(d.x, d.labels);
    }
    case 'spiral': {
      const d = spirals({ samples: n, noise: sd, seed });
      return fromUnit(d.x, d.labels);
    }
    case 'blobs': {
      const d = blobs({ samples: n, noise: 0.15 + sd, seed, classes });
      return fromUnit(d.x, d.labels, 3.5);
    }
    case 'gauss':
      return twoGaussians(n, noise, rng);
    case 'spiral3':
      return threeArmSpiral(n, noise, rng);
    case 'plane':
      return plane(n, noise, rng);
    case 'multigauss':
      return multiGaussian(n, noise, rng);
  }
}

/** Shuffle (x, t) with the data seed and put the first `trainRatio` percent in the training set. */
function split(xy: number[][], t: number[], trainRatio: number, seed: number): { points: Float64Array; targets: Float64Array; trainCount: number } {
  const n = xy.length;
  const order = Array.from({ length: n }, (_, i) => i);
  new Random(seed * 31 + 5).shuffle(order);
  const points = new Float64Array(2 * n);
  const targets = new Float64Array(n);
  order.forEach((src, i) => {
    points[2 * i] = xy[src]![0]!;
    points[2 * i + 1] = xy[src]![1]!;
    targets[i] = t[src]!;
  });
  const trainCount = Math.min(n - 1, Math.max(1, Math.round((n * trainRatio) / 100)));
  return { points, targets, trainCount };
}

/** The data set a configuration describes (not for CSV files: see `csvData`). */
export function buildData(config: PlaygroundConfig): PlaygroundData {
  if (config.dataset === 'csv' || config.dataset === 'mnist') throw new Error(`buildData: the ${config.dataset} data set comes from ${config.dataset}Data(...)`);
  const { xy, t } = generate(config.dataset, config.samples, config.noise, config.dataSeed, config.classes);
  const classes = regressionSets.includes(config.dataset) ? 0 : config.dataset === 'blobs' ? config.classes : config.dataset === 'spiral3' ? 3 : 2;
  const d = DOMAIN;
  return {
    ...split(xy, t, config.trainRatio, config.dataSeed),
    classes,
    domain: { x: d, y: d },
    description: `${config.samples} samples, noise ${config.noise}, ${config.trainRatio}% for training`,
  };
}

/**
 * A CSV file's two feature columns and its label (classification) or target (regression)
 * column. Throws the parser's error, which names the file, the line and the column.
 */
export function csvData(file: CsvChoice, config: PlaygroundConfig): PlaygroundData {
  if (file.x1 === file.x2) throw new Error(`CSV ${file.name}: pick two different feature columns (both are '${file.x1}')`);
  if (file.target === file.x1 || file.target === file.x2) throw new Error(`CSV ${file.name}: the label column '${file.target}' is also a feature column`);
  const ds = csvDataset(file.text, {
    name: file.name,
    target: file.target,
    features: [file.x1, file.x2],
    task: config.problem === 'regression' ? 'regression' : 'classification',
  });
  if (ds.x.length < 2) throw new Error(`CSV ${file.name}: needs at least 2 data rows, has ${ds.x.length}`);
  if (ds.task === 'classification' && (ds.classes?.length ?? 0) > 20) {
    throw new Error(`CSV ${file.name}: the label column '${file.target}' has ${ds.classes?.length} distinct values; at most 20 classes (pick 'regression' for a numeric target)`);
  }
  const t = ds.task === 'classification' ? ds.labels! : ds.y.map((r) => r[0]!);
  const xs = ds.x.map((r) => r[0]!);
  const ys = ds.x.map((r) => r[1]!);
  const pad = (v: number[]): [number, number] => {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const a of v) {
      if (a < lo) lo = a;
      if (a > hi) hi = a;
    }
    const m = (hi - lo || 1) * 0.08;
    return [lo - m, hi + m];
  };
  return {
    ...split(ds.x, t, config.trainRatio, config.dataSeed),
    classes: ds.task === 'classification' ? ds.classes!.length : 0,
    ...(ds.classes ? { classNames: ds.classes } : {}),
    domain: { x: pad(xs), y: pad(ys) },
    description: `CSV file ${file.name}: ${ds.x.length} rows, features '${file.x1}' and '${file.x2}', ${ds.task === 'classification' ? `label '${file.target}' (${ds.classes!.length} classes)` : `target '${file.target}'`}`,
  };
}

const PIXELS = 28 * 28;

/**
 * The MNIST subset prepared at build time (scripts/build-mnist.mjs): records of a label byte and
 * 28 x 28 pixel bytes. Pixels become intensities in [0, 1]; split as the 2-D sets are.
 */
export function mnistData(bytes: Uint8Array, config: PlaygroundConfig): PlaygroundData & { readonly images: Uint8Array } {
  const record = 1 + PIXELS;
  if (bytes.length === 0 || bytes.length % record !== 0) throw new Error(`mnistData: ${bytes.length} bytes is not a whole number of ${record}-byte records`);
  const n = bytes.length / record;
  const order = Array.from({ length: n }, (_, i) => i);
  new Random(config.dataSeed * 31 + 5).shuffle(order);
  const data = new Float32Array(n * PIXELS);
  const targets = new Float64Array(n);
  order.forEach((src, i) => {
    targets[i] = bytes[src * record]!;
    for (let p = 0; p < PIXELS; p++) data[i * PIXELS + p] = bytes[src * record + 1 + p]! / 255;
  });
  const trainCount = Math.min(n - 1, Math.max(1, Math.round((n * config.trainRatio) / 100)));
  const shown = Math.min(IMAGES_SHOWN, n - trainCount);
  const images = new Uint8Array(shown * PIXELS);
  for (let i = 0; i < shown; i++) for (let p = 0; p < PIXELS; p++) images[i * PIXELS + p] = Math.round(data[(trainCount + i) * PIXELS + p]! * 255);
  return {
    points: new Float64Array(0),
    targets,
    trainCount,
    classes: 10,
    classNames: Array.from({ length: 10 }, (_, k) => String(k)),
    domain: { x: [0, 1], y: [0, 1] },
    description: `MNIST digits: ${n} images of 28 x 28 pixels (the first ${n / 10} of each digit in the mnist package), ${config.trainRatio}% for training`,
    inputs: { data, width: PIXELS, side: 28 },
    images,
  };
}

/** One input feature of the point (a, b). */
export function feature(name: FeatureName, a: number, b: number): number {
  switch (name) {
    case 'x1':
      return a;
    case 'x2':
      return b;
    case 'x1sq':
      return a * a;
    case 'x2sq':
      return b * b;
    case 'x1x2':
      return a * b;
    case 'sinx1':
      return Math.sin(a);
    case 'sinx2':
      return Math.sin(b);
    case 'cosx1':
      return Math.cos(a);
    case 'cosx2':
      return Math.cos(b);
  }
}

/** The features of n points (x1, x2 interleaved) as a row-major n x features array. */
export function featureRows(points: ArrayLike<number>, features: readonly FeatureName[], out?: Float64Array): Float64Array {
  const n = points.length / 2;
  const d = features.length;
  const rows = out ?? new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const a = points[2 * i]!;
    const b = points[2 * i + 1]!;
    for (let j = 0; j < d; j++) rows[i * d + j] = feature(features[j]!, a, b);
  }
  return rows;
}

/** The centres of a side x side grid over the domain, row 0 at y min, interleaved. */
export function gridCentres(domain: PlaygroundData['domain'], side: number): Float64Array {
  const out = new Float64Array(2 * side * side);
  for (let r = 0; r < side; r++) {
    const y = domain.y[0] + ((r + 0.5) / side) * (domain.y[1] - domain.y[0]);
    for (let c = 0; c < side; c++) {
      const i = r * side + c;
      out[2 * i] = domain.x[0] + ((c + 0.5) / side) * (domain.x[1] - domain.x[0]);
      out[2 * i + 1] = y;
    }
  }
  return out;
}
