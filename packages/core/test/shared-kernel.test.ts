import wabtInit from 'wabt';
import { describe, expect, it } from 'vitest';
import { assemble, kernelWat, MAX_PAGES } from '../scripts/build-simd.mjs';
import { RELAXED_KERNEL_BASE64, SIMD_KERNEL_BASE64 } from '../src/matrix/simd/kernel-wasm.js';
import { shareMemory } from '../src/matrix/simd/kernel.js';

describe('the threads kernel derived at run time', () => {
  for (const [name, fma, embedded] of [
    ['simd128', false, SIMD_KERNEL_BASE64],
    ['relaxed', true, RELAXED_KERNEL_BASE64],
  ] as const) {
    it(`${name}: shareMemory of the embedded module is byte for byte what wabt assembles from the shared text`, async () => {
      const wabt = await wabtInit();
      const assembled = Buffer.from(await assemble(wabt, `${name}-shared.wat`, kernelWat(fma, true), fma), 'base64');
      const derived = shareMemory(new Uint8Array(Buffer.from(embedded, 'base64')), MAX_PAGES);
      expect(derived.length).toBe(assembled.length);
      expect(Buffer.from(derived).equals(assembled)).toBe(true);
    });
  }

  it('a module without an unshared memory import is refused', () => {
    const shared = shareMemory(new Uint8Array(Buffer.from(SIMD_KERNEL_BASE64, 'base64')), MAX_PAGES);
    expect(() => shareMemory(shared, MAX_PAGES)).toThrow(/shareMemory/);
  });
});
