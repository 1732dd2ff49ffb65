import { defineConfig } from 'vitest/config';

// NABLA_TEST_RELAXED=1 runs the suite with relaxed SIMD (the FMA kernel variant) on Node 20,
// where it sits behind a V8 flag; newer runtimes have it on anyway. `pnpm test` runs both.
const relaxed = process.env.NABLA_TEST_RELAXED === '1' && process.versions.node.startsWith('20.');

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    testTimeout: 60_000,
    ...(relaxed ? { execArgv: ['--experimental-wasm-relaxed-simd'] } : {}),
  },
});
