// Prototype measurement (issue 15): OpenBLAS's sgemm through Node-API (build.sh) against Nabla's
// SIMD kernel (one thread each), on square products and on the eight products of a 784-128-64-10
// training step at batch 64, interleaved round by round, medians. Not part of any package;
// nothing in the tests or CI runs it. From the repository root, after `pnpm build`:
//   ./apps/bench/prototypes/native/build.sh
//   node --experimental-wasm-relaxed-simd apps/bench/prototypes/native/gemm-native.mjs
import { createRequire } from 'node:module';
import { gemmRaw, gemmSimdVariant, setGemmBackend } from '@nabla/core';

const native = createRequire(import.meta.url)('./build/openblas.node');
native.setThreads(1);
setGemmBackend('simd');

// [name, transA, transB, m, n, k] as the engine calls them (see apps/bench/src/speed/threads-bench.ts).
const step = [
  ['f1 = W1 Xᵀ', 0, 1, 128, 64, 784],
  ['f2 = W2 g1', 0, 0, 64, 64, 128],
  ['f3 = W3 g2', 0, 0, 10, 64, 64],
  ['dW3', 0, 1, 10, 64, 64],
  ['dG2', 1, 0, 64, 64, 10],
  ['dW2', 0, 1, 64, 128, 64],
  ['dG1', 1, 0, 128, 64, 64],
  ['dW1 = dF1 X', 0, 0, 128, 784, 64],
];
const squares = [256, 512, 1024].map((n) => [`${n}³`, 0, 0, n, n, n]);

function operands([, tA, tB, m, n, k]) {
  let s = m * 31 + n * 7 + k;
  const fill = (len) => Float32Array.from({ length: len }, () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) - 0.5);
  return { tA, tB, m, n, k, a: fill(m * k), b: fill(k * n), lda: tA ? m : k, ldb: tB ? k : n };
}

/** Microseconds per call of f over about `ms` milliseconds. */
function time(f, ms) {
  f();
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) f();
    const t = performance.now() - t0;
    if (t >= ms) return (t * 1000) / reps;
    reps *= 2;
  }
}

const contestants = {
  'nabla-simd': (o, c) => gemmRaw(!!o.tA, !!o.tB, o.m, o.n, o.k, 1, o.a, o.lda, o.b, o.ldb, 0, c, o.n),
  'openblas-native': (o, c) => native.sgemm(o.tA, o.tB, o.m, o.n, o.k, 1, o.a, o.lda, o.b, o.ldb, 0, c, o.n),
};
const shapes = [...squares, ...step];
const ops = shapes.map(operands);
const rounds = 7;
const us = Object.fromEntries(Object.keys(contestants).map((name) => [name, shapes.map(() => [])]));
// Same results? (Not bit for bit: OpenBLAS sums in its own order.)
for (const [i, o] of ops.entries()) {
  const c1 = new Float32Array(o.m * o.n);
  const c2 = new Float32Array(o.m * o.n);
  contestants['nabla-simd'](o, c1);
  contestants['openblas-native'](o, c2);
  let err = 0;
  for (let j = 0; j < c1.length; j++) err = Math.max(err, Math.abs(c1[j] - c2[j]) / (1 + Math.abs(c1[j])));
  if (!(err < 1e-4)) throw new Error(`${shapes[i][0]}: results differ by ${err}`);
}
for (let round = 0; round < rounds; round++) {
  for (const [name, f] of Object.entries(contestants)) {
    for (const [i, o] of ops.entries()) {
      const c = new Float32Array(o.m * o.n);
      us[name][i].push(time(() => f(o, c), o.m * o.n * o.k > 1e8 ? 200 : 40));
    }
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const gflops = (i, t) => (2 * shapes[i][3] * shapes[i][4] * shapes[i][5]) / t / 1e3;
console.log(`Nabla kernel ${gemmSimdVariant()}; OpenBLAS through Node-API, 1 thread; ${rounds} interleaved rounds, medians`);
console.log('product'.padEnd(26), 'nabla µs'.padStart(10), 'GFLOP/s'.padStart(8), 'native µs'.padStart(10), 'GFLOP/s'.padStart(8), 'native speed'.padStart(13));
const sum = { nabla: 0, native: 0 };
for (let i = 0; i < shapes.length; i++) {
  const a = median(us['nabla-simd'][i]);
  const b = median(us['openblas-native'][i]);
  if (i >= squares.length) {
    sum.nabla += a;
    sum.native += b;
  }
  const [name, , , m, n, k] = shapes[i];
  console.log(`${name} ${m}x${n}x${k}`.padEnd(26).slice(0, 26), a.toFixed(1).padStart(9), gflops(i, a).toFixed(1).padStart(8), b.toFixed(1).padStart(10), gflops(i, b).toFixed(1).padStart(8), `${(a / b).toFixed(2)}x`.padStart(13));
}
console.log(`the step's eight products: nabla ${sum.nabla.toFixed(0)} µs, native ${sum.native.toFixed(0)} µs (${(sum.nabla / sum.native).toFixed(2)}x faster native)`);
