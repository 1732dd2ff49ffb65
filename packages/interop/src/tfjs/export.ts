import { type MLP, ModelFormatError, type OutputName } from '@nabla/core';
import { PRODUCER, VERSION } from '../version.js';
import type { TfjsArtifacts, TfjsModelJSON, TfjsWeightSpec } from './format.js';

export type { TfjsArtifacts, TfjsModelJSON, TfjsWeightSpec } from './format.js';

/** Keras activation names for Nabla's; leaky-relu has none and becomes a LeakyReLU layer. */
const kerasActivation: Record<OutputName, string | undefined> = {
  linear: 'linear',
  relu: 'relu',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  softplus: 'softplus',
  softmax: 'softmax',
  'leaky-relu': undefined,
};

/**
 * The network as a tfjs layers model in memory: a Keras `Sequential` of `Dense` layers named
 * `dense_1` ... `dense_L` (a leaky-relu layer is a linear Dense followed by `LeakyReLU` with
 * alpha 0.01), kernels stored [n_{k−1}, n_k] as Keras does, weights concatenated in manifest
 * order. `tf.loadLayersModel(tf.io.fromMemory(toTfjs(net)))` loads it; the loss travels in
 * `userDefinedMetadata.nabla.loss`.
 */
export function toTfjs(net: MLP): TfjsArtifacts {
  const params = net.getParameters();
  const L = params.length;
  const layers: unknown[] = [];
  const weightSpecs: TfjsWeightSpec[] = [];
  const chunks: Float32Array[] = [];
  for (let k = 1; k <= L; k++) {
    const p = params[k - 1]!;
    const act: OutputName = k < L ? net.activation[k - 1]! : net.output;
    if (!(act in kerasActivation)) throw new ModelFormatError(`toTfjs: no Keras activation for ${JSON.stringify(act)}`);
    const name = `dense_${k}`;
    const rows = p.weights.rows;
    const cols = p.weights.cols;
    const config: Record<string, unknown> = {
      units: rows,
      activation: kerasActivation[act] ?? 'linear',
      use_bias: true,
      kernel_initializer: { class_name: 'Zeros', config: {} },
      bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
      name,
      trainable: true,
      dtype: 'float32',
    };
    if (k === 1) config.batch_input_shape = [null, cols];
    layers.push({ class_name: 'Dense', config });
    if (act === 'leaky-relu') layers.push({ class_name: 'LeakyReLU', config: { alpha: 0.01, name: `leaky_re_lu_${k}`, trainable: true, dtype: 'float32' } });
    // Keras keeps the kernel as [n_in, n_out]: the transpose of Nabla's W^k.
    const kernel = new Float32Array(rows * cols);
    const w = p.weights.data;
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) kernel[j * rows + i] = w[i * cols + j]!;
    chunks.push(kernel, Float32Array.from(p.bias));
    weightSpecs.push({ name: `${name}/kernel`, shape: [cols, rows], dtype: 'float32' }, { name: `${name}/bias`, shape: [rows], dtype: 'float32' });
  }
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const all = new Float32Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return {
    format: 'layers-model',
    generatedBy: `${PRODUCER} ${VERSION}`,
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'nabla_mlp', layers },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightSpecs,
    weightData: all.buffer,
    userDefinedMetadata: { nabla: { loss: net.loss, sizes: [...net.sizes] } },
  };
}

/**
 * The network as the files of a tfjs layers model: `model.json` (as an object; write it with
 * JSON.stringify) whose manifest points to one weights file, and that file's bytes.
 * `tf.loadLayersModel('file://…/model.json')` or an HTTP URL to the folder loads it.
 */
export function toTfjsFiles(net: MLP, weightsPath = 'weights.bin'): { modelJson: TfjsModelJSON; weightsPath: string; weights: Uint8Array } {
  if (typeof weightsPath !== 'string' || weightsPath === '' || weightsPath.includes('/') || weightsPath === 'model.json') {
    throw new ModelFormatError(`toTfjsFiles: weightsPath must be a plain file name other than model.json, got ${JSON.stringify(weightsPath)}`);
  }
  const a = toTfjs(net);
  const { weightSpecs, weightData, ...rest } = a;
  const modelJson: TfjsModelJSON = { ...rest, weightsManifest: [{ paths: [weightsPath], weights: weightSpecs }] };
  return { modelJson, weightsPath, weights: new Uint8Array(weightData as ArrayBuffer) };
}
