import { defineConfig } from 'vitest/config';

// NABLA_TEST_RELAXED=1 runs the numerical tests again with relaxed SIMD (the FMA kernel
// variant) on Node 20, where it sits behind a V8 flag; newer runtimes have it on anyway.
// `pnpm test` runs both. The parsers' and loaders' tests do not depend on the kernel variant.
const relaxed = process.env.NABLA_TEST_RELAXED === '1' && process.versions.node.startsWith('20.');
const numerical = ['checkpoint', 'elementwise-simd', 'gather-simd', 'gemm-backends', 'gradients', 'kernel-variant', 'matrix', 'optimizer-simd', 'optimizers', 'threads', 'train'];

export default defineConfig({
  test: {
    include: relaxed ? numerical.map((name) => `test/${name}.test.ts`) : ['test/**/*.test.ts'],
    // Each run keeps its own report; scripts/test-summary.mjs adds up every test-results*.json.
    reporters: ['default', ['json', { outputFile: relaxed ? 'test-results-relaxed.json' : 'test-results.json' }]],
    testTimeout: 60_000,
    ...(relaxed ? { execArgv: ['--experimental-wasm-relaxed-simd'] } : {}),
  },
});
