// Totals the vitest JSON reports written by `pnpm test` (one test-results.json per package)
// and prints one plain line: "N passed, N failed". Exits non-zero when a package that has
// tests wrote no report, so a test run that silently did nothing cannot pass.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
let skipped = 0;
// A test file that failed to load or whose hooks failed reports its tests as skipped or not at all.
let failedFiles = 0;
let missing = [];
for (const group of ['packages', 'apps']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const pkgDir = join(dir, name);
    const pkgFile = join(pkgDir, 'package.json');
    if (!existsSync(pkgFile)) continue;
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
    if (!pkg.scripts?.test) continue;
    // test-results.json, and one more report per extra run of the suite (core runs its numerical
    // tests a second time under the FMA kernel variant: test-results-relaxed.json).
    const reports = readdirSync(pkgDir).filter((f) => /^test-results(-[\w-]+)?\.json$/.test(f));
    if (!reports.includes('test-results.json')) {
      missing.push(pkg.name);
      continue;
    }
    for (const file of reports) {
      const r = JSON.parse(readFileSync(join(pkgDir, file), 'utf8'));
      passed += r.numPassedTests ?? 0;
      failed += r.numFailedTests ?? 0;
      skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
      failedFiles += (r.testResults ?? []).filter((f) => f.status === 'failed').length;
    }
  }
}
if (missing.length > 0) console.error(`no test report from: ${missing.join(', ')}`);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}${failedFiles > 0 ? `, ${failedFiles} test files failed` : ''}`);
process.exit(missing.length > 0 || failed > 0 || skipped > 0 || failedFiles > 0 || passed === 0 ? 1 : 0);
