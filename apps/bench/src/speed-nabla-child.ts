// One Nabla training epoch in a fresh process, with the kernel variant the caller asks for:
// NABLA_RELAXED_SIMD=0 keeps plain SIMD128, anything else enables relaxed SIMD (FMA) first. The
// variant is fixed per process, so speed.ts compares the two as child processes on equal terms.
//   node --import tsx src/speed-nabla-child.ts SAMPLES      prints one JSON line (EpochResult + variant)
import { enableRelaxedSimd } from './relaxed-simd.js';

enableRelaxedSimd();
const { gemmSimdVariant } = await import('./speed/core-internals.js');
const { loadDigits } = await import('./speed/mnist.js');
const { BATCH, nablaContestant } = await import('./speed/train-bench.js');

const samples = Number(process.argv[2]);
const data = loadDigits();
if (!Number.isInteger(samples) || samples < 1 || samples > data.count) throw new Error(`speed-nabla-child: SAMPLES must be in 1..${data.count}, got ${process.argv[2]}`);
const c = nablaContestant(data, 'auto', 'nabla-child');
await c.run(Math.min(samples, BATCH * 20)); // warm-up in this process, as the main process warms up its contestants
const r = await c.run(samples);
console.log(JSON.stringify({ ...r, variant: gemmSimdVariant() }));
