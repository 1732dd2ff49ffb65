import { type MLP, ModelFormatError, type OutputName } from '@nabla/core';
import { buildMLP, type DenseLayer } from '../dense.js';
import { type Attribute, DataType, type Model, ModelProto, type Node, type Tensor, toNumber } from './schema.js';

const FN = 'fromOnnx';
const fail = (what: string): never => {
  throw new ModelFormatError(`${FN}: ${what}`);
};

/** A constant: an initializer or a Constant node's value, as float32 with its dims. */
interface Constant {
  readonly dims: number[];
  readonly data: Float32Array;
}

function tensorValues(t: Tensor, where: string): Constant {
  const dims = (t.dims ?? []).map(toNumber);
  const count = dims.reduce((a, b) => a * b, 1);
  if (t.dataLocation === 1) fail(`${where} keeps its data in an external file, which is not supported; save the model with the weights inside`);
  let data: Float32Array;
  const raw = t.rawData;
  if (t.dataType === DataType.FLOAT) {
    if (raw !== undefined && raw.length > 0) {
      if (raw.length !== count * 4) fail(`${where} has dims [${dims}] (${count} floats) but ${raw.length} bytes of raw_data`);
      // Copy: raw_data may sit at an offset that is not a multiple of 4 inside the file's buffer.
      data = new Float32Array(copyBuffer(raw));
    } else {
      data = Float32Array.from(t.floatData ?? []);
    }
  } else if (t.dataType === DataType.DOUBLE) {
    if (raw !== undefined && raw.length > 0) {
      if (raw.length !== count * 8) fail(`${where} has dims [${dims}] (${count} doubles) but ${raw.length} bytes of raw_data`);
      data = Float32Array.from(new Float64Array(copyBuffer(raw)));
    } else {
      data = Float32Array.from(t.doubleData ?? []);
    }
  } else if (t.dataType === DataType.INT64) {
    // Shape constants (e.g. for Reshape) and Dropout's flags: kept so the chain check can name them.
    if (raw !== undefined && raw.length > 0) {
      if (raw.length !== count * 8) fail(`${where} has dims [${dims}] (${count} int64s) but ${raw.length} bytes of raw_data`);
      data = Float32Array.from(new BigInt64Array(copyBuffer(raw)), (v) => Number(v));
    } else {
      data = Float32Array.from((t.int64Data ?? []).map(toNumber));
    }
  } else {
    return fail(`${where} has data type ${t.dataType}; only float32, float64 and int64 tensors are read`);
  }
  if (data.length !== count) fail(`${where} has dims [${dims}] (${count} values) but holds ${data.length}`);
  return { dims, data };
}

/** A fresh, aligned ArrayBuffer with a copy of the bytes (a Node Buffer's slice() would share its pool). */
function copyBuffer(bytes: Uint8Array): ArrayBuffer {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out.buffer;
}

function attr(node: Node, name: string): Attribute | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}
const intAttr = (node: Node, name: string, dflt: number): number => {
  const a = attr(node, name);
  return a === undefined ? dflt : toNumber(a.i);
};
const floatAttr = (node: Node, name: string, dflt: number): number => {
  const a = attr(node, name);
  return a === undefined ? dflt : (a.f ?? 0);
};

function describe(node: Node, index: number): string {
  const name = node.name !== undefined && node.name !== '' ? JSON.stringify(node.name) : `#${index}`;
  return `node ${name} (${node.opType})`;
}

/** W^T: transpose a rows x cols row-major matrix. */
function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j]!;
  return out;
}

interface Pending {
  weights: Float32Array;
  rows: number;
  cols: number;
  bias: Float32Array | undefined;
  activation: OutputName | undefined;
  source: string;
}

function decode(bytes: Uint8Array): Model {
  if (!(bytes instanceof Uint8Array)) fail(`expected the bytes of an .onnx file (a Uint8Array), got ${bytes === null ? 'null' : typeof bytes}`);
  if (bytes.length === 0) fail('the file is empty');
  let model: Model;
  try {
    model = ModelProto.decode(bytes) as unknown as Model;
  } catch (e) {
    return fail(`not an ONNX model, or a truncated one (${bytes.length} bytes): ${(e as Error).message}`);
  }
  if (toNumber(model.irVersion) < 3 || model.graph === undefined || model.graph === null) {
    fail(`not an ONNX model (${bytes.length} bytes): no IR version or graph found`);
  }
  const onnxOpset = (model.opsetImport ?? []).find((o) => o.domain === undefined || o.domain === '' || o.domain === 'ai.onnx');
  if (onnxOpset === undefined) fail('the model imports no ai.onnx operator set');
  return model;
}

