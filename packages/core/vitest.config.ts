import { defineConfig } from 'vitest/config';

// NABLA_TEST_RELAXED=1 runs the numerical tests again with relaxed SIMD (the FMA kernel
// variant) on Node 20, where it sits behind a V8 flag; newer runtimes have it on anyway.
// `pnpm test` runs both. The parsers' and loaders' tests do not depend on the kernel variant.
// NABLA_TEST_THREADS=2 runs the gradient, checkpointing and training tests a third time on two
// threads, with every product of the SIMD kernel split between them (test/setup-threads.ts).
const relaxed = process.env.NABLA_TEST_RELAXED === '1' && process.versions.node.startsWith('20.');
const threads = process.env.NABLA_TEST_THREADS === '2';
const numerical = ['checkpoint', 'elementwise-simd', 'gather-simd', 'gemm-backends', 'gradients', 'kernel-tiles', 'kernel-variant', 'matrix', 'optimizer-simd', 'optimizers', 'threads', 'train'];
const threaded = ['checkpoint', 'gemm-backends', 'gradients', 'matrix', 'optimizer-simd', 'optimizers', 'train'];

export default defineConfig({
  test: {
    include: threads ? threaded.map((name) => `test/${name}.test.ts`) : relaxed ? numerical.map((name) => `test/${name}.test.ts`) : ['test/**/*.test.ts'],
    // Each run keeps its own report; scripts/test-summary.mjs adds up every test-results*.json.
    reporters: ['default', ['json', { outputFile: threads ? 'test-results-threads.json' : relaxed ? 'test-results-relaxed.json' : 'test-results.json' }]],
    testTimeout: 60_000,
    ...(threads ? { setupFiles: ['test/setup-threads.ts'] } : {}),
    ...(relaxed ? { execArgv: ['--experimental-wasm-relaxed-simd'] } : {}),
  },
});
