import * as tf from '@tensorflow/tfjs';
import type { MLP } from '@nabla/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromTfjs, fromTfjsFiles, type TfjsArtifacts, toTfjs, toTfjsFiles } from '../src/index.js';
import { heads, hiddenActivations, maxAbsDiff, parameterBits, randomNet, randomRows } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function tfjsPredict(artifacts: TfjsArtifacts, x: number[][]): Promise<number[][]> {
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
  const out = model.predict(tf.tensor2d(x)) as tf.Tensor;
  return (await out.array()) as number[][];
}

async function saveToMemory(model: tf.LayersModel): Promise<TfjsArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return saved as unknown as TfjsArtifacts;
}

function expectBitExact(a: MLP, b: MLP): void {
  expect(b.sizes).toEqual(a.sizes);
  expect(b.activation).toEqual(a.activation);
  expect(b.output).toBe(a.output);
  expect(b.loss).toBe(a.loss);
  const pa = parameterBits(a);
  const pb = parameterBits(b);
  pa.forEach((arr, i) => expect(new Uint32Array(pb[i]!.buffer)).toEqual(new Uint32Array(arr.buffer)));
}

describe('toTfjs', () => {
  for (const act of hiddenActivations) {
    it(`tf.loadLayersModel(toTfjs(net)) predicts like net.predict for hidden ${act} + softmax`, async () => {
      const net = randomNet([5, 8, 6, 4], act, 'softmax', 31);
      const x = randomRows(21, 5, 2);
      expect(maxAbsDiff(await tfjsPredict(toTfjs(net), x), net.predict(x))).toBeLessThan(1e-5);
      expectBitExact(net, fromTfjs(toTfjs(net)));
    });
  }

  for (const head of heads) {
    it(`tf.loadLayersModel(toTfjs(net)) predicts like net.predict for relu + ${head} head`, async () => {
      const net = randomNet([4, 6, 3], 'relu', head, 41);
      const x = randomRows(13, 4, 6);
      expect(maxAbsDiff(await tfjsPredict(toTfjs(net), x), net.predict(x))).toBeLessThan(1e-5);
      expectBitExact(net, fromTfjs(toTfjs(net)));
    });
  }

  it('toTfjsFiles(net) writes model.json + one weights file that fromTfjsFiles reads back bit-exact', () => {
    const net = randomNet([3, 4, 2], 'leaky-relu', 'sigmoid', 51);
    const { modelJson, weightsPath, weights } = toTfjsFiles(net);
    expect(weightsPath).toBe('weights.bin');
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.weightsManifest[0]!.weights.map((w) => [w.name, w.shape])).toEqual([
      ['dense_1/kernel', [3, 4]],
      ['dense_1/bias', [4]],
      ['dense_2/kernel', [4, 2]],
      ['dense_2/bias', [2]],
    ]);
    expect(weights.length).toBe(4 * (12 + 4 + 8 + 2));
    // Through text, as the CLI writes it, and with the weights in a Node Buffer.
    expectBitExact(net, fromTfjsFiles(JSON.stringify(modelJson), { 'weights.bin': Buffer.from(weights) }));
  });
});

