import { describe, expect, it } from 'vitest';
import { ConfigError, DataError, MLP, ModelFormatError, ShapeError, adam, optimizer, rmsprop, sgd, train } from '../src/index.js';
import { sameBits } from './helpers.js';

const net = () => new MLP({ sizes: [2, 3, 2], activation: 'tanh', seed: 1 });

describe('new MLP(options) rejects bad configurations', () => {
  it.each([
    [{ sizes: [784] }, /MLP: sizes needs at least 2 entries, got \[784\]/],
    [{ sizes: [2, 0, 1] }, /sizes\[1\] is 0/],
    [{ sizes: [2, 1.5, 1] }, /sizes\[1\] is 1.5/],
    [{ layers: [2, 3, 1] }, /the option 'layers' is now called 'sizes'/],
    [{ sizes: [2, 3, 1], activation: 'swish' }, /unknown activation 'swish'/],
    [{ sizes: [2, 3, 3, 1], activation: ['relu'] }, /activation lists 1 names, but the network has 2 hidden layers/],
    [{ sizes: [2, 3, 1], loss: 'hinge' }, /unknown loss 'hinge'/],
    [{ sizes: [2, 3, 1], output: 'sigmoid', loss: 'cross-entropy' }, /output 'sigmoid' does not go with loss 'cross-entropy'/],
    [{ sizes: [2, 3, 1], dtype: 'float16' }, /dtype must be 'float32' or 'float64', got float16/],
    [{ sizes: [2, 3, 1], dropout: 1 }, /dropout rate of hidden layer 1 must be in \[0, 1\), got 1/],
    [{ sizes: [2, 3, 1], init: 'zeros' }, /unknown init 'zeros'/],
  ])('%j', (options, message) => {
    expect(() => new MLP(options as never)).toThrow(ConfigError);
    expect(() => new MLP(options as never)).toThrow(message);
  });
});

describe('public calls reject bad data with the function and values named', () => {
  it('x with the wrong number of columns', () => {
    expect(() => net().predict([[1, 2, 3]])).toThrow(ShapeError);
    expect(() => net().predict([[1, 2, 3]])).toThrow(/MLP.predict: x has 3 columns, but the network takes 2 inputs/);
  });
  it('y with the wrong number of columns or rows', () => {
    expect(() => net().gradients([[1, 2]], [[1, 0, 0]])).toThrow(/MLP.gradients: y has 3 columns, but the network has 2 outputs/);
    expect(() => net().gradients([[1, 2]], [[1, 0], [0, 1]])).toThrow(/x has 1 samples but y has 2/);
  });
  it('ragged rows', () => {
    expect(() => net().predict([[1, 2], [3]])).toThrow(/ragged rows, row 0 has 2 values, row 1 has 1/);
  });
  it('NaN and Infinity', () => {
    expect(() => net().predict([[1, Number.NaN]])).toThrow(DataError);
    expect(() => net().predict([[1, Number.NaN]])).toThrow(/row 0, column 1 is NaN/);
    expect(() => net().gradients([[1, 2]], [[Number.POSITIVE_INFINITY, 0]])).toThrow(/y: row 0, column 0 is Infinity/);
  });
  it('labels that are not probabilities', () => {
    expect(() => net().gradients([[1, 2]], [[0.5, 0.4]])).toThrow(/y row 0 sums to 0.9/);
    expect(() => net().gradients([[1, 2]], [[2, -1]])).toThrow(/cross-entropy labels are probabilities/);
    const bce = new MLP({ sizes: [2, 1], output: 'sigmoid', loss: 'binary-cross-entropy' });
    expect(() => bce.gradients([[1, 2]], [[3]])).toThrow(/binary cross-entropy labels must be in \[0, 1\]/);
  });
  it('an empty batch', () => {
    expect(() => net().gradients([], [])).toThrow(/MLP.gradients: x is an empty batch/);
  });
  it('non-numbers', () => {
    expect(() => net().predict([[1, '2' as unknown as number]])).toThrow(/row 0, column 1 is not a number: "2"/);
  });
});

