import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DataError,
  DivergenceError,
  MLP,
  ModelFormatError,
  NablaError,
  ParseError,
  ShapeError,
  adam,
  csvDataset,
  parseCsv,
  parseIdx,
  parseNumberCell,
  sgd,
  train,
} from '../src/index.js';

const small = () => new MLP({ sizes: [2, 3, 2], activation: 'tanh', seed: 1 });
const xs = Array.from({ length: 64 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]);
const ys = xs.map((r) => (r[0]! > 0 ? [1, 0] : [0, 1]));

describe('issue 12, item 1: no NaN through float32 overflow', () => {
  it('MLP.fromJSON rejects bias[0] = 1e39 in a float32 model, naming the field', () => {
    const j = small().toJSON();
    (j.layers[0]!.bias as number[])[0] = 1e39;
    expect(() => MLP.fromJSON(j)).toThrow(ModelFormatError);
    expect(() => MLP.fromJSON(j)).toThrow(/layers\[0\]\.bias\[0\] is 1e\+39, expected a number finite in float32/);
  });
  it('MLP.fromJSON rejects a weight beyond float32 range and accepts it in a float64 model', () => {
    const j = small().toJSON();
    (j.layers[1]!.weights[1] as number[])[2] = -4e38;
    expect(() => MLP.fromJSON(j)).toThrow(/layers\[1\]\.weights\[1\]\[2\] is -4e\+38/);
    const net = MLP.fromJSON({ ...j, dtype: 'float64' });
    expect((net.predict([[1, 2]]) as number[][]).flat().every(Number.isFinite)).toBe(true);
  });
  it('setParameters rejects a bias that overflows float32', () => {
    const net = small();
    const p = net.getParameters();
    const before = JSON.stringify(net.toJSON());
    expect(() => net.setParameters([p[0]!, { weights: p[1]!.weights, bias: [1e39, 0] }])).toThrow(/layer 2 bias\[0\] is 1e\+39, which is not finite in float32/);
    expect(JSON.stringify(net.toJSON())).toBe(before);
  });
});

describe('issue 12, item 3: after a DivergenceError the network and optimizer are finite', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9])('train(net, data, { optimizer: adam({ learningRate: 1e30 }) }) leaves predict finite (seed %i)', async (seed) => {
    const net = new MLP({ sizes: [2, 8, 2], seed });
    const opt = adam({ learningRate: 1e30 });
    await expect(train(net, { x: xs, y: ys }, { optimizer: opt, epochs: 50 })).rejects.toThrow(DivergenceError);
    expect((net.predict(xs) as number[][]).flat().every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(net.evaluate(xs, ys).loss)).toBe(true);
    // The optimizer was reset: training on with a sane rate from here stays finite.
    const again = await train(net, { x: xs, y: ys }, { optimizer: sgd({ learningRate: 1e-3 }), epochs: 1 });
    expect(Number.isFinite(again.epochs[0]!.loss)).toBe(true);
  });
  it('sgd with a huge rate: DivergenceError, the parameters stay finite', async () => {
    const net = new MLP({ sizes: [2, 8, 1], loss: 'mse', seed: 3 });
    const y = xs.map((r) => [r[0]! * 100]);
    await expect(train(net, { x: xs, y }, { optimizer: sgd({ learningRate: 1e20 }), epochs: 20 })).rejects.toThrow(DivergenceError);
    for (const p of net.getParameters()) {
      expect(Array.from(p.weights.data).every(Number.isFinite)).toBe(true);
      expect(Array.from(p.bias).every(Number.isFinite)).toBe(true);
    }
  });
});

