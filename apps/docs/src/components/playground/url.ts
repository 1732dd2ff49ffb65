// The playground's whole state as a query string, so a configuration can be shared as a link,
// and `hide=` for the controls a teacher wants out of the way (TensorFlow Playground's classroom mode).
import {
  activationChoices,
  type CheckpointChoice,
  checkpointChoices,
  type DatasetName,
  datasetLabels,
  defaultConfig,
  type FeatureName,
  featureNames,
  type HiddenActivation,
  MAX_LAYERS,
  MAX_UNITS,
  type OptimizerChoice,
  optimizerChoices,
  type PlaygroundConfig,
  type ScheduleChoice,
  scheduleChoices,
} from '../../workers/playground-protocol';

/** Toggles of the drawing that are part of the shared state. */
export interface ViewState {
  readonly showTest: boolean;
  readonly discretize: boolean;
}

export const defaultView: ViewState = { showTest: false, discretize: false };

/** Every control the page has, by the name `hide=` takes. */
export const controlNames = [
  'playback',
  'dataset',
  'noise',
  'ratio',
  'samples',
  'regenerate',
  'csv',
  'features',
  'layers',
  'activation',
  'dropout',
  'learningRate',
  'batchSize',
  'regularization',
  'regRate',
  'problem',
  'seed',
  'optimizer',
  'schedule',
  'checkpoint',
  'resolution',
  'showTest',
  'discretize',
  'stop',
  'slowMotion',
  'model',
] as const;
export type ControlName = (typeof controlNames)[number];

export interface UrlState {
  readonly config: PlaygroundConfig;
  readonly view: ViewState;
  readonly hide: ReadonlySet<ControlName>;
}

const num = (v: string | null, fallback: number, lo: number, hi: number, integer = false): number => {
  if (v === null || v.trim() === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) return fallback;
  const c = Math.min(hi, Math.max(lo, n));
  return integer ? Math.round(c) : c;
};

const oneOf = <T extends string>(v: string | null, choices: readonly T[], fallback: T): T => (v !== null && (choices as readonly string[]).includes(v) ? (v as T) : fallback);

const list = (v: string | null): string[] | null => (v === null ? null : v === '' ? [] : v.split(','));

const bool = (v: string | null, fallback: boolean): boolean => (v === null ? fallback : v === '1' || v === 'true');

/** Read a query string (with or without '?'); anything missing or invalid takes its default. */
export function parseUrlState(search: string, base: PlaygroundConfig = defaultConfig, baseView: ViewState = defaultView): UrlState {
  const q = new URLSearchParams(search);
  const datasets = Object.keys(datasetLabels) as DatasetName[];
  const hidden = (list(q.get('hidden')) ?? base.hidden.map(String))
    .map((s) => num(s, 1, 1, MAX_UNITS, true))
    .slice(0, MAX_LAYERS);
  const perLayer = <T>(raw: string[] | null, fallback: readonly T[], parse: (s: string | undefined, i: number) => T): T[] => {
    const src = raw ?? fallback.map(String);
    // One value given for a deeper network applies to every layer.
    return hidden.map((_, i) => parse(src.length === 1 ? src[0] : src[i], i));
  };
  const activations = perLayer<HiddenActivation>(list(q.get('activation')), base.activations, (s, i) => oneOf(s ?? null, activationChoices, base.activations[i] ?? 'tanh'));
  const dropout = perLayer<number>(list(q.get('dropout')), base.dropout, (s) => num(s ?? null, 0, 0, 0.9));
  const features = (list(q.get('features')) ?? [...base.features]).filter((f): f is FeatureName => (featureNames as readonly string[]).includes(f));
  const dataset = oneOf(q.get('dataset'), datasets, base.dataset);
  const config: PlaygroundConfig = {
    dataset,
    noise: num(q.get('noise'), base.noise, 0, 50, true),
    trainRatio: num(q.get('ratio'), base.trainRatio, 10, 90, true),
    samples: num(q.get('samples'), base.samples, 20, 2000, true),
    classes: num(q.get('classes'), base.classes, 2, 8, true),
    dataSeed: num(q.get('dataSeed'), base.dataSeed, 0, 2 ** 31 - 1, true),
    features: Array.from(new Set(features)),
    hidden,
    activations,
    dropout,
    learningRate: num(q.get('learningRate'), base.learningRate, 1e-5, 10),
    batchSize: num(q.get('batchSize'), base.batchSize, 1, 1000, true),
    regularization: oneOf(q.get('regularization'), ['none', 'l1', 'l2'] as const, base.regularization),
    regRate: num(q.get('regRate'), base.regRate, 0, 10),
    problem: dataset === 'csv' ? oneOf(q.get('problem'), ['classification', 'regression'] as const, base.problem) : ['plane', 'multigauss'].includes(dataset) ? 'regression' : 'classification',
    seed: num(q.get('seed'), base.seed, 0, 2 ** 31 - 1, true),
    optimizer: oneOf<OptimizerChoice>(q.get('optimizer'), optimizerChoices, base.optimizer),
    schedule: oneOf<ScheduleChoice>(q.get('schedule'), scheduleChoices, base.schedule),
    checkpoint: oneOf<CheckpointChoice>(q.get('checkpoint'), checkpointChoices, base.checkpoint),
    checkpointK: num(q.get('checkpointK'), base.checkpointK, 1, MAX_LAYERS + 1, true),
    resolution: num(q.get('resolution'), base.resolution, 0, 200, true),
    targetLoss: num(q.get('targetLoss'), base.targetLoss, 0, 100),
    maxEpochs: num(q.get('maxEpochs'), base.maxEpochs, 0, 1e6, true),
    slowMotion: num(q.get('slowMotion'), base.slowMotion, 0, 60),
  };
  const view: ViewState = { showTest: bool(q.get('showTest'), baseView.showTest), discretize: bool(q.get('discretize'), baseView.discretize) };
  const hide = new Set((list(q.get('hide')) ?? []).filter((h): h is ControlName => (controlNames as readonly string[]).includes(h)));
  return { config, view, hide };
}

/** The query string of a state (without '?'); parseUrlState(formatUrlState(s)) gives s back. */
export function formatUrlState(state: UrlState): string {
  const c = state.config;
  const q = new URLSearchParams();
  q.set('dataset', c.dataset);
  q.set('noise', String(c.noise));
  q.set('ratio', String(c.trainRatio));
  q.set('samples', String(c.samples));
  if (c.dataset === 'blobs') q.set('classes', String(c.classes));
  q.set('dataSeed', String(c.dataSeed));
  q.set('features', c.features.join(','));
  q.set('hidden', c.hidden.join(','));
  q.set('activation', c.activations.join(','));
  q.set('dropout', c.dropout.join(','));
  q.set('learningRate', String(c.learningRate));
  q.set('batchSize', String(c.batchSize));
  q.set('regularization', c.regularization);
  q.set('regRate', String(c.regRate));
  q.set('problem', c.problem);
  q.set('seed', String(c.seed));
  q.set('optimizer', c.optimizer);
  q.set('schedule', c.schedule);
  q.set('checkpoint', c.checkpoint);
  q.set('checkpointK', String(c.checkpointK));
  q.set('resolution', String(c.resolution));
  q.set('targetLoss', String(c.targetLoss));
  q.set('maxEpochs', String(c.maxEpochs));
  q.set('slowMotion', String(c.slowMotion));
  q.set('showTest', state.view.showTest ? '1' : '0');
  q.set('discretize', state.view.discretize ? '1' : '0');
  if (state.hide.size > 0) q.set('hide', Array.from(state.hide).join(','));
  return q.toString().replace(/%2C/g, ',');
}
