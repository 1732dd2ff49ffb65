import { afterEach, describe, expect, it } from 'vitest';
import { type Optimizer, type ParamSlot, Random, adam, momentum, nesterov, setGemmBackend, sgd } from '../src/index.js';
import { simdSupported } from '../src/matrix/simd/kernel.js';
import { sameBits } from './helpers.js';

afterEach(() => setGemmBackend('auto'));

/** Slots of odd and even lengths, weights and biases, float32. */
function slots(seed: number, gradScale = 1): ParamSlot[] {
  const rng = new Random(seed);
  const fill = (n: number, scale: number) => Float32Array.from({ length: n }, () => scale * rng.normal());
  return [1, 3, 8, 1001].flatMap((n, i): ParamSlot[] => [
    { layer: i + 1, kind: 'weights', param: fill(n, 1), grad: fill(n, gradScale) },
    { layer: i + 1, kind: 'bias', param: fill(n, 0.1), grad: fill(n, gradScale) },
  ]);
}

/** Five steps of a fresh optimiser under a GEMM backend; the parameters and what step returned. */
function run(make: () => Optimizer, backend: 'auto' | 'js', gradScale = 1): { params: Float32Array[]; finite: unknown[] } {
  setGemmBackend(backend);
  const s = slots(3, gradScale);
  const opt = make();
  const finite: unknown[] = [];
  for (let t = 0; t < 5; t++) {
    finite.push(opt.step(s));
    // new gradients each step, the same for both backends
    const rng = new Random(10 + t);
    for (const slot of s) for (let i = 0; i < slot.grad.length; i++) slot.grad[i] = gradScale * rng.normal();
  }
  return { params: s.map((x) => x.param as Float32Array), finite };
}

const makers: [string, () => Optimizer][] = [
  ['sgd', () => sgd({ learningRate: 0.1 })],
  ['sgd + weight decay', () => sgd({ learningRate: 0.1, weightDecay: 0.01 })],
  ['momentum', () => momentum({ learningRate: 0.05, weightDecay: 0.001 })],
  ['nesterov', () => nesterov({ learningRate: 0.05 })],
  ['adam', () => adam({ learningRate: 0.01, weightDecay: 0.001 })],
];

describe.skipIf(!simdSupported())('float32 optimiser updates in WebAssembly SIMD', () => {
  it.each(makers)('%s: bit-identical to the TypeScript loop (odd lengths, five steps)', (_name, make) => {
    const fast = run(make, 'auto');
    const loop = run(make, 'js');
    fast.params.forEach((p, i) => expect(sameBits(p, loop.params[i]!), `slot ${i}`).toBe(true));
    expect(fast.finite).toEqual([true, true, true, true, true]);
    expect(fast.finite).toEqual(loop.finite);
  });

  it.each(makers)('%s: reports a parameter overflowing float32 as not finite, as the loop does', (_name, make) => {
    const fast = run(make, 'auto', 1e38);
    const loop = run(make, 'js', 1e38);
    expect(fast.finite).toEqual(loop.finite);
    expect(fast.finite).toContain(false);
  });
});
