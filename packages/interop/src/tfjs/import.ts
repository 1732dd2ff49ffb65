import { type MLP, ModelFormatError, type OutputName } from '@nabla/core';
import { buildMLP, type DenseLayer } from '../dense.js';
import type { TfjsArtifacts, TfjsModelJSON, TfjsWeightSpec } from './format.js';

const fail = (fn: string, what: string): never => {
  throw new ModelFormatError(`${fn}: ${what}`);
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Nabla's name for a Keras activation, or undefined when Nabla has no such activation. */
function fromKeras(name: unknown): OutputName | undefined {
  switch (name) {
    case undefined:
    case null:
    case 'linear':
      return 'linear';
    case 'relu':
      return 'relu';
    case 'sigmoid':
      return 'sigmoid';
    case 'tanh':
      return 'tanh';
    case 'softplus':
      return 'softplus';
    case 'softmax':
      return 'softmax';
    default:
      return undefined;
  }
}

const kerasLosses: Record<string, string> = {
  categorical_crossentropy: 'cross-entropy',
  categoricalCrossentropy: 'cross-entropy',
  binary_crossentropy: 'binary-cross-entropy',
  binaryCrossentropy: 'binary-cross-entropy',
  mean_squared_error: 'mse',
  meanSquaredError: 'mse',
  mse: 'mse',
};

/** A fresh, aligned ArrayBuffer with a copy of the bytes (a Node Buffer's slice() would share its pool). */
function copyBuffer(bytes: Uint8Array): ArrayBuffer {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out.buffer;
}

function concat(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  if (!Array.isArray(data)) return new Uint8Array(data);
  const total = data.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out;
}

/** Slice the concatenated weights by their specs, checking dtype and that the byte lengths agree. */
function sliceWeights(fn: string, specs: readonly TfjsWeightSpec[], bytes: Uint8Array): Map<string, { shape: number[]; data: Float32Array }> {
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  let offset = 0;
  for (const spec of specs) {
    const name = JSON.stringify(spec?.name);
    if (!isObject(spec) || typeof spec.name !== 'string' || !Array.isArray(spec.shape)) fail(fn, `weight ${name} is not a {name, shape, dtype} entry`);
    if (spec.dtype !== 'float32') fail(fn, `weight ${name} has dtype ${JSON.stringify(spec.dtype)}; only float32 weights are read`);
    if (spec.quantization !== undefined && spec.quantization !== null) fail(fn, `weight ${name} is quantized, which is not supported`);
    if (!spec.shape.every((d) => Number.isInteger(d) && d >= 0)) fail(fn, `weight ${name} has shape ${JSON.stringify(spec.shape)}`);
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const need = count * 4;
    if (offset + need > bytes.length) {
      fail(fn, `weight ${name} with shape [${spec.shape}] needs bytes ${offset}..${offset + need}, but the weight data has only ${bytes.length} bytes`);
    }
    out.set(spec.name, { shape: spec.shape, data: new Float32Array(copyBuffer(bytes.subarray(offset, offset + need))) });
    offset += need;
  }
  if (offset !== bytes.length) fail(fn, `the manifest's shapes account for ${offset} bytes, but the weight data has ${bytes.length}`);
  return out;
}

/** The Sequential's layer list, from tfjs's topology or a Keras model_config wrapper. */
function sequentialLayers(fn: string, topology: unknown): Json[] {
  let t = topology;
  if (isObject(t) && isObject(t.model_config)) t = t.model_config;
  if (!isObject(t)) return fail(fn, 'modelTopology is missing or not an object');
  if (t.class_name !== 'Sequential') fail(fn, `modelTopology is a ${JSON.stringify(t.class_name)} model; only a Sequential of Dense layers is read`);
  const config = t.config;
  const layers = isObject(config) ? config.layers : config;
  if (!Array.isArray(layers)) return fail(fn, 'modelTopology has no layer list');
  return layers as Json[];
}

/**
 * Read a tfjs layers model (the artifacts `model.save` gives an in-memory handler, or
 * `toTfjs` returns) into a float32 MLP. The topology must be a Sequential of Dense layers, each
 * optionally followed by an Activation, ReLU, LeakyReLU (alpha 0.01) or Softmax layer; Dropout,
 * InputLayer and a leading Flatten are passed over. Anything else throws a ModelFormatError
 * naming the layer.
 */
export function fromTfjs(artifacts: TfjsArtifacts, fn = 'fromTfjs'): MLP {
  if (!isObject(artifacts)) fail(fn, `expected tfjs model artifacts ({modelTopology, weightSpecs, weightData}), got ${artifacts === null ? 'null' : typeof artifacts}`);
  if (!Array.isArray(artifacts.weightSpecs)) fail(fn, 'weightSpecs is missing or not an array');
  if (!(artifacts.weightData instanceof ArrayBuffer) && !Array.isArray(artifacts.weightData)) fail(fn, 'weightData is missing or not an ArrayBuffer');
  const weights = sliceWeights(fn, artifacts.weightSpecs, concat(artifacts.weightData));
  const find = (layer: string, part: string): { shape: number[]; data: Float32Array } | undefined => {
    for (const [name, w] of weights) {
      const n = name.replace(/:0$/, '');
      if (n === `${layer}/${part}` || n.endsWith(`/${layer}/${part}`)) return w;
    }
    return undefined;
  };

  const dense: DenseLayer[] = [];
  let declaredInput: number | undefined;
  const setActivation = (act: OutputName, at: string) => {
    const last = dense[dense.length - 1];
    if (last === undefined || last.activation !== 'linear') {
      fail(fn, `${at} comes ${last === undefined ? 'before any Dense layer' : `after ${last.source}, which already applies ${last.activation}`}; only one activation per dense layer is supported`);
    }
    dense[dense.length - 1] = { ...last!, activation: act };
  };
  sequentialLayers(fn, artifacts.modelTopology).forEach((layer, i) => {
    const cls = isObject(layer) ? layer.class_name : undefined;
    const config = isObject(layer) && isObject(layer.config) ? layer.config : {};
    const at = `layer ${JSON.stringify(config.name ?? `#${i}`)} (${String(cls)})`;
    const shape = config.batch_input_shape ?? config.batch_shape;
    if (Array.isArray(shape) && declaredInput === undefined) {
      if (shape.length !== 2) fail(fn, `${at} takes input of shape ${JSON.stringify(shape)}; only [batch, features] is supported`);
      declaredInput = shape[1] as number;
    }
    switch (cls) {
      case 'InputLayer':
      case 'Dropout':
        break;
      case 'Flatten':
        if (dense.length > 0) fail(fn, `${at} comes after a Dense layer; Flatten is only supported first`);
        break;
      case 'Dense': {
        const name = String(config.name);
        const units = config.units;
        const act = fromKeras(config.activation);
        if (act === undefined) fail(fn, `${at} has activation ${JSON.stringify(config.activation)}, which Nabla does not have`);
        const kernel = find(name, 'kernel');
        if (kernel === undefined) return fail(fn, `${at} has no weight named ${JSON.stringify(`${name}/kernel`)} in the manifest`);
        if (kernel.shape.length !== 2 || kernel.shape[1] !== units) fail(fn, `weight ${JSON.stringify(`${name}/kernel`)} has shape [${kernel.shape}], expected [n_in, ${String(units)}]`);
        const [nIn, nOut] = kernel.shape as [number, number];
        let bias: Float32Array = new Float32Array(nOut);
        if (config.use_bias !== false) {
          const b = find(name, 'bias');
          if (b === undefined) return fail(fn, `${at} has no weight named ${JSON.stringify(`${name}/bias`)} in the manifest`);
          if (b.shape.length !== 1 || b.shape[0] !== nOut) fail(fn, `weight ${JSON.stringify(`${name}/bias`)} has shape [${b.shape}], expected [${nOut}]`);
          bias = b.data;
        }
        // Keras stores the kernel as [n_in, n_out]; Nabla's W is its transpose.
        const w = new Float32Array(nIn * nOut);
        for (let r = 0; r < nIn; r++) for (let c = 0; c < nOut; c++) w[c * nIn + r] = kernel.data[r * nOut + c]!;
        dense.push({ weights: w, rows: nOut, cols: nIn, bias, activation: act!, source: at });
        break;
      }
      case 'Activation': {
        const act = fromKeras(config.activation);
        if (act === undefined || act === 'linear') {
          if (act === 'linear') break;
          fail(fn, `${at} has activation ${JSON.stringify(config.activation)}, which Nabla does not have`);
        }
        setActivation(act!, at);
        break;
      }
      case 'ReLU': {
        const slope = config.negative_slope ?? 0;
        const max = config.max_value ?? null;
        const threshold = config.threshold ?? 0;
        if (slope !== 0 || max !== null || threshold !== 0) fail(fn, `${at} has negative_slope ${String(slope)}, max_value ${String(max)}, threshold ${String(threshold)}; only a plain ReLU is supported`);
        setActivation('relu', at);
        break;
      }
      case 'LeakyReLU': {
        const alpha = config.alpha ?? config.negative_slope ?? 0.3;
        if (typeof alpha !== 'number' || Math.fround(alpha) !== Math.fround(0.01)) fail(fn, `${at} has alpha ${String(alpha)}; Nabla's leaky-relu has slope 0.01`);
        setActivation('leaky-relu', at);
        break;
      }
      case 'Softmax': {
        const axis = config.axis ?? -1;
        if (axis !== -1 && axis !== 1 && !(Array.isArray(axis) && axis.length === 1 && (axis[0] === -1 || axis[0] === 1))) fail(fn, `${at} has axis ${JSON.stringify(axis)}; only the last axis is supported`);
        setActivation('softmax', at);
        break;
      }
      default:
        fail(fn, `${at} cannot be mapped to a dense layer or an activation`);
    }
  });
  const first = dense[0];
  if (first !== undefined && declaredInput !== undefined && declaredInput !== null && declaredInput !== first.cols) {
    fail(fn, `weight shapes do not chain: the model takes ${declaredInput} features, but ${first.source} has a kernel for ${first.cols}`);
  }
  const meta = artifacts.userDefinedMetadata;
  const nabla = isObject(meta) && isObject(meta.nabla) ? meta.nabla : undefined;
  const training = isObject(artifacts.trainingConfig) ? artifacts.trainingConfig.loss : undefined;
  const stored = typeof nabla?.loss === 'string' ? nabla.loss : typeof training === 'string' ? kerasLosses[training] : undefined;
  return buildMLP(fn, dense, stored);
}

/**
 * Read a tfjs layers model from its files: the parsed (or textual) `model.json` and the bytes of
 * every weights file its manifest lists, by path. Each manifest group's files must hold exactly
 * the bytes its shapes need.
 */
export function fromTfjsFiles(modelJson: TfjsModelJSON | string, files: Readonly<Record<string, Uint8Array>>): MLP {
  const fn = 'fromTfjsFiles';
  let json: unknown = modelJson;
  if (typeof modelJson === 'string') {
    try {
      json = JSON.parse(modelJson);
    } catch (e) {
      fail(fn, `model.json is not valid JSON (${(e as Error).message})`);
    }
  }
  if (!isObject(json)) return fail(fn, 'model.json is not an object');
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest)) return fail(fn, 'model.json has no weightsManifest array');
  const specs: TfjsWeightSpec[] = [];
  const chunks: ArrayBuffer[] = [];
  manifest.forEach((group: unknown, g: number) => {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) fail(fn, `weightsManifest[${g}] needs paths and weights arrays`);
    const gr = group as { paths: string[]; weights: TfjsWeightSpec[] };
    let have = 0;
    for (const p of gr.paths) {
      const bytes = files[p];
      if (bytes === undefined) fail(fn, `weightsManifest[${g}] lists ${JSON.stringify(p)}, which is missing`);
      have += bytes!.length;
      chunks.push(copyBuffer(bytes!));
    }
    let need = 0;
    for (const w of gr.weights) {
      const count = Array.isArray(w?.shape) ? w.shape.reduce((a: number, b: number) => a * b, 1) : Number.NaN;
      need += count * 4;
      if (!(need <= have)) {
        fail(fn, `weight ${JSON.stringify(w?.name)} with shape ${JSON.stringify(w?.shape)} runs past the end of ${gr.paths.join(', ')} (${have} bytes)`);
      }
    }
    if (need !== have) fail(fn, `weightsManifest[${g}]'s shapes need ${need} bytes, but ${gr.paths.join(', ')} hold ${have}`);
    specs.push(...gr.weights);
  });
  return fromTfjs(
    {
      modelTopology: json.modelTopology,
      weightSpecs: specs,
      weightData: chunks,
      trainingConfig: json.trainingConfig,
      userDefinedMetadata: isObject(json.userDefinedMetadata) ? json.userDefinedMetadata : undefined,
    },
    fn,
  );
}
