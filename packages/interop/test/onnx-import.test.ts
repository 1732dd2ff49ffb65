import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { fromOnnx, toOnnx } from '../src/index.js';
import { AttributeType, DataType, ModelProto, type Node, type Tensor } from '../src/onnx/schema.js';
import { maxAbsDiff, randomNet, randomRows, rng, rowsOf } from './helpers.js';

function floats(name: string, dims: number[], seed: number): Tensor {
  const r = rng(seed);
  const n = dims.reduce((a, b) => a * b, 1);
  return { name, dims, dataType: DataType.FLOAT, floatData: Array.from({ length: n }, () => Math.fround(r())) };
}

const int = (name: string, i: number) => ({ name, type: AttributeType.INT, i });
const float = (name: string, f: number) => ({ name, type: AttributeType.FLOAT, f });

function model(opts: { nodes: Node[]; init: Tensor[]; input: string; output: string; nIn: number; nOut: number; extraInputs?: string[]; opset?: number; producer?: string }): Uint8Array {
  const vi = (name: string, dims: (number | string)[]) => ({
    name,
    type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  });
  return ModelProto.encode(
    ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: opts.opset ?? 17 }],
      producerName: opts.producer ?? 'pytorch',
      producerVersion: '2.5.0',
      graph: {
        name: 'main_graph',
        node: opts.nodes,
        initializer: opts.init,
        input: [vi(opts.input, ['batch_size', opts.nIn]), ...(opts.extraInputs ?? []).map((n) => ({ name: n }))],
        output: [vi(opts.output, ['batch_size', opts.nOut])],
      },
    }),
  ).finish();
}

async function runOrt(bytes: Uint8Array, x: number[][]): Promise<number[][]> {
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', Float32Array.from(x.flat()), [x.length, x[0]!.length]) });
  const t = out[session.outputNames[0]!]!;
  return rowsOf(t.data as Float32Array, t.dims[1]!);
}

/** torch.onnx.export of nn.Sequential(Flatten, Linear(6, 8), ReLU, Dropout, Linear(8, 5), LeakyReLU(0.01), Linear(5, 3), Softmax(-1)). */
function pytorchSequential(): Uint8Array {
  const nodes: Node[] = [
    { name: '/0/Flatten', opType: 'Flatten', input: ['input'], output: ['/0/Flatten_output_0'], attribute: [int('axis', 1)] },
    { name: '/1/Gemm', opType: 'Gemm', input: ['/0/Flatten_output_0', '1.weight', '1.bias'], output: ['/1/Gemm_output_0'], attribute: [float('alpha', 1), float('beta', 1), int('transB', 1)] },
    { name: '/2/Relu', opType: 'Relu', input: ['/1/Gemm_output_0'], output: ['/2/Relu_output_0'] },
    { name: '/3/Identity', opType: 'Identity', input: ['/2/Relu_output_0'], output: ['/3/Identity_output_0'] },
    { name: '/4/Constant', opType: 'Constant', output: ['/4/Constant_output_0'], attribute: [{ name: 'value', type: AttributeType.TENSOR, t: floats('', [5], 99) }] },
    { name: '/4/Gemm', opType: 'Gemm', input: ['/3/Identity_output_0', '4.weight', '/4/Constant_output_0'], output: ['/4/Gemm_output_0'], attribute: [int('transB', 1)] },
    { name: '/5/LeakyRelu', opType: 'LeakyRelu', input: ['/4/Gemm_output_0'], output: ['/5/LeakyRelu_output_0'], attribute: [float('alpha', 0.01)] },
    { name: '/6/Gemm', opType: 'Gemm', input: ['/5/LeakyRelu_output_0', '6.weight', '6.bias'], output: ['/6/Gemm_output_0'], attribute: [float('alpha', 1), float('beta', 1), int('transB', 1)] },
    { name: '/7/Softmax', opType: 'Softmax', input: ['/6/Gemm_output_0'], output: ['output'], attribute: [int('axis', -1)] },
  ];
  const init = [floats('1.weight', [8, 6], 1), floats('1.bias', [8], 2), floats('4.weight', [5, 8], 3), floats('6.weight', [3, 5], 4), floats('6.bias', [3], 5)];
  // Older exporters also list the initializers among the graph inputs.
  return model({ nodes, init, input: 'input', output: 'output', nIn: 6, nOut: 3, extraInputs: ['1.weight', '1.bias'] });
}

