import { activationNames } from './activations.js';
import { ModelFormatError } from './base/errors.js';
import { initNames, type InitName } from './init.js';
import { type LossName, lossNames } from './losses.js';
import { MAX_JSON_DEPTH, excerpt, tooDeep } from './base/limits.js';
import type { DType } from './matrix/alloc.js';
import { type KernelVariant, kernelVariants } from './matrix/gemm.js';
import { checkNetworkSize } from './validate.js';

/** The `format` tag of Nabla model files. */
export const MODEL_FORMAT = 'nabla-mlp';
/** The current model format version. */
export const MODEL_VERSION = 1;

/** One layer of a model file: W^k as n_k rows of n_{k−1} numbers, b^k, and its function. */
export interface LayerJSON {
  /** The layer's activation; for the last layer, the output function ('softmax', ...). */
  readonly activation: string;
  /** Inverted-dropout rate used in training (0 for the output layer). */
  readonly dropout: number;
  readonly weights: number[][];
  readonly bias: number[];
}

/**
 * A model as plain data: what `MLP.toJSON()` returns and `MLP.fromJSON()` reads, and the
 * network snapshot the views draw.
 */
export interface ModelJSON {
  readonly format: typeof MODEL_FORMAT;
  readonly version: number;
  readonly dtype: DType;
  /** Layer sizes n_0 ... n_L. */
  readonly sizes: number[];
  readonly loss: LossName;
  readonly init: InitName;
  readonly seed: number;
  /**
   * The GEMM kernel variant that trained the parameters (see `KernelVariant`): retraining with
   * the same seed reproduces them bit for bit under that variant. Absent in files of networks
   * never trained, and in files written before it was recorded.
   */
  readonly kernel?: KernelVariant;
  readonly layers: LayerJSON[];
}

const fail = (what: string): never => {
  throw new ModelFormatError(`MLP.fromJSON: ${what}`);
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Check a parsed (or textual) model file against the format and return it typed. Every
 * problem is reported with its path, e.g. `layers[1].weights[3][7] is null`.
 */
export function parseModelJSON(input: unknown): ModelJSON {
  let json = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch (e) {
      const m = (e as Error).message;
      fail(`not valid JSON (${m.length > 200 ? `${m.slice(0, 200)}...` : m})`);
    }
  }
  const deep = tooDeep(json, MAX_JSON_DEPTH);
  if (deep !== undefined) fail(`nested more than ${MAX_JSON_DEPTH} levels deep (at ${deep.length > 80 ? `${deep.slice(0, 80)}...` : deep || 'the top'}); a model file has 5`);
  if (!isObject(json)) return fail(`expected an object, got ${json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json}`);
  if (json.format !== MODEL_FORMAT) fail(`format is ${excerpt(json.format)}, expected "${MODEL_FORMAT}"`);
  if (json.version !== MODEL_VERSION) {
    fail(`version ${excerpt(json.version)} is not supported; this version of @nabla/core reads version ${MODEL_VERSION}`);
  }
  if (json.dtype !== 'float32' && json.dtype !== 'float64') fail(`dtype is ${excerpt(json.dtype)}, expected "float32" or "float64"`);
  if (typeof json.loss !== 'string' || !lossNames.includes(json.loss as LossName)) fail(`loss is ${excerpt(json.loss)}, expected one of ${lossNames.join(', ')}`);
  const init = json.init ?? 'auto';
  if (typeof init !== 'string' || !initNames.includes(init as InitName)) fail(`init is ${excerpt(init)}`);
  const seed = json.seed ?? 1;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) fail(`seed is ${excerpt(seed)}, expected an integer`);
  if (json.kernel !== undefined && !kernelVariants.includes(json.kernel as KernelVariant)) {
    fail(`kernel is ${excerpt(json.kernel)}, expected one of ${kernelVariants.map((k) => `"${k}"`).join(', ')} or absent`);
  }
  const sizes = json.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2) fail(`sizes must list at least 2 layer sizes, got ${excerpt(sizes)}`);
  (sizes as unknown[]).forEach((n, i) => {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) fail(`sizes[${i}] is ${excerpt(n)}, expected an integer >= 1`);
  });
  const sz = sizes as number[];
  try {
    checkNetworkSize(sz, json.dtype as DType);
  } catch (e) {
    fail(`sizes: ${(e as Error).message.replace(/^MLP: /, '')}`);
  }
  // float32 overflows to Infinity beyond 3.4028234663852886e38: check values as the model will store them.
  const finiteIn = json.dtype === 'float32' ? (v: number) => Number.isFinite(Math.fround(v)) : Number.isFinite;
  const expected = json.dtype === 'float32' ? 'a number finite in float32 (|v| <= 3.4028234663852886e38)' : 'a finite number';
  const layers = json.layers;
  if (!Array.isArray(layers)) return fail('layers is missing or not an array');
  if (layers.length !== sz.length - 1) fail(`sizes describe ${sz.length - 1} layers, but layers has ${layers.length}`);
  layers.forEach((layer: unknown, i: number) => {
    const at = `layers[${i}]`;
    if (!isObject(layer)) return fail(`${at} is not an object`);
    const last = i === layers.length - 1;
    const okActivation = (activationNames as readonly unknown[]).includes(layer.activation) || (last && layer.activation === 'softmax');
    if (!okActivation) fail(`${at}.activation is ${excerpt(layer.activation)}`);
    const dropout = layer.dropout ?? 0;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) fail(`${at}.dropout is ${excerpt(dropout)}, expected a rate in [0, 1)`);
    const rows = sz[i + 1]!;
    const cols = sz[i]!;
    const w = layer.weights;
    if (!Array.isArray(w) || w.length !== rows) fail(`${at}.weights must have ${rows} rows (n_${i + 1}), got ${Array.isArray(w) ? w.length : typeof w}`);
    (w as unknown[]).forEach((row, r) => {
      if (!Array.isArray(row) || row.length !== cols) {
        fail(`${at}.weights[${r}] must have ${cols} numbers (n_${i}), got ${Array.isArray(row) ? row.length : typeof row}`);
      }
      (row as unknown[]).forEach((v, c) => {
        if (typeof v !== 'number' || !finiteIn(v)) fail(`${at}.weights[${r}][${c}] is ${excerpt(v)}, expected ${expected}`);
      });
    });
    const b = layer.bias;
    if (!Array.isArray(b) || b.length !== rows) fail(`${at}.bias must have ${rows} numbers, got ${Array.isArray(b) ? b.length : typeof b}`);
    (b as unknown[]).forEach((v, r) => {
      if (typeof v !== 'number' || !finiteIn(v)) fail(`${at}.bias[${r}] is ${excerpt(v)}, expected ${expected}`);
    });
  });
  return { ...(json as unknown as ModelJSON), init: init as InitName, seed: seed as number };
}
