import { afterAll, describe, expect, it } from 'vitest';
import { Random, gemmRaw, useThreads } from '../src/index.js';
import { kernelIsShared } from '../src/matrix/simd/kernel.js';
import { sameBits, spawnTestWorker } from './helpers.js';

const spawn = spawnTestWorker;

afterAll(() => useThreads({ count: 1 }));

describe('useThreads({ count: 1 }) after threads', () => {
  it('goes back to the kernel over an ordinary memory (copies into a shared one are slower), with the same results', async () => {
    const rng = new Random(3);
    const [m, n, k] = [70, 90, 110];
    const a = Float32Array.from({ length: m * k }, () => rng.uniform(-1, 1));
    const b = Float32Array.from({ length: k * n }, () => rng.uniform(-1, 1));
    const product = (): Float32Array => {
      const c = new Float32Array(m * n);
      gemmRaw(false, false, m, n, k, 1, a, k, b, n, 0, c, n);
      return c;
    };
    expect(kernelIsShared()).toBe(false);
    const before = product();
    expect((await useThreads({ count: 2, spawn, startTimeoutMs: 60_000 })).count).toBe(2);
    expect(kernelIsShared()).toBe(true);
    const shared = product();
    await useThreads({ count: 1 });
    expect(kernelIsShared()).toBe(false);
    const after = product();
    expect(sameBits(shared, before)).toBe(true);
    expect(sameBits(after, before)).toBe(true);
    // and threads start again on the kept shared kernel
    expect((await useThreads({ count: 2, spawn, startTimeoutMs: 60_000 })).count).toBe(2);
    expect(kernelIsShared()).toBe(true);
    expect(sameBits(product(), before)).toBe(true);
  });
});