/**
 * Read an ONNX model that is a chain of dense layers into a float32 MLP: Nabla's own export;
 * PyTorch's `torch.onnx.export` of an `nn.Sequential` of Linear layers and activations (Gemm
 * with transB = 1, Flatten, Identity, Constant and Dropout nodes, LeakyRelu with alpha 0.01);
 * tf2onnx's MatMul + Add. Relu, LeakyRelu, Sigmoid, Tanh and Softplus map to Nabla's
 * activations, a final Softmax to the softmax head. Anything else throws a ModelFormatError
 * naming the node and its operator.
 */
export function fromOnnx(bytes: Uint8Array): MLP {
  const model = decode(bytes);
  const graph = model.graph!;
  const constants = new Map<string, Constant>();
  for (const t of graph.initializer ?? []) constants.set(t.name ?? '', tensorValues(t, `initializer ${JSON.stringify(t.name)}`));
  const nodes = graph.node ?? [];
  nodes.forEach((node, i) => {
    if (node.opType !== 'Constant') return;
    const value = attr(node, 'value');
    if (value?.t === undefined || value.t === null) {
      const kind = (node.attribute ?? [])[0]?.name ?? 'nothing';
      fail(`${describe(node, i)} holds ${kind}; only Constant nodes with a tensor value are read`);
    }
    constants.set(node.output?.[0] ?? '', tensorValues(value!.t!, describe(node, i)));
  });

  const inputs = (graph.input ?? []).filter((v) => !constants.has(v.name ?? ''));
  if (inputs.length !== 1) fail(`expected one graph input, found ${inputs.length} (${inputs.map((v) => JSON.stringify(v.name)).join(', ')})`);
  const outputs = graph.output ?? [];
  if (outputs.length !== 1) fail(`expected one graph output, found ${outputs.length}`);
  const inputName = inputs[0]!.name ?? '';
  const outputName = outputs[0]!.name ?? '';
  const inputDims = inputs[0]!.type?.tensorType?.shape?.dim ?? [];

  const layers: DenseLayer[] = [];
  let pending: Pending | undefined;
  const flush = () => {
    if (pending === undefined) return;
    layers.push({
      weights: pending.weights,
      rows: pending.rows,
      cols: pending.cols,
      bias: pending.bias ?? new Float32Array(pending.rows),
      activation: pending.activation ?? 'linear',
      source: pending.source,
    });
    pending = undefined;
  };
  let current = inputName;
  // The chain's value: the one non-constant input of each node must be the previous node's output.
  nodes.forEach((node, i) => {
    const op = node.opType ?? '';
    const at = describe(node, i);
    if (op === 'Constant') return;
    if (node.domain !== undefined && node.domain !== '' && node.domain !== 'ai.onnx') fail(`${at} is in operator domain ${JSON.stringify(node.domain)}, which cannot be mapped to a dense layer`);
    const ins = (node.input ?? []).filter((n) => n !== '');
    const data = ins.filter((n) => !constants.has(n));
    if (data.length !== 1 || data[0] !== current) {
      fail(`the graph is not a chain of dense layers: ${at} reads ${JSON.stringify(data)}, expected the output of the previous node ${JSON.stringify(current)}`);
    }
    const consts = ins.filter((n) => constants.has(n)).map((n) => ({ name: n, ...constants.get(n)! }));
    const out = node.output?.[0];
    if (out === undefined || out === '') fail(`${at} has no output`);
    const setActivation = (act: OutputName) => {
      if (pending === undefined || pending.activation !== undefined) {
        fail(`${at} applies ${op} ${pending === undefined ? 'before any dense layer' : `after ${pending.source} already has ${pending.activation}`}; only one activation per dense layer is supported`);
      }
      pending!.activation = act;
    };
    switch (op) {
      case 'Identity':
        break;
      case 'Dropout':
        // Inference: Dropout passes its input through (the optional mask output is unused here).
        break;
      case 'Flatten': {
        const axis = intAttr(node, 'axis', 1);
        if (axis !== 1) fail(`${at} flattens at axis ${axis}; only axis 1 (keep the batch dimension) is supported`);
        if (layers.length > 0 || pending !== undefined) fail(`${at} comes after a dense layer; Flatten is only supported before the first layer`);
        break;
      }
      case 'Gemm': {
        flush();
        const transA = intAttr(node, 'transA', 0);
        const transB = intAttr(node, 'transB', 0);
        const alpha = floatAttr(node, 'alpha', 1);
        const beta = floatAttr(node, 'beta', 1);
        if (transA !== 0) fail(`${at} has transA = ${transA}; only transA = 0 (samples as rows) is supported`);
        if (ins[0] !== current) fail(`${at} takes the chain's value as input B; it must be input A`);
        const b = constants.get(ins[1] ?? '');
        if (b === undefined || b.dims.length !== 2) fail(`${at}: input B ${JSON.stringify(ins[1])} must be a constant 2-d weight matrix`);
        const [r, c] = b!.dims as [number, number];
        // transB = 1 stores W as [n_out, n_in] (Nabla's layout); transB = 0 as [n_in, n_out].
        let weights = transB ? b!.data.slice() : transpose(b!.data, r, c);
        const rows = transB ? r : c;
        const cols = transB ? c : r;
        if (alpha !== 1) weights = weights.map((v) => v * alpha);
        let bias: Float32Array | undefined;
        if (ins[2] !== undefined) {
          const cst = constants.get(ins[2]);
          if (cst === undefined) fail(`${at}: input C ${JSON.stringify(ins[2])} must be a constant bias`);
          if (cst!.data.length !== rows && cst!.data.length !== 1) fail(`${at}: bias ${JSON.stringify(ins[2])} has ${cst!.data.length} values for ${rows} outputs`);
          bias = cst!.data.length === rows ? cst!.data.slice() : new Float32Array(rows).fill(cst!.data[0]!);
          if (beta !== 1) bias = bias.map((v) => v * beta);
        }
        pending = { weights, rows, cols, bias, activation: undefined, source: at };
        break;
      }
      case 'MatMul': {
        flush();
        if (ins[0] !== current) fail(`${at} multiplies the weights from the left; only x·W (samples as rows) is supported`);
        const w = consts[0];
        if (w === undefined || w.dims.length !== 2) fail(`${at}: ${JSON.stringify(ins[1])} must be a constant 2-d weight matrix`);
        const [r, c] = w!.dims as [number, number];
        // x·W with W as [n_in, n_out]: Nabla keeps W^T.
        pending = { weights: transpose(w!.data, r, c), rows: c, cols: r, bias: undefined, activation: undefined, source: at };
        break;
      }
      case 'Add': {
        const b = consts[0];
        if (pending === undefined || pending.bias !== undefined || pending.activation !== undefined || b === undefined) {
          fail(`${at} is not a bias added right after a MatMul or Gemm, which is the only Add supported`);
        }
        const n = b!.data.length;
        const okShape = b!.dims.every((d, j) => d === 1 || (j === b!.dims.length - 1 && d === pending!.rows));
        if (!okShape || (n !== pending!.rows && n !== 1)) fail(`${at}: bias ${JSON.stringify(b!.name)} has shape [${b!.dims}] for ${pending!.rows} outputs`);
        pending!.bias = n === pending!.rows ? b!.data.slice() : new Float32Array(pending!.rows).fill(b!.data[0]!);
        break;
      }
      case 'Relu':
        setActivation('relu');
        break;
      case 'Sigmoid':
        setActivation('sigmoid');
        break;
      case 'Tanh':
        setActivation('tanh');
        break;
      case 'Softplus':
        setActivation('softplus');
        break;
      case 'LeakyRelu': {
        const alpha = floatAttr(node, 'alpha', 0.01);
        if (alpha !== Math.fround(0.01)) fail(`${at} has alpha ${alpha}; Nabla's leaky-relu has slope 0.01`);
        setActivation('leaky-relu');
        break;
      }
      case 'Softmax': {
        const axis = intAttr(node, 'axis', -1);
        if (axis !== -1 && axis !== 1) fail(`${at} has axis ${axis}; only the last axis (-1 or 1) is supported`);
        setActivation('softmax');
        break;
      }
      default:
        fail(`${at} cannot be mapped to a dense layer or an activation`);
    }
    current = out!;
  });
  flush();
  if (current !== outputName) fail(`the chain ends at ${JSON.stringify(current)}, but the graph output is ${JSON.stringify(outputName)}`);
  const first = layers[0];
  const declared = inputDims.length === 2 ? toNumber(inputDims[1]!.dimValue) : 0;
  if (first !== undefined && declared > 0 && declared !== first.cols) {
    fail(`weight shapes do not chain: the input ${JSON.stringify(inputName)} has ${declared} features, but ${first.source} takes ${first.cols}`);
  }
  const stored = (model.metadataProps ?? []).find((p) => p.key === 'nabla.loss')?.value;
  return buildMLP(FN, layers, stored);
}