describe('issue 12, item 4: deep nesting and huge strings', () => {
  it('MLP.fromJSON on an object nested 100,000 deep throws a ModelFormatError, not a RangeError', () => {
    let o: unknown = 1;
    for (let i = 0; i < 100_000; i++) o = [o];
    const j = { ...small().toJSON(), sizes: o };
    expect(() => MLP.fromJSON(j)).toThrow(ModelFormatError);
    expect(() => MLP.fromJSON(j)).toThrow(/nested more than 64 levels deep/);
  });
  it('MLP.fromJSON on JSON text nested 100,000 deep throws a ModelFormatError', () => {
    const text = `{"format":"nabla-mlp","sizes":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(() => MLP.fromJSON(text)).toThrow(ModelFormatError);
  });
  it('a 50 MB string field is quoted as a bounded excerpt', () => {
    const j = { ...small().toJSON(), format: 'x'.repeat(50_000_000) };
    let message = '';
    try {
      MLP.fromJSON(j);
    } catch (e) {
      expect(e).toBeInstanceOf(ModelFormatError);
      message = (e as Error).message;
    }
    expect(message).toMatch(/format is "x+\.\.\./);
    expect(message.length).toBeLessThan(300);
  });
  it('a deeply nested checkpoint option is a ConfigError with a bounded message', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { every: deep };
    const net = small();
    await expect(train(net, { x: xs, y: ys }, { checkpoint: deep as never, epochs: 1 })).rejects.toThrow(ConfigError);
    expect(() => net.gradients(xs, ys, { checkpoint: deep as never })).toThrow(/checkpoint \{ every: k \} needs an integer k >= 1, got \{ every: \{ every:/);
  });
});

describe('issue 12, item 5: CSV in linear time', () => {
  const wide = (cols: number) => {
    const header = Array.from({ length: cols }, (_, i) => `c${i}`).join(',');
    const row = Array.from({ length: cols }, (_, i) => String(i % 7)).join(',');
    return `${header}\n${row}\n${row}\n`;
  };
  it('csvDataset on two rows of 100,000 columns takes well under a second', () => {
    const text = wide(100_000);
    const t = performance.now();
    const d = csvDataset(text, { target: 'c0', task: 'regression' });
    const ms = performance.now() - t;
    expect(d.x[0]!.length).toBe(99_999);
    expect(ms).toBeLessThan(3000);
  });
  it('a missing target column lists a bounded excerpt of the header', () => {
    const text = wide(100_000);
    expect(() => csvDataset(text, { target: 'zz' })).toThrow(/no column named "zz"; the header has "c0", "c1", .*\.\.\. \(100000 in all\)$/);
    try {
      csvDataset(text, { target: 'zz' });
    } catch (e) {
      expect((e as Error).message.length).toBeLessThan(300);
    }
  });
});

describe('issue 12, item 6: clear errors instead of raw ones', () => {
  it.each([
    ['predict(null)', () => small().predict(null as never), ShapeError, /MLP\.predict: x must be a Matrix or an array of rows, got null/],
    ['predict([null])', () => small().predict([null] as never), ShapeError, /MLP\.predict: x: row 0 is not an array, got null/],
    ['evaluate(x, null)', () => small().evaluate(xs, null as never), ShapeError, /MLP\.evaluate: y must be a Matrix/],
    ['activation: {}', () => new MLP({ sizes: [2, 3, 1], activation: {} as never }), ConfigError, /activation must be a name or a list of names, got \{\}/],
    ['sizes: [1e6, 1e6]', () => new MLP({ sizes: [1e6, 1e6] }), ConfigError, /1000001000000 parameters, which would need 8\.0 TB/],
    ['sizes: [2, 2 ** 31]', () => new MLP({ sizes: [2, 2 ** 31] }), ConfigError, /sizes\[1\] is 2147483648, more than the limit of 16777216 units/],
    ['sizes: [20000, 20000] (float64)', () => new MLP({ sizes: [20000, 20000], dtype: 'float64' }), ConfigError, /400020000 parameters, which would need 6\.4 GB \(float64/],
    ['setParameters([w, null])', () => small().setParameters([small().getParameters()[0]!, null] as never), ShapeError, /layer 2 must be \{ weights, bias \}, got null/],
    ['setParameters([{ weights: null }])', () => small().setParameters([{ weights: null, bias: [0, 0, 0] }, small().getParameters()[1]!] as never), ShapeError, /layer 1 weights must be a Matrix/],
    ['sgd(null)', () => sgd(null as never), ConfigError, /sgd: options must be an object/],
    ['adam(5)', () => adam(5 as never), ConfigError, /adam: options must be an object/],
  ])('%s', (_name, f, kind, message) => {
    expect(f).toThrow(kind);
    expect(f).toThrow(message);
  });
  it('train(net, { x }) without y is a DataError', async () => {
    await expect(train(small(), { x: xs } as never)).rejects.toThrow(/train: data\.y is missing/);
  });
});

describe('issue 12, item 7: no silent accepts', () => {
  const idxWith = (dims: number[], extra: number) => {
    const b = new Uint8Array(4 + 4 * dims.length + extra);
    b[2] = 0x08;
    b[3] = dims.length;
    const v = new DataView(b.buffer);
    dims.forEach((d, i) => v.setUint32(4 + 4 * i, d));
    return b;
  };
  it('parseIdx rejects 35 dimensions of 0xffffffff followed by a 0', () => {
    const dims = [...new Array<number>(35).fill(0xffffffff), 0];
    expect(() => parseIdx(idxWith(dims, 3))).toThrow(ParseError);
    expect(() => parseIdx(idxWith(dims, 3))).toThrow(/dimension 0 of the header is 4294967295/);
  });
  it('parseIdx with a zero dimension has 0 elements and rejects trailing bytes', () => {
    expect(parseIdx(idxWith([3, 0, 5], 0)).data.length).toBe(0);
    expect(() => parseIdx(idxWith([3, 0, 5], 2))).toThrow(/2 extra/);
  });
  it('parseIdx rejects a product of dimensions beyond 2^31', () => {
    expect(() => parseIdx(idxWith([65536, 65536, 2], 0))).toThrow(/more than the 2\^31 this parser accepts/);
  });
  it.each(['NaN', 'inf', '', '-Infinity', 'NA'])('csvDataset with task auto rejects %j in a regression target instead of making it a class', (cell) => {
    const rows = Array.from({ length: 400 }, (_, i) => `${i},${(i * 0.37).toFixed(2)}`);
    rows.splice(200, 0, `7,${cell}`);
    const text = `a,t\n${rows.join('\n')}\n`;
    expect(() => csvDataset(text, { target: 't' })).toThrow(ParseError);
    expect(() => csvDataset(text, { target: 't' })).toThrow(/line 202, column "t": .* in a numeric target column/);
    expect(csvDataset(`a,t\n1,x\n2,y\n3,${cell}\n`, { target: 't' }).task).toBe('classification');
  });
  it.each(['0x1A', '0b101', '0o17', '1e999', 'Infinity', '1_000', '1,5'])('parseNumberCell(%j) is not a number', (cell) => {
    expect(parseNumberCell(cell)).toBeUndefined();
  });
  it.each([['12', 12], ['-0.5', -0.5], ['.5', 0.5], ['5.', 5], ['+1e-3', 0.001], ['1E5', 100000]])('parseNumberCell(%j) is %d', (cell, v) => {
    expect(parseNumberCell(cell)).toBe(v);
  });
  it("csvDataset rejects '0x1A' in a feature", () => {
    expect(() => csvDataset('a,t\n0x1A,1\n2,2\n', { target: 't' })).toThrow(/line 2, column "a": "0x1A" is not a number/);
  });
  it('train rejects optimizer: null, a NaN seed and a string seed', async () => {
    await expect(train(small(), { x: xs, y: ys }, { optimizer: null as never })).rejects.toThrow(/optimizer is null/);
    await expect(train(small(), { x: xs, y: ys }, { seed: Number.NaN })).rejects.toThrow(/seed must be an integer, got NaN/);
    await expect(train(small(), { x: xs, y: ys }, { seed: '3' as never })).rejects.toThrow(/seed must be an integer, got "3"/);
  });
  it('two concurrent train() calls on one network: the second is refused, the first completes', async () => {
    const net = small();
    const a = train(net, { x: xs, y: ys }, { epochs: 3 });
    const b = train(net, { x: xs, y: ys }, { epochs: 3 });
    await expect(b).rejects.toThrow(/already being trained/);
    await expect(a).resolves.toMatchObject({ stopReason: 'completed' });
    // Once the first is done, the network can be trained again.
    await expect(train(net, { x: xs, y: ys }, { epochs: 1 })).resolves.toMatchObject({ stopReason: 'completed' });
  });
  it('a train() that fails validation releases the network', async () => {
    const net = small();
    await expect(train(net, { x: xs, y: [[1, 0]] })).rejects.toThrow(NablaError);
    await expect(train(net, { x: xs, y: ys }, { epochs: 1 })).resolves.toMatchObject({ stopReason: 'completed' });
  });
  it('parseCsv still reads a wide quoted header', () => {
    expect(parseCsv('"a b","c"\n1,2\n').header).toEqual(['a b', 'c']);
  });
  it('DataError is what a NaN in y gives', async () => {
    await expect(train(small(), { x: xs, y: ys.map((r, i) => (i === 5 ? [Number.NaN, 0] : r)) })).rejects.toThrow(DataError);
  });
});
