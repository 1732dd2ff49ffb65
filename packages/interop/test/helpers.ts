import { type ActivationName, MLP, type OutputName } from '@nabla/core';

/** A small deterministic generator (xorshift32) for test data, uniform in [-1, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}

export function randomRows(rows: number, cols: number, seed: number): number[][] {
  const r = rng(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.fround(r() * 2)));
}

/** An MLP with random weights and non-zero biases (the default init leaves biases at zero). */
export function randomNet(layers: number[], activation: ActivationName, output: OutputName, seed = 7): MLP {
  const net = new MLP({ sizes: layers, activation, output, seed });
  const r = rng(seed + 101);
  net.setParameters(
    net.getParameters().map((p) => ({
      weights: p.weights,
      bias: Array.from(p.bias, () => r() * 0.5),
    })),
  );
  return net;
}

export const hiddenActivations: ActivationName[] = ['sigmoid', 'tanh', 'relu', 'leaky-relu', 'softplus', 'linear'];
export const heads: OutputName[] = ['softmax', 'sigmoid', 'linear', 'tanh', 'relu', 'leaky-relu', 'softplus'];

/** Largest |a − b| over two equally shaped tables; throws when the shapes differ. */
export function maxAbsDiff(a: ArrayLike<ArrayLike<number>>, b: ArrayLike<ArrayLike<number>>): number {
  if (a.length !== b.length) throw new Error(`maxAbsDiff: ${a.length} rows vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const ra = a[i]!;
    const rb = b[i]!;
    if (ra.length !== rb.length) throw new Error(`maxAbsDiff: row ${i} has ${ra.length} vs ${rb.length} columns`);
    for (let j = 0; j < ra.length; j++) m = Math.max(m, Math.abs(ra[j]! - rb[j]!));
  }
  return m;
}

/** Split a flat row-major array into rows of `cols`. */
export function rowsOf(flat: ArrayLike<number>, cols: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < flat.length; i += cols) out.push(Array.from(flat).slice(i, i + cols));
  return out;
}

/** Every layer's weights and biases as float32 arrays, for bit-exact comparisons. */
export function parameterBits(net: MLP): Float32Array[] {
  return net.getParameters().flatMap((p) => [Float32Array.from(p.weights.data), Float32Array.from(p.bias)]);
}
