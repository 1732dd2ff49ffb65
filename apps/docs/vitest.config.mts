import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The docs tsconfig keeps JSX for Docusaurus's Babel (jsx: preserve); tests that render the
  // site's components to HTML need it compiled.
  oxc: { jsx: { runtime: 'automatic' } },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    testTimeout: 60_000,
    // One browser test file at a time: the in-browser benchmark keeps both cores busy, and the
    // home page's long-task check in site.test.ts must not run beside it on a 2-core machine.
    fileParallelism: false,
    hookTimeout: 120_000,
  },
});
