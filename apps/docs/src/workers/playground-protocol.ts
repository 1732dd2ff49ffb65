// The playground's state and the messages between its page and its worker. The page owns the
// configuration (and the URL that encodes it); the worker owns the data, the network and its
// training, and posts snapshots whose large arrays travel as transferable buffers.

export type DatasetName = 'circle' | 'xor' | 'gauss' | 'spiral' | 'blobs' | 'spiral3' | 'mnist' | 'plane' | 'multigauss' | 'csv';
export const classificationSets: readonly DatasetName[] = ['circle', 'xor', 'gauss', 'spiral', 'blobs', 'spiral3', 'mnist'];
export const regressionSets: readonly DatasetName[] = ['plane', 'multigauss'];
export const datasetLabels: Readonly<Record<DatasetName, string>> = {
  circle: 'Circle',
  xor: 'Exclusive or',
  gauss: 'Two Gaussians',
  spiral: 'Spiral',
  blobs: 'k Gaussian blobs',
  spiral3: 'Three-arm spiral',
  mnist: 'MNIST digits (1,000 images)',
  plane: 'Plane (regression)',
  multigauss: 'Multi-Gaussian (regression)',
  csv: 'Your CSV file',
};

export type FeatureName = 'x1' | 'x2' | 'x1sq' | 'x2sq' | 'x1x2' | 'sinx1' | 'sinx2' | 'cosx1' | 'cosx2';
export const featureNames: readonly FeatureName[] = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2', 'cosx1', 'cosx2'];
export const featureLabels: Readonly<Record<FeatureName, string>> = {
  x1: 'x₁',
  x2: 'x₂',
  x1sq: 'x₁²',
  x2sq: 'x₂²',
  x1x2: 'x₁x₂',
  sinx1: 'sin x₁',
  sinx2: 'sin x₂',
  cosx1: 'cos x₁',
  cosx2: 'cos x₂',
};

export type HiddenActivation = 'relu' | 'tanh' | 'sigmoid' | 'linear' | 'leaky-relu' | 'softplus';
export const activationChoices: readonly HiddenActivation[] = ['relu', 'tanh', 'sigmoid', 'linear', 'leaky-relu', 'softplus'];
export type OptimizerChoice = 'sgd' | 'momentum' | 'nesterov' | 'adam' | 'rmsprop';
export const optimizerChoices: readonly OptimizerChoice[] = ['sgd', 'momentum', 'nesterov', 'adam', 'rmsprop'];
export type ScheduleChoice = 'constant' | 'step' | 'exponential' | 'cosine';
export const scheduleChoices: readonly ScheduleChoice[] = ['constant', 'step', 'exponential', 'cosine'];
export type CheckpointChoice = 'none' | 'every' | 'sqrt' | 'budget';
export const checkpointChoices: readonly CheckpointChoice[] = ['none', 'every', 'sqrt', 'budget'];
export type Regularization = 'none' | 'l1' | 'l2';
export type Problem = 'classification' | 'regression';

/** Everything that defines a run; the URL holds exactly this (plus the hidden controls). */
export interface PlaygroundConfig {
  readonly dataset: DatasetName;
  /** Noise, 0 ... 50 (percent of the data's scale), as in TensorFlow Playground. */
  readonly noise: number;
  /** Percentage of the samples used for training, 10 ... 90. */
  readonly trainRatio: number;
  /** Samples generated in all. */
  readonly samples: number;
  /** Classes of the k-blobs set. */
  readonly classes: number;
  /** Seed of the data (changed by "regenerate"). */
  readonly dataSeed: number;
  readonly features: readonly FeatureName[];
  /** Widths of the hidden layers. */
  readonly hidden: readonly number[];
  /** One activation per hidden layer. */
  readonly activations: readonly HiddenActivation[];
  /** One dropout rate per hidden layer, in [0, 0.9]. */
  readonly dropout: readonly number[];
  readonly learningRate: number;
  readonly batchSize: number;
  readonly regularization: Regularization;
  readonly regRate: number;
  readonly problem: Problem;
  /** Seed of the initialisation, of shuffling and of the dropout masks. */
  readonly seed: number;
  readonly optimizer: OptimizerChoice;
  readonly schedule: ScheduleChoice;
  readonly checkpoint: CheckpointChoice;
  /** k of "every k" and s of "budget s". */
  readonly checkpointK: number;
  /** Cells per side of the decision-boundary heatmap; 0 turns the heatmap off. */
  readonly resolution: number;
  /** Stop when the training loss falls to this (0: never). */
  readonly targetLoss: number;
  /** Stop after this many epochs (0: never). */
  readonly maxEpochs: number;
  /** Batches per second when slowed down (0: full speed). */
  readonly slowMotion: number;
}

export const defaultConfig: PlaygroundConfig = {
  dataset: 'circle',
  noise: 0,
  trainRatio: 50,
  samples: 500,
  classes: 3,
  dataSeed: 1,
  features: ['x1', 'x2'],
  hidden: [4, 2],
  activations: ['tanh', 'tanh'],
  dropout: [0, 0],
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'none',
  regRate: 0,
  problem: 'classification',
  seed: 1,
  optimizer: 'sgd',
  schedule: 'constant',
  checkpoint: 'none',
  checkpointK: 2,
  resolution: 50,
  targetLoss: 0,
  maxEpochs: 0,
  slowMotion: 0,
};

