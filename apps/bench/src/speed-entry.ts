// Entry of `pnpm bench:speed`: enables relaxed SIMD (FMA) on Node 20 before @nabla/core is first
// imported, then runs the benchmark (speed.ts). NABLA_RELAXED_SIMD=0 keeps plain SIMD128.
import { enableRelaxedSimd } from './relaxed-simd.js';

enableRelaxedSimd();
await import('./speed.js');
