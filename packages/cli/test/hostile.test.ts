import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MLP } from '@nabla/core';
import { describe, expect, it } from 'vitest';
import { removeStaleTemporaryFiles, saveModelOrFallback } from '../src/model-file.js';
import type { Preprocessing } from '../src/preprocess.js';
import { fixtures, run, tempDir } from './helpers.js';

const linear = `csv:${join(fixtures, 'linear.csv')}`;
const colors = `csv:${join(fixtures, 'colors.csv')}`;
const quick = ['--layers', '8', '--epochs', '2', '--quiet'];

/** A process id that is not running (for stale temporary files). */
function deadPid(): number {
  for (let pid = 4_000_000; pid > 1000; pid -= 7919) {
    try {
      process.kill(pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') return pid;
    }
  }
  throw new Error('no free pid found');
}

async function trainedModel(dir: string, data = linear, target = 'y'): Promise<Record<string, unknown>> {
  const r = await run(['train', '--data', data, '--target', target, ...quick, '--out', 'm.json'], { cwd: dir });
  expect(r.code).toBe(0);
  return JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8'));
}

describe('issue 12, item 1: nabla predict never prints NaN', () => {
  it('predict with a model whose bias[0] is 1e39 (beyond float32) exits 1 naming the field', async () => {
    const dir = tempDir();
    const file = await trainedModel(dir);
    ((file.layers as { bias: number[] }[])[0]!.bias as number[])[0] = 1e39;
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(file));
    writeFileSync(join(dir, 'in.csv'), 'x1,x2,x3\n1,2,3\n');
    const r = await run(['predict', 'bad.json', '--input', 'in.csv'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/layers\[0\]\.bias\[0\] is 1e\+39, expected a number finite in float32/);
    expect(r.stdout).not.toMatch(/NaN/);
  });
});

describe('issue 12, item 2: a finished run is never thrown away', () => {
  it('train --out afile/x.json (afile a regular file) fails before the first epoch', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'afile'), '');
    const r = await run(['train', '--data', linear, '--target', 'y', ...quick, '--out', 'afile/x.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/afile is a file, not a directory/);
    expect(r.stdout).not.toMatch(/epoch/);
  });
  it('train --out adir.json --force (a directory) fails before the first epoch', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'adir.json'));
    const r = await run(['train', '--data', linear, '--target', 'y', ...quick, '--out', 'adir.json', '--force'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/adir\.json is a directory; --out needs a file name/);
    expect(r.stdout).not.toMatch(/epoch/);
  });
  it('the --out probe leaves no file behind', async () => {
    const dir = tempDir();
    const r = await run(['train', '--data', linear, '--target', 'y', ...quick, '--out', 'm.json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readdirSync(dir)).toEqual(['m.json']);
  });
  it('a diverging run saves the last finite model to --out, marked diverged, and exits 1', async () => {
    const dir = tempDir();
    const r = await run(['train', '--data', linear, '--target', 'y', '--layers', '8', '--optimizer', 'sgd', '--lr', '1e6', '--epochs', '400', '--quiet', '--out', 'div.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/loss became .* saved the last finite model to .*div\.json \(training\.diverged = true\)/);
    const file = JSON.parse(readFileSync(join(dir, 'div.json'), 'utf8'));
    expect(file.training).toMatchObject({ diverged: true, partial: true });
    const net = MLP.fromJSON(file);
    expect((net.predict([[0, 50, 70]]) as number[][]).flat().every(Number.isFinite)).toBe(true);
  });
  it('--no-save-diverged saves nothing on divergence', async () => {
    const dir = tempDir();
    const r = await run(['train', '--data', linear, '--target', 'y', '--layers', '8', '--optimizer', 'sgd', '--lr', '1e6', '--epochs', '400', '--quiet', '--out', 'div.json', '--no-save-diverged'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nothing saved \(--no-save-diverged\)/);
    expect(existsSync(join(dir, 'div.json'))).toBe(false);
  });
  it('saveModelOrFallback writes to a fallback file and says why when the path cannot be written', () => {
    const dir = tempDir();
    const net = new MLP({ sizes: [2, 3, 1], loss: 'mse' });
    const pre: Preprocessing = { source: 'csv', task: 'regression', targetNames: ['y'], input: { kind: 'standardize', features: ['a', 'b'], mean: [0, 0], std: [1, 1] }, target: { names: ['y'], mean: [0], std: [1] }, split: { seed: 1, testFraction: 0.2 } };
    const saved = saveModelOrFallback(join(dir, 'gone', 'm.json'), net, pre, { command: 'test', epochs: 1, epochsPlanned: 1, partial: false, date: '' }, false, dir);
    expect(saved.error).toMatch(/ENOENT/);
    expect(saved.path.startsWith(join(dir, 'm.recovered-'))).toBe(true);
    expect(MLP.fromJSON(JSON.parse(readFileSync(saved.path, 'utf8'))).sizes).toEqual([2, 3, 1]);
  });
});

describe('issue 12, item 8: no debris, no good model replaced by an untrained one', () => {
  it('train --out removes stale temporary files of killed saves, and keeps those of running processes', async () => {
    const dir = tempDir();
    const stale = `.m.json.${deadPid()}.0123abcd.tmp`;
    const live = `.m.json.${process.pid}.89abcdef.tmp`;
    const other = `.other.json.${deadPid()}.0123abcd.tmp`;
    for (const f of [stale, live, other]) writeFileSync(join(dir, f), 'x'.repeat(1000));
    const r = await run(['train', '--data', linear, '--target', 'y', ...quick, '--out', 'm.json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([live, other, 'm.json'].sort());
    expect(removeStaleTemporaryFiles(join(dir, 'other.json'))).toEqual([other]);
  });
  it('Ctrl-C while the data loads, with --force, leaves the good model as it was', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'm.json'), 'good model');
    const controller = new AbortController();
    controller.abort();
    const r = await run(['train', '--data', linear, '--target', 'y', ...quick, '--out', 'm.json', '--force'], { cwd: dir, signal: controller.signal });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/interrupted while loading the data; nothing trained, nothing saved/);
    expect(readFileSync(join(dir, 'm.json'), 'utf8')).toBe('good model');
  });
});

describe('issue 12, item 7: CSV task detection, number syntax, preprocessing checked', () => {
  it('a NaN cell in a regression target is an error naming the line, not a 400-class job', async () => {
    const dir = tempDir();
    const lines = readFileSync(join(fixtures, 'linear.csv'), 'utf8').trim().split('\n');
    lines[10] = lines[10]!.replace(/[^,]+$/, 'NaN');
    writeFileSync(join(dir, 'nan.csv'), `${lines.join('\n')}\n`);
    const r = await run(['train', '--data', 'csv:nan.csv', '--target', 'y', ...quick], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 11, column "y": "NaN" in a numeric target column/);
  });
  it('a hexadecimal feature cell is not a number', async () => {
    const dir = tempDir();
    const lines = readFileSync(join(fixtures, 'linear.csv'), 'utf8').trim().split('\n');
    lines[4] = lines[4]!.replace(/^[^,]+/, '0x1A');
    writeFileSync(join(dir, 'hex.csv'), `${lines.join('\n')}\n`);
    const r = await run(['train', '--data', 'csv:hex.csv', '--target', 'y', ...quick], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 5, column "x1": "0x1A" is not a number/);
  });
  it.each([
    ['a class too many', (f: { preprocessing: { classes: string[] } }) => f.preprocessing.classes.push('extra'), /4 classes, but the network has 3 outputs/],
    ['a negative testFraction', (f: { preprocessing: { split: { testFraction: number } } }) => (f.preprocessing.split.testFraction = -0.5), /testFraction is -0\.5, expected a fraction in \(0, 1\]/],
    ['a feature too few', (f: { preprocessing: { input: { features: string[]; mean: number[]; std: number[] } } }) => {
      f.preprocessing.input.features.pop();
      f.preprocessing.input.mean.pop();
      f.preprocessing.input.std.pop();
    }, /\.input describes 1 inputs, the network takes 2/],
  ])('predict rejects a model file whose preprocessing has %s', async (_name, edit, message) => {
    const dir = tempDir();
    const file = await trainedModel(dir, colors, 'colour');
    edit(file as never);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(file));
    writeFileSync(join(dir, 'in.csv'), '"hue, shifted",lightness\n1,2\n');
    const r = await run(['predict', 'bad.json', '--input', 'in.csv'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });
  it('eval rejects a regression model whose target names disagree', async () => {
    const dir = tempDir();
    const file = (await trainedModel(dir)) as { preprocessing: { target: { names: string[] } } };
    file.preprocessing.target.names = ['z'];
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(file));
    const r = await run(['eval', 'bad.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\.targetNames \["y"\] differ from \.target\.names \["z"\]/);
  });
});

describe('issue 12, items 4 and 6: limits', () => {
  it.each([
    ['1e9', /invalid --layers: "1e9"/],
    ['1000000000', /a width of 1000000000 is more than the limit of 16777216 units per layer/],
    ['20000,20000', /needs 400020000 parameters between the hidden layers alone/],
  ])('train --layers %s fails at once with exit 2', async (layers, message) => {
    const t = performance.now();
    const r = await run(['train', '--data', linear, '--target', 'y', '--layers', layers, '--quiet'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(performance.now() - t).toBeLessThan(2000);
  });
  it('info on a model nested 100,000 deep is a clear error, not "unexpected error"', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'deep.json'), `{"format":"nabla-mlp","version":1,"sizes":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    const r = await run(['info', 'deep.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/unexpected error/);
    expect(r.stderr).toMatch(/nested more than 64 levels deep/);
    expect(r.stderr.length).toBeLessThan(400);
  });
});
