import { resolve } from 'node:path';
import { Matrix, excerpt } from '@nabla/core';
import type { RawData, Task } from './data/index.js';
import { CliError } from './io.js';

/** How raw inputs become network inputs: multiply by a constant, or standardise named columns. */
export type InputTransform =
  | { readonly kind: 'scale'; readonly scale: number; readonly inputs: number }
  | { readonly kind: 'standardize'; readonly features: string[]; readonly mean: number[]; readonly std: number[] };

/**
 * Everything eval and predict need to treat data exactly as training did. Saved as the
 * `preprocessing` field of the model file, next to the fields of core's model format (which
 * `MLP.fromJSON` ignores).
 */
export interface Preprocessing {
  /** The data the model was trained on: 'fashion-mnist', 'mnist' or 'csv'. */
  readonly source: 'fashion-mnist' | 'mnist' | 'csv';
  /** Path of the training CSV, as given. */
  readonly path?: string;
  readonly task: Task;
  /** CSV: the target column(s). */
  readonly targetNames?: string[];
  /** Classification: class names, index i is output i. */
  readonly classes?: string[];
  readonly input: InputTransform;
  /** Regression: target columns and the standardisation the network was trained on. */
  readonly target?: { readonly names: string[]; readonly mean: number[]; readonly std: number[] };
  /** The seeded train/test split of mnist and CSV data, so eval finds the same test rows. */
  readonly split: { readonly seed: number; readonly testFraction: number };
}

/** Column means and standard deviations (1 for constant columns), in float64. */
export function columnStats(m: Matrix): { mean: number[]; std: number[] } {
  const { rows, cols, data } = m;
  const mean = new Array<number>(cols).fill(0);
  const sq = new Array<number>(cols).fill(0);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j]! += data[i * cols + j]!;
  for (let j = 0; j < cols; j++) mean[j]! /= Math.max(rows, 1);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) sq[j]! += (data[i * cols + j]! - mean[j]!) ** 2;
  const std = sq.map((s) => {
    const v = Math.sqrt(s / Math.max(rows, 1));
    return v > 0 ? v : 1;
  });
  return { mean, std };
}

/** (x − mean) / std per column, into a new float32 matrix. */
export function standardizeColumns(m: Matrix, mean: readonly number[], std: readonly number[]): Matrix {
  const out = new Matrix(m.rows, m.cols);
  const c = m.cols;
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < c; j++) out.data[i * c + j] = (m.data[i * c + j]! - mean[j]!) / std[j]!;
  return out;
}

/** The network inputs for raw inputs x. */
export function applyInput(p: Preprocessing, x: Matrix): Matrix {
  const t = p.input;
  if (t.kind === 'standardize') {
    if (x.cols !== t.features.length) throw new CliError(`the model takes ${t.features.length} features (${t.features.join(', ')}), the data has ${x.cols}`);
    return standardizeColumns(x, t.mean, t.std);
  }
  if (x.cols !== t.inputs) throw new CliError(`the model takes ${t.inputs} inputs, the data has ${x.cols} columns`);
  const out = new Matrix(x.rows, x.cols);
  for (let i = 0; i < x.data.length; i++) out.data[i] = x.data[i]! * t.scale;
  return out;
}

/** Regression targets in the network's (standardised) units; classification targets as they are. */
export function applyTarget(p: Preprocessing, y: Matrix): Matrix {
  if (p.target === undefined) return y.dtype === 'float32' ? y : y.clone('float32');
  return standardizeColumns(y, p.target.mean, p.target.std);
}

/** Network outputs back in the targets' original units (regression); unchanged otherwise. */
export function restoreTarget(p: Preprocessing, y: Matrix): Matrix {
  const t = p.target;
  if (t === undefined) return y;
  const out = new Matrix(y.rows, y.cols, 'float64');
  const c = y.cols;
  for (let i = 0; i < y.rows; i++) for (let j = 0; j < c; j++) out.data[i * c + j] = y.data[i * c + j]! * t.std[j]! + t.mean[j]!;
  return out;
}

const isNumbers = (v: unknown, n?: number): v is number[] =>
  Array.isArray(v) && (n === undefined || v.length === n) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Check a `preprocessing` field read from a model file; `file` names it in errors. */
