import { readFileSync } from 'node:fs';
import type { MLP } from '@nabla/core';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { fromOnnx, ONNX_OPSET, PRODUCER, toOnnx, VERSION } from '../src/index.js';
import { type Model, ModelProto, toNumber } from '../src/onnx/schema.js';
import { heads, hiddenActivations, maxAbsDiff, parameterBits, randomNet, randomRows, rowsOf } from './helpers.js';

/** Run an ONNX model in onnxruntime-node on x (samples as rows) and return its single output. */
async function runOrt(bytes: Uint8Array, x: number[][]): Promise<number[][]> {
  const session = await ort.InferenceSession.create(bytes);
  const input = new ort.Tensor('float32', Float32Array.from(x.flat()), [x.length, x[0]!.length]);
  const result = await session.run({ [session.inputNames[0]!]: input });
  const out = result[session.outputNames[0]!]!;
  const cols = out.dims[out.dims.length - 1]!;
  return rowsOf(out.data as Float32Array, cols);
}

function checkRoundTrip(net: MLP): void {
  const back = fromOnnx(toOnnx(net));
  expect(back.sizes).toEqual(net.sizes);
  expect(back.activation).toEqual(net.activation);
  expect(back.output).toBe(net.output);
  expect(back.loss).toBe(net.loss);
  const a = parameterBits(net);
  const b = parameterBits(back);
  expect(b.length).toBe(a.length);
  // Bit-exact: compare the float32 bit patterns, so -0 and +0 would differ too.
  a.forEach((arr, i) => expect(new Uint32Array(b[i]!.buffer)).toEqual(new Uint32Array(arr.buffer)));
}

describe('toOnnx', () => {
  it('onnxruntime package is the pinned 1.20.1 and its CPU binding loads', () => {
    const pkg = JSON.parse(readFileSync(new URL('../node_modules/onnxruntime-node/package.json', import.meta.url), 'utf8'));
    expect(pkg.version).toBe('1.20.1');
    expect(ort.listSupportedBackends().map((b) => b.name)).toContain('cpu');
  });

  for (const act of hiddenActivations) {
    it(`toOnnx(net) runs in onnxruntime like net.predict for hidden ${act} + softmax`, async () => {
      const net = randomNet([5, 8, 6, 4], act, 'softmax', 11);
      const x = randomRows(33, 5, 3);
      const diff = maxAbsDiff(await runOrt(toOnnx(net), x), net.predict(x));
      expect(diff).toBeLessThan(1e-5);
      checkRoundTrip(net);
    });
  }

  for (const head of heads) {
    it(`toOnnx(net) runs in onnxruntime like net.predict for tanh + ${head} head`, async () => {
      const net = randomNet([4, 6, 3], 'tanh', head, 21);
      const x = randomRows(17, 4, 5);
      const diff = maxAbsDiff(await runOrt(toOnnx(net), x), net.predict(x));
      expect(diff).toBeLessThan(1e-5);
      checkRoundTrip(net);
    });
  }

  it('toOnnx(net) of a single layer (no hidden layer) runs and round-trips, batch of one', async () => {
    const net = randomNet([3, 2], 'relu', 'linear', 5);
    const x = randomRows(1, 3, 9);
    expect(maxAbsDiff(await runOrt(toOnnx(net), x), net.predict(x))).toBeLessThan(1e-5);
    checkRoundTrip(net);
  });

  it('toOnnx(net) names input and output, keeps the batch dimension symbolic, sets producer and opset', async () => {
    const net = randomNet([5, 4, 3], 'relu', 'softmax');
    const bytes = toOnnx(net, { inputName: 'pixels', outputName: 'probs', batchDim: 'N' });
    const model = ModelProto.decode(bytes) as unknown as Model;
    expect(model.producerName).toBe(PRODUCER);
    expect(model.producerVersion).toBe(VERSION);
    expect(model.opsetImport!.map((o) => toNumber(o.version))).toEqual([ONNX_OPSET]);
    expect(ONNX_OPSET).toBeGreaterThanOrEqual(13);
    const g = model.graph!;
    expect(g.input!.map((v) => v.name)).toEqual(['pixels']);
    expect(g.output!.map((v) => v.name)).toEqual(['probs']);
    const dims = g.input![0]!.type!.tensorType!.shape!.dim!;
    expect(dims[0]!.dimParam).toBe('N');
    expect(toNumber(dims[1]!.dimValue)).toBe(5);
    expect(g.node!.map((n) => n.opType)).toEqual(['Gemm', 'Relu', 'Gemm', 'Softmax']);
    const session = await ort.InferenceSession.create(bytes);
    expect(session.inputNames).toEqual(['pixels']);
    expect(session.outputNames).toEqual(['probs']);
    // The same session takes batches of different sizes.
    for (const b of [1, 7, 64]) {
      const x = randomRows(b, 5, b);
      const out = await session.run({ pixels: new ort.Tensor('float32', Float32Array.from(x.flat()), [b, 5]) });
      expect(out.probs!.dims).toEqual([b, 3]);
    }
  });

  it('VERSION matches package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(VERSION).toBe(pkg.version);
  });

  it('toOnnx(net) rejects an empty or clashing input name', () => {
    const net = randomNet([2, 2], 'relu', 'linear');
    expect(() => toOnnx(net, { inputName: '' })).toThrow(/toOnnx: inputName must be a non-empty string, got ""/);
    expect(() => toOnnx(net, { inputName: 'x', outputName: 'x' })).toThrow(/toOnnx: inputName and outputName are both "x"/);
  });
});