/** tf2onnx of a Keras Sequential(Dense(7, tanh), Dense(4, sigmoid)): MatMul + Add, weights [n_in, n_out]. */
function tf2onnxDense(): Uint8Array {
  const nodes: Node[] = [
    { name: 'sequential/dense/MatMul', opType: 'MatMul', input: ['dense_input', 'sequential/dense/MatMul/ReadVariableOp:0'], output: ['sequential/dense/MatMul:0'] },
    { name: 'sequential/dense/BiasAdd', opType: 'Add', input: ['sequential/dense/MatMul:0', 'sequential/dense/BiasAdd/ReadVariableOp:0'], output: ['sequential/dense/BiasAdd:0'] },
    { name: 'sequential/dense/Tanh', opType: 'Tanh', input: ['sequential/dense/BiasAdd:0'], output: ['sequential/dense/Tanh:0'] },
    { name: 'sequential/dense_1/MatMul', opType: 'MatMul', input: ['sequential/dense/Tanh:0', 'sequential/dense_1/MatMul/ReadVariableOp:0'], output: ['sequential/dense_1/MatMul:0'] },
    // tf2onnx sometimes writes the bias first.
    { name: 'sequential/dense_1/BiasAdd', opType: 'Add', input: ['sequential/dense_1/BiasAdd/ReadVariableOp:0', 'sequential/dense_1/MatMul:0'], output: ['sequential/dense_1/BiasAdd:0'] },
    { name: 'sequential/dense_1/Sigmoid', opType: 'Sigmoid', input: ['sequential/dense_1/BiasAdd:0'], output: ['dense_1'] },
  ];
  const init = [
    floats('sequential/dense/MatMul/ReadVariableOp:0', [5, 7], 11),
    floats('sequential/dense/BiasAdd/ReadVariableOp:0', [7], 12),
    floats('sequential/dense_1/MatMul/ReadVariableOp:0', [7, 4], 13),
    floats('sequential/dense_1/BiasAdd/ReadVariableOp:0', [4], 14),
  ];
  return model({ nodes, init, input: 'dense_input', output: 'dense_1', nIn: 5, nOut: 4, opset: 13, producer: 'tf2onnx' });
}

