// Node-only helper: turn on WebAssembly relaxed SIMD (fused multiply-add) in this process.
// Node 22+ and current browsers have it on by default; Node 20 validates `f32x4.relaxed_madd`
// only behind --experimental-wasm-relaxed-simd. The flag must be set before the first module
// that uses it is compiled, so entry points call this before `@nabla/core` is first imported
// (core picks its kernel variant when it first compiles its WebAssembly).
import { setFlagsFromString } from 'node:v8';

/** Set the V8 flag unless NABLA_RELAXED_SIMD=0 asks for plain SIMD128; returns whether it was set. */
export function enableRelaxedSimd(): boolean {
  if (process.env.NABLA_RELAXED_SIMD === '0') return false;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return true;
}