describe('fromTfjs', () => {
  it('fromTfjs(artifacts) of a model built and trained in tfjs predicts the same in Nabla', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 10, inputShape: [6], activation: 'relu' }),
        tf.layers.dropout({ rate: 0.1 }),
        tf.layers.dense({ units: 7 }),
        tf.layers.leakyReLU({ alpha: 0.01 }),
        tf.layers.dense({ units: 5, activation: 'tanh' }),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const xs = randomRows(64, 6, 77);
    const ys = xs.map((r) => {
      const k = r[0]! > 0.3 ? 0 : r[1]! > 0 ? 1 : 2;
      return [0, 1, 2].map((j) => (j === k ? 1 : 0));
    });
    const before = (await (model.predict(tf.tensor2d(xs)) as tf.Tensor).array()) as number[][];
    const history = await model.fit(tf.tensor2d(xs), tf.tensor2d(ys), { epochs: 5, batchSize: 16, verbose: 0 });
    expect(history.history.loss!.length).toBe(5);
    const x = randomRows(20, 6, 78);
    const expected = (await (model.predict(tf.tensor2d(x)) as tf.Tensor).array()) as number[][];
    const net = fromTfjs(await saveToMemory(model));
    expect(net.sizes).toEqual([6, 10, 7, 5, 3]);
    expect(net.activation).toEqual(['relu', 'leaky-relu', 'tanh']);
    expect(net.output).toBe('softmax');
    expect(net.loss).toBe('cross-entropy');
    expect(maxAbsDiff(net.predict(x), expected)).toBeLessThan(1e-5);
    // Training changed the weights, so the match is not the initial model's.
    expect(maxAbsDiff(before, (await (model.predict(tf.tensor2d(xs)) as tf.Tensor).array()) as number[][])).toBeGreaterThan(1e-4);
  });

  it('fromTfjs(artifacts) reads Activation layers and a Dense without bias', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 4, inputShape: [3], useBias: false }),
        tf.layers.activation({ activation: 'sigmoid' }),
        tf.layers.dense({ units: 2, biasInitializer: 'ones' }),
      ],
    });
    const x = randomRows(9, 3, 5);
    const expected = (await (model.predict(tf.tensor2d(x)) as tf.Tensor).array()) as number[][];
    const net = fromTfjs(await saveToMemory(model));
    expect(net.activation).toEqual(['sigmoid']);
    expect(net.output).toBe('linear');
    expect(maxAbsDiff(net.predict(x), expected)).toBeLessThan(1e-5);
  });

  it('fromTfjsFiles rejects a manifest whose byte lengths disagree with its shapes, naming the weight', () => {
    const { modelJson, weights } = toTfjsFiles(randomNet([3, 4, 2], 'relu', 'softmax'));
    expect(() => fromTfjsFiles(modelJson, { 'weights.bin': weights.subarray(0, weights.length - 8) })).toThrow(
      'fromTfjsFiles: weight "dense_2/bias" with shape [2] runs past the end of weights.bin (96 bytes)',
    );
    expect(() => fromTfjsFiles(modelJson, { 'weights.bin': new Uint8Array(weights.length + 4) })).toThrow(
      "fromTfjsFiles: weightsManifest[0]'s shapes need 104 bytes, but weights.bin hold 108",
    );
    expect(() => fromTfjsFiles(modelJson, {})).toThrow('fromTfjsFiles: weightsManifest[0] lists "weights.bin", which is missing');
    const art = toTfjs(randomNet([3, 4, 2], 'relu', 'softmax'));
    const short = { ...art, weightData: (art.weightData as ArrayBuffer).slice(0, 60) };
    expect(() => fromTfjs(short)).toThrow('fromTfjs: weight "dense_1/bias" with shape [4] needs bytes 48..64, but the weight data has only 60 bytes');
  });

  it('fromTfjs(artifacts) names a layer it cannot map and kernels that do not chain', () => {
    const art = toTfjs(randomNet([3, 4, 2], 'relu', 'softmax'));
    const topo = art.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
    const withNorm = structuredClone(topo);
    withNorm.config.layers.splice(1, 0, { class_name: 'BatchNormalization', config: { name: 'bn' } });
    expect(() => fromTfjs({ ...art, modelTopology: withNorm })).toThrow('fromTfjs: layer "bn" (BatchNormalization) cannot be mapped to a dense layer or an activation');
    const specs = art.weightSpecs.map((s) => (s.name === 'dense_2/kernel' ? { ...s, shape: [2, 4] } : s));
    expect(() => fromTfjs({ ...art, weightSpecs: specs })).toThrow(/fromTfjs: weight "dense_2\/kernel" has shape \[2,4\], expected \[n_in, 2\]/);
    const wide = art.weightSpecs.map((s) => (s.name === 'dense_2/kernel' ? { ...s, shape: [8, 2] } : s));
    const moreData = { ...art, weightSpecs: wide, weightData: new ArrayBuffer((12 + 4 + 16 + 2) * 4) };
    expect(() => fromTfjs(moreData)).toThrow('fromTfjs: weight shapes do not chain: layer "dense_2" (Dense) takes 8 inputs, but layer "dense_1" (Dense) gives 4 outputs');
    const functional = { ...art, modelTopology: { class_name: 'Functional', config: {} } };
    expect(() => fromTfjs(functional)).toThrow('fromTfjs: modelTopology is a "Functional" model; only a Sequential of Dense layers is read');
    const keras = structuredClone(topo);
    keras.config.layers.splice(1, 0, { class_name: 'LeakyReLU', config: { name: 'lr', alpha: 0.3 } });
    keras.config.layers[0]!.config.activation = 'linear';
    expect(() => fromTfjs({ ...art, modelTopology: keras })).toThrow('fromTfjs: layer "lr" (LeakyReLU) has alpha 0.3; Nabla\'s leaky-relu has slope 0.01');
  });
});
