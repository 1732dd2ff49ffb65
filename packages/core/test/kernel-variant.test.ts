import { afterEach, describe, expect, it } from 'vitest';
import { MLP, ModelFormatError, gemmKernelVariant, gemmSimdVariant, kernelVariants, setGemmBackend, sgd, spirals, train } from '../src/index.js';
import { sameBits } from './helpers.js';

afterEach(() => setGemmBackend('auto'));

const data = spirals({ samples: 64, seed: 3 });
const fit = (net: MLP) => train(net, data, { epochs: 2, batchSize: 16, optimizer: sgd({ learningRate: 0.1 }) });

describe('gemmKernelVariant(dtype)', () => {
  it('is the SIMD variant for float32 under auto, js for float64 and under the js backend', () => {
    expect(gemmKernelVariant('float32')).toBe(gemmSimdVariant() ?? 'js');
    expect(gemmKernelVariant()).toBe(gemmKernelVariant('float32'));
    expect(gemmKernelVariant('float64')).toBe('js');
    setGemmBackend('js');
    expect(gemmKernelVariant('float32')).toBe('js');
    expect(kernelVariants).toContain(gemmKernelVariant('float32'));
  });
});

describe('train records the kernel variant', () => {
  it('in its history, on the network and in toJSON, and fromJSON reads it back', async () => {
    const net = new MLP({ sizes: [2, 8, 2], activation: 'tanh', seed: 1 });
    expect(net.kernel).toBeUndefined();
    expect('kernel' in net.toJSON()).toBe(false);
    const history = await fit(net);
    expect(history.kernel).toBe(gemmKernelVariant('float32'));
    expect(net.kernel).toBe(history.kernel);
    const json = net.toJSON();
    expect(json.kernel).toBe(history.kernel);
    const back = MLP.fromJSON(JSON.stringify(json));
    expect(back.kernel).toBe(history.kernel);
    expect(back.clone().kernel).toBe(history.kernel);
  });

  it("records 'js' for float64 and under setGemmBackend('js')", async () => {
    const f64 = new MLP({ sizes: [2, 8, 2], activation: 'tanh', seed: 1, dtype: 'float64' });
    expect((await fit(f64)).kernel).toBe('js');
    expect(f64.toJSON().kernel).toBe('js');
    setGemmBackend('js');
    const f32 = new MLP({ sizes: [2, 8, 2], activation: 'tanh', seed: 1 });
    expect((await fit(f32)).kernel).toBe('js');
  });

  it('a seeded run repeats bit for bit under the recorded variant', async () => {
    const a = new MLP({ sizes: [2, 64, 64, 2], activation: 'relu', seed: 4 });
    const b = new MLP({ sizes: [2, 64, 64, 2], activation: 'relu', seed: 4 });
    const ha = await fit(a);
    const hb = await fit(b);
    expect(hb.kernel).toBe(ha.kernel);
    a.getParameters().forEach((p, k) => expect(sameBits(p.weights.data, b.getParameters()[k]!.weights.data)).toBe(true));
  });
});

describe('MLP.fromJSON validates kernel', () => {
  const good = () => JSON.parse(JSON.stringify(new MLP({ sizes: [2, 3, 2], seed: 1 }).toJSON()));
  it('accepts a file without it (older files) and each known variant', () => {
    expect(MLP.fromJSON(good()).kernel).toBeUndefined();
    for (const kernel of kernelVariants) expect(MLP.fromJSON({ ...good(), kernel }).kernel).toBe(kernel);
  });
  it.each([['avx512'], [3], [null]])('rejects kernel %j, naming the field and the choices', (kernel) => {
    expect(() => MLP.fromJSON({ ...good(), kernel })).toThrow(ModelFormatError);
    expect(() => MLP.fromJSON({ ...good(), kernel })).toThrow(/MLP.fromJSON: kernel is .*expected one of "relaxed", "simd128", "js" or absent/);
  });
});
