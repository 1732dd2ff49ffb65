/**
 * Boundary checks of the public engine API that the entry points call in one line each, so a
 * wrong type or size gives one clear Nabla error instead of a TypeError from inside.
 */
import { ConfigError, DataError, ShapeError } from './base/errors.js';
import { MAX_LAYER_WIDTH, MAX_PARAMETERS, excerpt, formatBytes } from './base/limits.js';
import type { DType } from './matrix/alloc.js';

/** Check `new MLP`'s layer sizes against the documented limits before anything is allocated. */
export function checkNetworkSize(sizes: readonly number[], dtype: DType): void {
  let params = 0;
  for (let k = 0; k < sizes.length; k++) {
    const n = sizes[k]!;
    if (n > MAX_LAYER_WIDTH) throw new ConfigError(`MLP: sizes[${k}] is ${n}, more than the limit of ${MAX_LAYER_WIDTH} units per layer`);
    if (k > 0) params += n * (sizes[k - 1]! + 1);
  }
  if (params > MAX_PARAMETERS) {
    const bytes = params * (dtype === 'float64' ? 8 : 4) * 2;
    throw new ConfigError(
      `MLP: sizes ${excerpt(sizes)} have ${params} parameters, which would need ${formatBytes(bytes)} (${dtype} weights and gradients); the limit is ${MAX_PARAMETERS} parameters`,
    );
  }
}

/** Check `activation` is a name or a list of names before it is read. */
export function checkActivationOption(activation: unknown): void {
  if (activation === undefined || typeof activation === 'string' || Array.isArray(activation)) return;
  throw new ConfigError(`MLP: activation must be a name or a list of names, got ${excerpt(activation)}`);
}

/** Check `dropout` is a rate or a list of rates before it is read. */
export function checkDropoutOption(dropout: unknown): void {
  if (dropout === undefined || typeof dropout === 'number' || Array.isArray(dropout)) return;
  throw new ConfigError(`MLP: dropout must be a rate or a list of rates, got ${excerpt(dropout)}`);
}

/** Check one sample of `activationsOf` is an array of numbers before it is read. */
export function checkSample(sample: unknown, caller: string): void {
  if (sample === null || typeof sample !== 'object' || typeof (sample as { length?: unknown }).length !== 'number') {
    throw new ShapeError(`${caller}: sample must be an array of numbers, got ${excerpt(sample)}`);
  }
}

/** Check a samples-as-rows argument (x or y) is a Matrix or an array of rows before it is read. */
export function checkRows(value: unknown, name: string): void {
  if (value === null || value === undefined || typeof value !== 'object' || typeof (value as { length?: unknown }).length !== 'number') {
    if (value !== null && typeof value === 'object' && 'rows' in value && 'cols' in value && 'data' in value) return;
    throw new ShapeError(`${name} must be a Matrix or an array of rows, got ${excerpt(value)}`);
  }
}

/** Check `train`'s data is `{ x, y }` with both present. */
export function checkTrainData(data: unknown): void {
  if (data === null || typeof data !== 'object') throw new ConfigError(`train: data must be { x, y }, got ${excerpt(data)}`);
  const d = data as { x?: unknown; y?: unknown };
  if (d.x === undefined || d.x === null) throw new DataError('train: data.x is missing; data must be { x, y }');
  if (d.y === undefined || d.y === null) throw new DataError('train: data.y is missing; data must be { x, y }');
}

/** Check `train`'s options object and the options whose wrong values would be silently replaced. */
export function checkTrainOptions(options: unknown): void {
  if (options === null || typeof options !== 'object') throw new ConfigError(`train: options must be an object, got ${excerpt(options)}`);
  const o = options as { optimizer?: unknown; seed?: unknown; earlyStopping?: unknown; validation?: unknown };
  const es = o.earlyStopping;
  if (es !== undefined && typeof es !== 'boolean' && (es === null || typeof es !== 'object' || Array.isArray(es))) {
    throw new ConfigError(`train: earlyStopping must be true, false or an options object, got ${excerpt(es)}`);
  }
  const yieldEvery = (options as { yieldEveryMs?: unknown }).yieldEveryMs;
  if (yieldEvery !== undefined && typeof yieldEvery !== 'number') throw new ConfigError(`train: yieldEveryMs must be a number >= 0, got ${excerpt(yieldEvery)}`);
  const minDelta = typeof es === 'object' && es !== null ? (es as { minDelta?: unknown }).minDelta : undefined;
  if (minDelta !== undefined && typeof minDelta !== 'number') throw new ConfigError(`train: earlyStopping.minDelta must be a number >= 0, got ${excerpt(minDelta)}`);
  const threads = (options as { threads?: unknown }).threads;
  if (threads !== undefined && threads !== 'all' && threads !== 'auto') throw new ConfigError(`train: threads must be 'all' or 'auto', got ${excerpt(threads)}`);
  const v = o.validation;
  if (v !== undefined && (v === null || typeof v !== 'object' || Array.isArray(v))) throw new ConfigError(`train: validation must be { x, y }, got ${excerpt(v)}`);
  if ('optimizer' in o && o.optimizer === null) throw new ConfigError('train: optimizer is null; pass an optimizer such as adam(), or leave it out for the default');
  if (o.seed !== undefined && (typeof o.seed !== 'number' || !Number.isInteger(o.seed))) {
    throw new ConfigError(`train: seed must be an integer, got ${excerpt(o.seed)}`);
  }
}

/** Check an optimiser factory's options argument is an object (or left out). */
export function checkOptimizerOptions(name: string, options: unknown): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigError(`${name}: options must be an object such as { learningRate: 0.01 }, got ${excerpt(options)}`);
  }
}

/** Check `setParameters`'s list holds one `{ weights, bias }` object per layer. */
export function checkParameterList(params: unknown, layers: number): void {
  if (!Array.isArray(params)) return;
  for (let k = 0; k < params.length && k < layers; k++) {
    const p = params[k] as unknown;
    if (p === null || typeof p !== 'object') throw new ShapeError(`MLP.setParameters: layer ${k + 1} must be { weights, bias }, got ${excerpt(p)}`);
    const { weights, bias } = p as { weights?: unknown; bias?: unknown };
    checkRows(weights, `MLP.setParameters: layer ${k + 1} weights`);
    if (bias === null || typeof bias !== 'object' || typeof (bias as { length?: unknown }).length !== 'number') {
      throw new ShapeError(`MLP.setParameters: layer ${k + 1} bias must be an array of numbers, got ${excerpt(bias)}`);
    }
  }
}

/** Check a value written into a `dtype` array stayed finite (float32 overflows beyond 3.4e38). */
export function checkFiniteIn(dtype: DType, stored: number, given: number, what: string): void {
  if (stored - stored !== 0) {
    throw new DataError(`${what} is ${excerpt(given)}, which is not finite in ${dtype} (largest ${dtype === 'float32' ? '3.4028234663852886e38' : '1.7976931348623157e308'})`);
  }
}

const training = new WeakSet<object>();

/**
 * Mark `net` as being trained; throws a ConfigError when it already is (two concurrent
 * `train` calls would interleave their steps on the same parameters). Returns the release.
 */
export function claimTraining(net: object): () => void {
  if (training.has(net)) throw new ConfigError('train: this network is already being trained by another train() call; await it first, or train a clone()');
  training.add(net);
  return () => {
    training.delete(net);
  };
}
