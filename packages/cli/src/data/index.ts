import { CliError, UsageError } from '../io.js';
import { loadCsv } from './csv.js';
import { FASHION_CLASSES, fashionDir, loadFashionPart } from './fashion.js';
import { MNIST_CLASSES, loadMnistDigits } from './mnist.js';
import { type Split, limitRows, splitRows } from './rows.js';
import { excerpt } from '@nabla/core';

/** What a data set is for: class labels or real-valued targets. */
export type Task = 'classification' | 'regression';

/** What `--data` names. */
export type DataSpec = { readonly kind: 'fashion-mnist' } | { readonly kind: 'mnist' } | { readonly kind: 'csv'; readonly path: string };

export function parseDataSpec(value: string | undefined): DataSpec {
  if (value === undefined) throw new UsageError('--data is required: fashion-mnist, mnist or csv:PATH');
  if (value === 'fashion-mnist' || value === 'mnist') return { kind: value };
  if (value.startsWith('csv:') && value.length > 4) return { kind: 'csv', path: value.slice(4) };
  throw new UsageError(`invalid --data: ${excerpt(value)}, expected fashion-mnist, mnist or csv:PATH`);
}

/** Options of `loadData`. */
export interface LoadOptions {
  readonly dataDir?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Seed and share of the train/test split of mnist and CSV data (Fashion-MNIST has its own test file). */
  readonly seed: number;
  readonly testFraction: number;
  /** Keep at most this many rows of each part. */
  readonly limit?: number;
  /** CSV only. */
  readonly target?: readonly string[];
  readonly task?: 'auto' | Task;
  readonly features?: readonly string[];
  readonly classes?: readonly string[];
}

/** Raw (not yet normalised) training and test rows, with what is known about them. */
export interface RawData {
  readonly spec: DataSpec;
  readonly task: Task;
  readonly classes?: string[];
  /** CSV: feature and target column names. */
  readonly featureNames?: string[];
  readonly targetNames?: string[];
  readonly train: Split;
  readonly test: Split;
}

/** Load what `--data` names, split into train and test. */
export function loadData(spec: DataSpec, o: LoadOptions): RawData {
  if (spec.kind === 'fashion-mnist') {
    const dir = fashionDir(o.dataDir, o.env);
    return {
      spec,
      task: 'classification',
      classes: FASHION_CLASSES,
      train: loadFashionPart(dir, 'train', o.limit),
      test: loadFashionPart(dir, 'test', o.limit),
    };
  }
  if (spec.kind === 'mnist') {
    const { kept, held } = splitRows(loadMnistDigits(), o.testFraction, o.seed);
    return { spec, task: 'classification', classes: MNIST_CLASSES, train: limitRows(kept, o.limit), test: limitRows(held, o.limit) };
  }
  if (o.target === undefined || o.target.length === 0) throw new UsageError('--target is required with --data csv:PATH: name the column(s) to predict');
  const { data, x, y, file } = loadCsv(spec.path, o.cwd, {
    target: o.target,
    ...(o.task !== undefined ? { task: o.task } : {}),
    ...(o.features !== undefined ? { features: o.features } : {}),
    ...(o.classes !== undefined ? { classes: o.classes } : {}),
  });
  const { kept, held } = splitRows({ x, y }, o.testFraction, o.seed);
  if (kept.x.rows === 0 || held.x.rows === 0) {
    throw new CliError(`${file}: ${x.rows} rows are too few to split into training and test data (test fraction ${o.testFraction})`);
  }
  return {
    spec,
    task: data.task,
    ...(data.classes !== undefined ? { classes: data.classes } : {}),
    featureNames: data.featureNames,
    targetNames: data.targetNames,
    train: limitRows(kept, o.limit),
    test: limitRows(held, o.limit),
  };
}

export { concatRows, rowArgmax, splitRows, takeRows, type Split } from './rows.js';
export { DEBIAN_FASHION_DIR, FASHION_CLASSES, MissingDataError } from './fashion.js';
