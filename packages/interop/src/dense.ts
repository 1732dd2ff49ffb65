import { type ActivationName, Matrix, MLP, ModelFormatError, type LossName, type OutputName } from '@nabla/core';

/**
 * One dense layer read from another format: W as `rows` (n_out) x `cols` (n_in) in Nabla's
 * row-major layout, b of length n_out, and the function applied after it.
 */
export interface DenseLayer {
  readonly weights: Float32Array;
  readonly rows: number;
  readonly cols: number;
  readonly bias: Float32Array;
  readonly activation: OutputName;
  /** Where the layer came from, for error messages: `node "fc1" (Gemm)` or `layer "dense_1"`. */
  readonly source: string;
}

const losses: readonly LossName[] = ['cross-entropy', 'binary-cross-entropy', 'mse'];

/** The loss a model file from elsewhere most likely trained with, given its output function. */
export function lossFor(output: OutputName, stored: string | undefined): LossName {
  if (stored !== undefined && (losses as readonly string[]).includes(stored)) {
    const loss = stored as LossName;
    const fits = loss === 'mse' ? output !== 'softmax' : loss === 'cross-entropy' ? output === 'softmax' : output === 'sigmoid';
    if (fits) return loss;
  }
  if (output === 'softmax') return 'cross-entropy';
  if (output === 'sigmoid') return 'binary-cross-entropy';
  return 'mse';
}

/**
 * Build a float32 MLP from a chain of dense layers, checking that each layer's input width is
 * the previous layer's output width and that softmax appears only at the end.
 */
export function buildMLP(fn: string, layers: readonly DenseLayer[], storedLoss?: string): MLP {
  if (layers.length === 0) throw new ModelFormatError(`${fn}: the model has no dense layer`);
  for (let k = 1; k < layers.length; k++) {
    const prev = layers[k - 1]!;
    const cur = layers[k]!;
    if (cur.cols !== prev.rows) {
      throw new ModelFormatError(
        `${fn}: weight shapes do not chain: ${cur.source} takes ${cur.cols} inputs, but ${prev.source} gives ${prev.rows} outputs`,
      );
    }
  }
  layers.forEach((l, k) => {
    if (l.activation === 'softmax' && k < layers.length - 1) {
      throw new ModelFormatError(`${fn}: softmax after ${l.source} is only supported on the last layer`);
    }
  });
  const last = layers[layers.length - 1]!;
  const net = new MLP({
    sizes: [layers[0]!.cols, ...layers.map((l) => l.rows)],
    activation: layers.slice(0, -1).map((l) => l.activation as ActivationName),
    output: last.activation,
    loss: lossFor(last.activation, storedLoss),
    dtype: 'float32',
  });
  net.setParameters(layers.map((l) => ({ weights: new Matrix(l.rows, l.cols, l.weights), bias: l.bias })));
  return net;
}
