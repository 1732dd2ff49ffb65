import type { MLP, OutputName } from '@nabla/core';
import { ModelFormatError } from '@nabla/core';
import { PRODUCER, VERSION } from '../version.js';
import { AttributeType, DataType, type Attribute, ModelProto, type Node, type Tensor, type ValueInfo } from './schema.js';

/** Options of `toOnnx`. */
export interface ToOnnxOptions {
  /** Name of the graph input, shape [batch, n_0]. Default `'input'`. */
  readonly inputName?: string;
  /** Name of the graph output, shape [batch, n_L]. Default `'output'`. */
  readonly outputName?: string;
  /** Name of the symbolic batch dimension. Default `'batch'`. */
  readonly batchDim?: string;
}

const defaults = { inputName: 'input', outputName: 'output', batchDim: 'batch' } as const;

/** The operator set the export targets: Gemm, Softmax(axis = -1) and friends as of ONNX opset 13. */
export const ONNX_OPSET = 13;
/** IR version 7 is the one that goes with opset 13 (ONNX 1.8). */
export const ONNX_IR_VERSION = 7;

function floatTensor(name: string, dims: number[], values: ArrayLike<number>): Tensor {
  // raw_data holds little-endian float32s; Float32Array is little-endian on every platform Node runs on.
  const data = Float32Array.from(values);
  return { name, dims, dataType: DataType.FLOAT, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

function valueInfo(name: string, batchDim: string, width: number): ValueInfo {
  return {
    name,
    type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimParam: batchDim }, { dimValue: width }] } } },
  };
}

/** The ONNX operator (and its attributes) for one of Nabla's activations; undefined for linear. */
function activationNode(act: OutputName, input: string, output: string, name: string): Node | undefined {
  const node = (opType: string, attribute: Attribute[] = []): Node => ({ name, opType, input: [input], output: [output], attribute });
  switch (act) {
    case 'linear':
      return undefined;
    case 'relu':
      return node('Relu');
    case 'leaky-relu':
      return node('LeakyRelu', [{ name: 'alpha', type: AttributeType.FLOAT, f: 0.01 }]);
    case 'sigmoid':
      return node('Sigmoid');
    case 'tanh':
      return node('Tanh');
    case 'softplus':
      return node('Softplus');
    case 'softmax':
      return node('Softmax', [{ name: 'axis', type: AttributeType.INT, i: -1 }]);
    default:
      throw new ModelFormatError(`toOnnx: no ONNX operator for activation ${JSON.stringify(act)}`);
  }
}

/**
 * The network as an ONNX model (opset 13, float32): per layer k a `Gemm` node `layer{k}` with
 * transB = 1 (so W^k is stored in Nabla's n_k x n_{k−1} layout, as PyTorch does) followed by its
 * activation as an ONNX operator; the head (Softmax, Sigmoid, ...) last. The input is
 * [batch, n_0] with a symbolic batch dimension. A float64 network is written rounded to float32.
 * The loss is kept in the metadata (`nabla.loss`) so `fromOnnx` restores it.
 */
export function toOnnx(net: MLP, options: ToOnnxOptions = {}): Uint8Array {
  const o = { ...defaults, ...options };
  for (const key of ['inputName', 'outputName', 'batchDim'] as const) {
    if (typeof o[key] !== 'string' || o[key] === '') throw new ModelFormatError(`toOnnx: ${key} must be a non-empty string, got ${JSON.stringify(o[key])}`);
  }
  if (o.inputName === o.outputName) throw new ModelFormatError(`toOnnx: inputName and outputName are both ${JSON.stringify(o.inputName)}`);
  const params = net.getParameters();
  const L = params.length;
  const nodes: Node[] = [];
  const initializer: Tensor[] = [];
  let current = o.inputName;
  for (let k = 1; k <= L; k++) {
    const p = params[k - 1]!;
    const act: OutputName = k < L ? net.activation[k - 1]! : net.output;
    const wName = `layer${k}.weight`;
    const bName = `layer${k}.bias`;
    initializer.push(floatTensor(wName, [p.weights.rows, p.weights.cols], p.weights.data));
    initializer.push(floatTensor(bName, [p.bias.length], p.bias));
    const last = k === L;
    const gemmOut = last && act === 'linear' ? o.outputName : `layer${k}.f`;
    nodes.push({
      name: `layer${k}`,
      opType: 'Gemm',
      input: [current, wName, bName],
      output: [gemmOut],
      attribute: [{ name: 'transB', type: AttributeType.INT, i: 1 }],
    });
    current = gemmOut;
    const actOut = last ? o.outputName : `layer${k}.g`;
    const actNode = activationNode(act, current, actOut, `layer${k}.${act}`);
    if (actNode !== undefined) {
      nodes.push(actNode);
      current = actOut;
    }
  }
  const model = ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: PRODUCER,
    producerVersion: VERSION,
    docString: `Nabla MLP ${net.sizes.join('-')}`,
    graph: {
      name: 'nabla_mlp',
      node: nodes,
      initializer,
      input: [valueInfo(o.inputName, o.batchDim, net.inputSize)],
      output: [valueInfo(o.outputName, o.batchDim, net.outputSize)],
    },
    metadataProps: [
      { key: 'nabla.loss', value: net.loss },
      { key: 'nabla.sizes', value: net.sizes.join(',') },
    ],
  });
  return ModelProto.encode(model).finish();
}