describe('optimisers and train reject bad options', () => {
  it.each([
    [() => sgd({ learningRate: 0 }), /sgd: learningRate must be a finite number > 0, got 0/],
    [() => adam({ learningRate: -1 }), /adam: learningRate must be a finite number > 0, got -1/],
    [() => rmsprop({ learningRate: Number.NaN }), /rmsprop: learningRate must be a finite number > 0, got NaN/],
    [() => adam({ beta1: 1 }), /beta1 must be in \[0, 1\), got 1/],
    [() => optimizer('adagrad'), /unknown optimizer 'adagrad'/],
  ])('%s', (make, message) => {
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(message);
  });

  it('train: bad epochs, batch size and data fail before any parameter changes', async () => {
    const n = net();
    const before = n.getParameters();
    await expect(train(n, { x: [[1, 2]], y: [[1, 0]] }, { epochs: 0 })).rejects.toThrow(/train: epochs must be an integer >= 1, got 0/);
    await expect(train(n, { x: [[1, 2]], y: [[1, 0]] }, { batchSize: 2.5 })).rejects.toThrow(/batchSize must be an integer >= 1, got 2.5/);
    await expect(train(n, { x: [[1, 2], [1, Number.NaN]], y: [[1, 0], [0, 1]] })).rejects.toThrow(/train: x: row 1, column 1 is NaN/);
    await expect(train(n, { x: [[1, 2]], y: [[1, 0]] }, { checkpoint: { budget: 0 } })).rejects.toThrow(/train: checkpoint \{ budget: s \}/);
    n.getParameters().forEach((p, k) => expect(sameBits(p.weights.data, before[k]!.weights.data)).toBe(true));
  });
});

describe('MLP.fromJSON rejects corrupt models, saying what is wrong', () => {
  const good = () => JSON.parse(JSON.stringify(net().toJSON()));
  it.each([
    ['not JSON', () => '{oops', /not valid JSON/],
    ['wrong format', () => ({ ...good(), format: 'keras' }), /format is "keras"/],
    ['future version', () => ({ ...good(), version: 99 }), /version 99 is not supported/],
    ['missing layers', () => ({ ...good(), layers: undefined }), /layers is missing/],
    ['short weight row', () => {
      const j = good();
      j.layers[0].weights[1] = [1];
      return j;
    }, /layers\[0\].weights\[1\] must have 2 numbers/],
    ['null weight', () => {
      const j = good();
      j.layers[1].weights[0][2] = null;
      return j;
    }, /layers\[1\].weights\[0\]\[2\] is null/],
    ['bias length', () => {
      const j = good();
      j.layers[1].bias = [0];
      return j;
    }, /layers\[1\].bias must have 2 numbers, got 1/],
    ['unknown activation', () => {
      const j = good();
      j.layers[0].activation = 'gelu';
      return j;
    }, /layers\[0\].activation is "gelu"/],
    ['sizes disagree', () => ({ ...good(), sizes: [2, 3, 3, 2] }), /sizes describe 3 layers, but layers has 2/],
  ])('%s', (_name, make, message) => {
    expect(() => MLP.fromJSON(make())).toThrow(ModelFormatError);
    expect(() => MLP.fromJSON(make())).toThrow(message);
  });
});

describe('predict checks finiteness while it gathers', () => {
  it('a NaN deep in a Matrix input is rejected with its row and column, in any batch chunk', async () => {
    const { Matrix } = await import('../src/index.js');
    const n = new MLP({ sizes: [3, 4, 2], seed: 1 });
    const x = new Matrix(600, 3);
    x.data.fill(0.5);
    x.set(517, 2, Number.NaN);
    expect(() => n.predict(x)).toThrow(/MLP.predict: x: row 517, column 2 is NaN/);
    x.set(517, 2, 0.5);
    expect(n.predict(x).rows).toBe(600);
  });
});
