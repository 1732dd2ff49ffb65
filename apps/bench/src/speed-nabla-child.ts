// One Nabla training epoch in a fresh process that does NOT enable relaxed SIMD, so the kernel is
// plain SIMD128 even where the benchmark's own process runs the FMA variant. Run by speed.ts:
//   node --import tsx src/speed-nabla-child.ts SAMPLES      prints one JSON line (EpochResult + variant)
import { gemmSimdVariant } from './speed/core-internals.js';
import { loadDigits } from './speed/mnist.js';
import { BATCH, nablaContestant } from './speed/train-bench.js';

const samples = Number(process.argv[2]);
const data = loadDigits();
if (!Number.isInteger(samples) || samples < 1 || samples > data.count) throw new Error(`speed-nabla-child: SAMPLES must be in 1..${data.count}, got ${process.argv[2]}`);
const c = nablaContestant(data, 'auto', 'nabla-child');
await c.run(Math.min(samples, BATCH * 20)); // warm-up in this process, as the main process warms up its contestants
const r = await c.run(samples);
console.log(JSON.stringify({ ...r, variant: gemmSimdVariant() }));
