// Fit test/fixtures/linear.csv with a single linear layer through the built CLI and print the
// recovered coefficients next to the true ones (from linear.truth.json).
// Usage: pnpm --filter @nabla/cli run build && node scripts/linear-coefficients.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = join(root, 'test', 'fixtures');
const truth = JSON.parse(readFileSync(join(fixtures, 'linear.truth.json'), 'utf8'));
const args = ['train', '--data', `csv:${join(fixtures, 'linear.csv')}`, '--target', 'y', '--layers', 'none', '--epochs', '60', '--batch', '32', '--lr', '0.01', '--seed', '1', '--json', '--quiet'];
const out = JSON.parse(execFileSync(process.execPath, [join(root, 'dist', 'bin.js'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
const [model] = out.test.coefficients;
const rows = [['intercept', truth.intercept, model.intercept], ...model.coefficients.map((c) => [c.feature, truth.coefficients[c.feature], c.value])];
console.log(`nabla ${args.join(' ')}`);
console.log(`test R^2 ${out.test.targets[0].r2.toFixed(6)}, RMSE ${out.test.targets[0].rmse.toFixed(4)}\n`);
console.log('| coefficient | true | recovered |\n| --- | ---: | ---: |');
for (const [name, t, r] of rows) console.log(`| ${name} | ${t} | ${r.toFixed(4)} |`);