describe('fromOnnx', () => {
  it('fromOnnx(bytes) reads a PyTorch nn.Sequential export and predicts as onnxruntime does', async () => {
    const bytes = pytorchSequential();
    const x = randomRows(25, 6, 8);
    const expected = await runOrt(bytes, x);
    const net = fromOnnx(bytes);
    expect(net.sizes).toEqual([6, 8, 5, 3]);
    expect(net.activation).toEqual(['relu', 'leaky-relu']);
    expect(net.output).toBe('softmax');
    expect(net.loss).toBe('cross-entropy');
    expect(maxAbsDiff(net.predict(x), expected)).toBeLessThan(1e-5);
  });

  it('fromOnnx(bytes) reads a tf2onnx MatMul + Add export and predicts as onnxruntime does', async () => {
    const bytes = tf2onnxDense();
    const x = randomRows(19, 5, 4);
    const expected = await runOrt(bytes, x);
    const net = fromOnnx(bytes);
    expect(net.sizes).toEqual([5, 7, 4]);
    expect(net.activation).toEqual(['tanh']);
    expect(net.output).toBe('sigmoid');
    expect(maxAbsDiff(net.predict(x), expected)).toBeLessThan(1e-5);
  });

  it('fromOnnx(bytes) rejects empty, non-ONNX and truncated bytes', () => {
    const good = toOnnx(randomNet([4, 5, 2], 'relu', 'softmax'));
    expect(() => fromOnnx(new Uint8Array(0))).toThrow(/fromOnnx: the file is empty/);
    expect(() => fromOnnx(new TextEncoder().encode('{"format":"nabla-mlp"}'))).toThrow(/fromOnnx: not an ONNX model/);
    expect(() => fromOnnx(good.subarray(0, Math.floor(good.length / 2)))).toThrow(/fromOnnx: not an ONNX model, or a truncated one/);
    expect(() => fromOnnx(good.subarray(0, good.length - 40))).toThrow(/fromOnnx: /);
  });

  it('fromOnnx(bytes) names the node and operator it cannot map', () => {
    const nodes: Node[] = [
      { name: 'fc', opType: 'Gemm', input: ['x', 'w', 'b'], output: ['f'], attribute: [int('transB', 1)] },
      { name: 'norm', opType: 'BatchNormalization', input: ['f', 's', 'b2', 'm', 'v'], output: ['y'] },
    ];
    const init = [floats('w', [3, 2], 1), floats('b', [3], 2), floats('s', [3], 3), floats('b2', [3], 4), floats('m', [3], 5), floats('v', [3], 6)];
    expect(() => fromOnnx(model({ nodes, init, input: 'x', output: 'y', nIn: 2, nOut: 3 }))).toThrow(
      'fromOnnx: node "norm" (BatchNormalization) cannot be mapped to a dense layer or an activation',
    );
  });

  it('fromOnnx(bytes) rejects a graph that is not a chain (a residual Add)', () => {
    const nodes: Node[] = [
      { name: 'fc1', opType: 'Gemm', input: ['x', 'w1', 'b1'], output: ['h'], attribute: [int('transB', 1)] },
      { name: 'relu', opType: 'Relu', input: ['h'], output: ['g'] },
      { name: 'skip', opType: 'Add', input: ['g', 'x'], output: ['y'] },
    ];
    const init = [floats('w1', [3, 3], 1), floats('b1', [3], 2)];
    expect(() => fromOnnx(model({ nodes, init, input: 'x', output: 'y', nIn: 3, nOut: 3 }))).toThrow(/fromOnnx: the graph is not a chain of dense layers: node "skip" \(Add\) reads \["g","x"\]/);
  });

  it('fromOnnx(bytes) names the nodes whose weight shapes do not chain', () => {
    const nodes: Node[] = [
      { name: 'fc1', opType: 'Gemm', input: ['x', 'w1', 'b1'], output: ['h'], attribute: [int('transB', 1)] },
      { name: 'fc2', opType: 'Gemm', input: ['h', 'w2', 'b2'], output: ['y'], attribute: [int('transB', 1)] },
    ];
    const init = [floats('w1', [4, 3], 1), floats('b1', [4], 2), floats('w2', [2, 5], 3), floats('b2', [2], 4)];
    expect(() => fromOnnx(model({ nodes, init, input: 'x', output: 'y', nIn: 3, nOut: 2 }))).toThrow(
      'fromOnnx: weight shapes do not chain: node "fc2" (Gemm) takes 5 inputs, but node "fc1" (Gemm) gives 4 outputs',
    );
  });

  it('fromOnnx(bytes) rejects a LeakyRelu slope other than 0.01 and a hidden Softmax', () => {
    const leaky = model({
      nodes: [
        { name: 'fc', opType: 'Gemm', input: ['x', 'w', 'b'], output: ['f'], attribute: [int('transB', 1)] },
        { name: 'act', opType: 'LeakyRelu', input: ['f'], output: ['y'], attribute: [float('alpha', 0.2)] },
      ],
      init: [floats('w', [2, 2], 1), floats('b', [2], 2)],
      input: 'x',
      output: 'y',
      nIn: 2,
      nOut: 2,
    });
    expect(() => fromOnnx(leaky)).toThrow(/fromOnnx: node "act" \(LeakyRelu\) has alpha 0\.2\d*; Nabla's leaky-relu has slope 0\.01/);
    const hiddenSoftmax = model({
      nodes: [
        { name: 'fc1', opType: 'Gemm', input: ['x', 'w', 'b'], output: ['f'], attribute: [int('transB', 1)] },
        { name: 'sm', opType: 'Softmax', input: ['f'], output: ['g'] },
        { name: 'fc2', opType: 'Gemm', input: ['g', 'w', 'b'], output: ['y'], attribute: [int('transB', 1)] },
      ],
      init: [floats('w', [2, 2], 1), floats('b', [2], 2)],
      input: 'x',
      output: 'y',
      nIn: 2,
      nOut: 2,
    });
    expect(() => fromOnnx(hiddenSoftmax)).toThrow(/fromOnnx: softmax after node "fc1" \(Gemm\) is only supported on the last layer/);
  });
});