export function checkPreprocessing(value: unknown, file: string): Preprocessing {
  const fail = (what: string): never => {
    throw new CliError(`${file}: preprocessing ${what}; was the model written by 'nabla train'?`);
  };
  if (value === undefined) return fail('is missing');
  if (typeof value !== 'object' || value === null) return fail('is not an object');
  const p = value as Record<string, unknown>;
  if (p.source !== 'fashion-mnist' && p.source !== 'mnist' && p.source !== 'csv') fail(`.source is ${excerpt(p.source)}`);
  if (p.task !== 'classification' && p.task !== 'regression') fail(`.task is ${excerpt(p.task)}`);
  if (p.task === 'classification' && !isStrings(p.classes)) fail('.classes must list the class names');
  if (p.source === 'csv' && !isStrings(p.targetNames)) fail('.targetNames must name the target column(s)');
  if (p.path !== undefined && typeof p.path !== 'string') fail(`.path is ${excerpt(p.path)}, expected the training CSV's path`);
  const input = (typeof p.input === 'object' && p.input !== null ? p.input : undefined) as Record<string, unknown> | undefined;
  if (input?.kind === 'scale') {
    if (typeof input.scale !== 'number' || typeof input.inputs !== 'number') fail('.input needs scale and inputs');
  } else if (input?.kind === 'standardize') {
    if (!isStrings(input.features)) fail('.input.features must be column names');
    const n = (input.features as string[]).length;
    if (!isNumbers(input.mean, n) || !isNumbers(input.std, n)) fail(`.input.mean and .input.std need ${n} numbers`);
  } else fail(`.input.kind is ${excerpt(input?.kind)}`);
  const target = (typeof p.target === 'object' && p.target !== null ? p.target : undefined) as Record<string, unknown> | undefined;
  if (p.task === 'regression') {
    if (target === undefined || !isStrings(target.names)) fail('.target.names must name the target columns');
    const n = (target!.names as string[]).length;
    if (!isNumbers(target!.mean, n) || !isNumbers(target!.std, n)) fail(`.target.mean and .target.std need ${n} numbers`);
  }
  const split = (typeof p.split === 'object' && p.split !== null ? p.split : undefined) as Record<string, unknown> | undefined;
  if (typeof split?.seed !== 'number' || typeof split.testFraction !== 'number') fail('.split needs seed and testFraction');
  if (!Number.isInteger(split!.seed)) fail(`.split.seed is ${excerpt(split!.seed)}, expected an integer`);
  const tf = split!.testFraction as number;
  if (!(tf > 0 && tf <= 1)) fail(`.split.testFraction is ${excerpt(tf)}, expected a fraction in (0, 1]`);
  if (input?.kind === 'scale' && !(Number.isFinite(input.scale) && (input.scale as number) > 0)) fail(`.input.scale is ${excerpt(input.scale)}, expected a finite number > 0`);
  const stds = [...((input?.kind === 'standardize' ? input.std : []) as number[]), ...((target?.std ?? []) as number[])];
  if (stds.some((s) => !(s > 0))) fail('.input.std and .target.std must be > 0');
  if (p.task === 'classification') {
    const classes = p.classes as string[];
    if (new Set(classes).size !== classes.length) fail(`.classes lists a class twice: ${excerpt(classes)}`);
  }
  return value as Preprocessing;
}

/**
 * Check a model file's preprocessing against its network: as many inputs as the network takes,
 * one class per output (classification) or one target per output (regression), target names
 * that agree. A mismatch would give malformed CSV output or NaN metrics, so it is an error.
 */
export function checkPreprocessingFits(p: Preprocessing, inputs: number, outputs: number, file: string): void {
  const fail = (what: string): never => {
    throw new CliError(`${file}: preprocessing does not fit the network: ${what}`);
  };
  const takes = p.input.kind === 'standardize' ? p.input.features.length : p.input.inputs;
  if (takes !== inputs) fail(`.input describes ${takes} inputs, the network takes ${inputs}`);
  if (p.task === 'classification') {
    const n = p.classes?.length ?? 0;
    if (n !== outputs) fail(`${n} classes, but the network has ${outputs} outputs`);
    if (p.source === 'csv' && p.targetNames?.length !== 1) fail(`classification needs one target column, .targetNames lists ${p.targetNames?.length ?? 0}`);
  } else {
    const names = p.target?.names ?? [];
    if (names.length !== outputs) fail(`${names.length} target columns, but the network has ${outputs} outputs`);
    if (p.source === 'csv' && (p.targetNames?.length !== names.length || names.some((n, i) => p.targetNames?.[i] !== n))) {
      fail(`.targetNames ${excerpt(p.targetNames)} differ from .target.names ${excerpt(names)}`);
    }
  }
}

/**
 * Build the preprocessing from the training rows: pixel scaling (Fashion-MNIST bytes / 255;
 * the mnist package's digits are already in [0, 1]), or CSV standardisation.
 */
export function fitPreprocessing(raw: RawData, seed: number, testFraction: number, cwd: string): Preprocessing {
  const split = { seed, testFraction };
  const classes = raw.classes !== undefined ? { classes: raw.classes } : {};
  if (raw.spec.kind !== 'csv') {
    const scale = raw.spec.kind === 'fashion-mnist' ? 1 / 255 : 1;
    return { source: raw.spec.kind, task: 'classification', ...classes, input: { kind: 'scale', scale, inputs: raw.train.x.cols }, split };
  }
  const { mean, std } = columnStats(raw.train.x);
  const targetNames = raw.targetNames ?? [];
  const base = { source: 'csv' as const, path: resolve(cwd, raw.spec.path), task: raw.task, targetNames, ...classes, split };
  const input = { kind: 'standardize' as const, features: raw.featureNames ?? [], mean, std };
  if (raw.task === 'classification') return { ...base, input };
  return { ...base, input, target: { names: targetNames, ...columnStats(raw.train.y) } };
}
