/**
 * Seeded fuzz of the command line (issue 12): hostile option values for `nabla train` and hostile
 * model files for `nabla info | predict | eval`. Every run must end with exit code 0, 1 or 2 and,
 * on failure, one bounded line on stderr that is not an "unexpected error".
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtures, run, tempDir } from './helpers.js';

const SEED = Number(process.env.NABLA_FUZZ_SEED ?? 20261202);
const linear = `csv:${join(fixtures, 'linear.csv')}`;
let cases = 0;
const started = performance.now();
afterAll(() => {
  console.log(`cli fuzz: ${cases} runs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
});

function expectClean(r: { code: number; stderr: string }): void {
  cases++;
  expect([0, 1, 2, 130]).toContain(r.code);
  if (r.code !== 0) {
    expect(r.stderr).not.toMatch(/unexpected error/);
    const last = r.stderr.trim().split('\n').at(-1) ?? '';
    expect(last.length).toBeLessThan(1200);
  }
}

const hostileValue = fc.oneof(
  fc.constantFrom('', ' ', 'NaN', '-1', '0', '1e999', '0x10', '0b1', 'Infinity', '-0', '1.5', '1e9', '2147483648', 'none', 'sqrt', 'every:0', 'budget:-1', ',', '1,,2', 'x'.repeat(3000)),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -5, max: 300 }).map(String),
);

describe('fuzz: nabla train with hostile option values', () => {
  it('every value of every option: a result or one clear error line', async () => {
    const optionNames = ['--layers', '--activation', '--dropout', '--dtype', '--optimizer', '--lr', '--lr-schedule', '--weight-decay', '--batch', '--checkpoint', '--seed', '--test-fraction', '--val-fraction', '--limit', '--task', '--target', '--out'];
    const dir = tempDir();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...optionNames), hostileValue, async (name, value) => {
        const base: Record<string, string> = { '--target': 'y', '--layers': '4', '--limit': '60' };
        base[name] = value;
        const argv = ['train', '--data', linear, '--epochs', '1', '--quiet', ...Object.entries(base).flat()];
        expectClean(await run(argv, { cwd: dir }));
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});

describe('fuzz: nabla info, predict and eval with hostile model files', () => {
  it('any value at any place of a model file: a result or one clear error line', async () => {
    const dir = tempDir();
    const trained = await run(['train', '--data', linear, '--target', 'y', '--layers', '4', '--epochs', '1', '--quiet', '--out', 'm.json'], { cwd: dir });
    expect(trained.code).toBe(0);
    const model = JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'in.csv'), 'x1,x2,x3\n1,2,3\n-4,5,0.5\n');
    const value = fc.oneof(fc.anything(), fc.constantFrom(1e39, -1e39, Number.NaN, null, -0.5, 0, 7, 1e308, '', [], {}, ['y', 'z']));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), value, fc.constantFrom('info', 'predict', 'eval'), async (path, v, command) => {
        const doc = JSON.parse(JSON.stringify(model)) as Record<string, unknown>;
        let node: Record<string, unknown> = doc;
        for (const c of path) {
          const keys = Object.keys(node);
          if (keys.length === 0) break;
          const key = keys[c % keys.length]!;
          const child = node[key];
          if (typeof child !== 'object' || child === null || c % 3 === 0) {
            node[key] = v;
            break;
          }
          node = child as Record<string, unknown>;
        }
        writeFileSync(join(dir, 'bad.json'), JSON.stringify(doc) ?? 'null');
        const argv = command === 'predict' ? ['predict', 'bad.json', '--input', 'in.csv'] : [command, 'bad.json'];
        const r = await run(argv, { cwd: dir });
        expectClean(r);
        if (r.code === 0 && command === 'predict') expect(r.stdout).not.toMatch(/NaN|Infinity/);
      }),
      { seed: SEED, numRuns: 250 },
    );
  });
});