/** Most hidden layers and units per layer the controls allow (TensorFlow Playground: 6 x 8). */
export const MAX_LAYERS = 12;
export const MAX_UNITS = 64;
/** Side of the per-unit heatmaps. */
export const UNIT_GRID = 16;
/** Most units for which the worker computes per-unit heatmaps. */
export const MAX_UNIT_MAPS = 96;
/** The square the 2-D data lives in (x1 and x2 in [-6, 6], as in TensorFlow Playground). */
export const DOMAIN: readonly [number, number] = [-6, 6];

/** A CSV file's data as the page picked it: two feature columns and a label or target column. */
export interface CsvChoice {
  readonly name: string;
  readonly text: string;
  readonly x1: string;
  readonly x2: string;
  readonly target: string;
}

export type ToWorker =
  | {
      readonly type: 'config';
      readonly config: PlaygroundConfig;
      readonly csv?: CsvChoice;
      readonly model?: string;
      /** Where the MNIST subset is served (static/workers/playground-mnist.bin). */
      readonly mnistUrl?: string;
    }
  | { readonly type: 'play' }
  | { readonly type: 'pause' }
  | { readonly type: 'step'; readonly batches: number }
  | { readonly type: 'reset' }
  | { readonly type: 'checkpoint'; readonly checkpoint: CheckpointChoice; readonly checkpointK: number }
  | { readonly type: 'view'; readonly resolution: number; readonly slowMotion: number; readonly targetLoss: number; readonly maxEpochs: number }
  | { readonly type: 'export' }
  /** The page has drawn the last snapshot: the worker may send the next. */
  | { readonly type: 'drawn' }
  /** Set W^layer[row][col] (a click on an edge). */
  | { readonly type: 'weight'; readonly layer: number; readonly row: number; readonly col: number; readonly value: number };

/** The data set as drawn: 2-D points (in DOMAIN), labels (class or target), train or test. */
export interface DataMessage {
  readonly type: 'data';
  /** x1, x2 interleaved, train points first. */
  readonly points: Float64Array;
  readonly targets: Float64Array;
  readonly trainCount: number;
  /** Classes (0 for regression). */
  readonly classes: number;
  readonly classNames?: readonly string[];
  readonly sizes: readonly number[];
  readonly domain: { readonly x: readonly [number, number]; readonly y: readonly [number, number] };
  /** Where the data came from, for the page ("CSV file a.csv: 200 rows", ...). */
  readonly description: string;
  /** Image data (MNIST): the first IMAGES_SHOWN test images, side x side bytes each. */
  readonly images?: Uint8Array;
  readonly imageSide?: number;
}

/** Test images drawn with the network's prediction in image mode. */
export const IMAGES_SHOWN = 40;

export interface Metrics {
  readonly trainLoss: number;
  readonly testLoss: number;
  /** Classification: accuracy on train and test. */
  readonly trainAccuracy?: number;
  readonly testAccuracy?: number;
  /** Classification: confusion[i * k + j] counts test samples of class i predicted as j. */
  readonly confusion?: readonly number[];
  /** Regression: on the test set. */
  readonly r2?: number;
  readonly rmse?: number;
}

export interface CheckpointReport {
  /** The strategy as the engine took it. */
  readonly strategy: CheckpointChoice;
  readonly k: number;
  readonly forwardEvaluations: number;
  readonly peakActivations: number;
  readonly peakActivationBytes: number;
  /** Rows of the batch this was measured on. */
  readonly batch: number;
  /** Largest |difference| between this strategy's gradient and store-all's, on the same batch. */
  readonly maxGradDiff: number;
}

export interface SnapshotMessage {
  readonly type: 'snapshot';
  readonly steps: number;
  readonly epoch: number;
  /** Samples seen in the current epoch. */
  readonly inEpoch: number;
  readonly trainCount: number;
  readonly metrics: Metrics;
  readonly running: boolean;
  /** Flat parameters: for each layer k, W^k row-major then b^k. */
  readonly params: Float64Array;
  readonly sizes: readonly number[];
  /** Decision-boundary grid: rows x cols x outputs, row 0 at y min. */
  readonly grid?: Float32Array;
  readonly gridSide: number;
  readonly outputs: number;
  /** Per-unit maps: for every unit of every layer 1..L (up to MAX_UNIT_MAPS), UNIT_GRID² values. */
  readonly unitMaps?: Float32Array;
  readonly checkpoint?: CheckpointReport;
  /** When paused or in slow motion: the training-set indices of the batch trained last. */
  readonly lastBatch?: Uint32Array;
  /** Image mode: the predicted class of each drawn test image, and g^0 ... g^L of the first. */
  readonly predictions?: Int32Array;
  readonly activations?: number[][];
  /** Training samples per second since the last snapshot (0 when paused). */
  readonly samplesPerSecond: number;
  readonly learningRate: number;
}

export type FromWorker =
  | { readonly type: 'ready'; readonly variant: string }
  | DataMessage
  | SnapshotMessage
  | { readonly type: 'stopped'; readonly reason: 'diverged' | 'target' | 'epochs'; readonly message: string }
  | { readonly type: 'error'; readonly message: string; readonly source: 'csv' | 'data' | 'model' | 'config' }
  | { readonly type: 'model'; readonly json: string };
