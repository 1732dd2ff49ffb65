import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MLP, Matrix } from '@nabla/core';
import { describe, expect, it } from 'vitest';
import { loadMnistDigits } from '../src/data/mnist.js';
import { fixtures, run, tempDir } from './helpers.js';

const truth = JSON.parse(readFileSync(join(fixtures, 'linear.truth.json'), 'utf8')) as { intercept: number; coefficients: Record<string, number> };

describe('nabla train | eval | info | predict on MNIST digits', () => {
  it('train --data mnist learns a slice of the digits, and eval, info and predict read the saved model', async () => {
    const dir = tempDir();
    const trained = await run(['train', '--data', 'mnist', '--limit', '2000', '--layers', '64', '--epochs', '3', '--batch', '32', '--out', 'digits.json', '--json', '--quiet'], { cwd: dir });
    expect(trained.stderr).toMatch(/epoch 3\/3 \| loss [\d.]+ \| acc [\d.]+% \| val loss [\d.]+ \| val acc/);
    expect(trained.code).toBe(0);
    const result = JSON.parse(trained.stdout);
    expect(result.sizes).toEqual([784, 64, 10]);
    expect(result.epochs).toHaveLength(3);
    expect(result.test.task).toBe('classification');
    expect(result.test.samples).toBe(2000);
    expect(result.test.accuracy).toBeGreaterThan(0.85);
    expect(result.test.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(2000);

    const file = JSON.parse(readFileSync(join(dir, 'digits.json'), 'utf8'));
    expect(file.preprocessing).toMatchObject({ source: 'mnist', task: 'classification', input: { kind: 'scale', scale: 1, inputs: 784 }, split: { seed: 1, testFraction: 0.2 } });
    expect(file.training).toMatchObject({ epochs: 3, epochsPlanned: 3, partial: false });
    expect(MLP.fromJSON(file).sizes).toEqual([784, 64, 10]);

    // eval finds the same seeded test rows and applies the same preprocessing: same accuracy.
    const evaluated = await run(['eval', 'digits.json', '--limit', '2000', '--json'], { cwd: dir });
    expect(evaluated.code).toBe(0);
    expect(JSON.parse(evaluated.stdout).accuracy).toBe(result.test.accuracy);
    const text = await run(['eval', 'digits.json', '--limit', '2000'], { cwd: dir });
    expect(text.stdout).toContain(`test accuracy: ${(100 * result.test.accuracy).toFixed(2)}% (2000 samples)`);
    expect(text.stdout).toMatch(/confusion matrix \(rows: true class, columns: predicted class\)\ntrue \\ predicted +0 +1 +2/);

    const info = await run(['info', 'digits.json', '--batch', '100'], { cwd: dir });
    expect(info.code).toBe(0);
    expect(info.stdout).toContain('layers: 784-64-10 (2 weight layers), float32, loss cross-entropy');
    expect(info.stdout).toContain('parameters: 50890');
    // 'none' keeps g^0, g^1, g^2 live at the peak: (784 + 64 + 10) x 100 samples x 4 bytes.
    expect(info.stdout).toMatch(/none +peak +858 values\/sample = +335\.2 KiB, 2 layer forwards/);

    // predict: rows of raw pixels in, the class and probabilities out, as the network computes them.
    const digits = loadMnistDigits();
    const rows = [0, 1500, 3000, 9999];
    const header = Array.from({ length: 784 }, (_, i) => `px${i}`).join(',');
    const csv = [header, ...rows.map((r) => Array.from(digits.x.data.subarray(r * 784, (r + 1) * 784)).join(','))].join('\n');
    writeFileSync(join(dir, 'some.csv'), csv);
    const predicted = await run(['predict', 'digits.json', '--input', 'some.csv'], { cwd: dir });
    expect(predicted.code).toBe(0);
    const lines = predicted.stdout.trim().split('\n');
    expect(lines[0]).toBe('predicted,p(0),p(1),p(2),p(3),p(4),p(5),p(6),p(7),p(8),p(9)');
    expect(lines).toHaveLength(rows.length + 1);
    const net = MLP.fromJSON(file);
    const x = new Matrix(rows.length, 784);
    rows.forEach((r, i) => {
      x.data.set(digits.x.data.subarray(r * 784, (r + 1) * 784), i * 784);
    });
    const out = net.predict(x);
    rows.forEach((_, i) => {
      const probs = Array.from(out.data.subarray(i * 10, (i + 1) * 10));
      const best = probs.indexOf(Math.max(...probs));
      const cells = lines[i + 1]!.split(',');
      expect(cells[0]).toBe(String(best));
      expect(Number(cells[best + 1])).toBeCloseTo(probs[best]!, 5);
    });
  });
});

describe('nabla train on CSV files', () => {
  it('train --data csv:colors.csv --target colour classifies string labels and keeps the class names', async () => {
    const dir = tempDir();
    const r = await run(['train', '--data', `csv:${join(fixtures, 'colors.csv')}`, '--target', 'colour', '--layers', '16', '--epochs', '20', '--lr', '0.01', '--out', 'colors.json', '--quiet'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/data: csv:.*colors\.csv, 216 training, 24 validation, 60 test samples, 2 features, 3 classes/);
    const accuracy = Number(/test accuracy: ([\d.]+)%/.exec(r.stdout)![1]);
    expect(accuracy).toBeGreaterThan(95);
    expect(r.stdout).toMatch(/0 blue +\d+ +\d+ +\d+\n1 green +\d+ +\d+ +\d+\n2 red/);
    const file = JSON.parse(readFileSync(join(dir, 'colors.json'), 'utf8'));
    expect(file.preprocessing.classes).toEqual(['blue', 'green', 'red']);
    expect(file.preprocessing.input.features).toEqual(['hue, shifted', 'lightness']);

    // predict picks the feature columns by name, in any order, ignoring others.
    writeFileSync(join(dir, 'new.csv'), 'lightness,id,"hue, shifted"\n4.1,a,0.1\n0.2,b,-0.1\n3,c,3.2\n');
    const p = await run(['predict', 'colors.json', '--input', 'new.csv'], { cwd: dir });
    expect(p.code).toBe(0);
    const lines = p.stdout.trim().split('\n');
    expect(lines[0]).toBe('predicted,p(blue),p(green),p(red)');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['blue', 'red', 'green']);
    const pj = await run(['predict', 'colors.json', '--input', 'new.csv', '--json'], { cwd: dir });
    const predictions = JSON.parse(pj.stdout).predictions;
    expect(predictions.map((q: { predicted: string }) => q.predicted)).toEqual(['blue', 'red', 'green']);
    expect(Object.keys(predictions[0].probabilities)).toEqual(['blue', 'green', 'red']);

    // eval on every row of a file (as for a separate test file).
    const e = await run(['eval', 'colors.json', '--data', `csv:${join(fixtures, 'colors.csv')}`, '--split', 'all', '--json'], { cwd: dir });
    expect(e.code).toBe(0);
    expect(JSON.parse(e.stdout)).toMatchObject({ split: 'all', samples: 300, classes: ['blue', 'green', 'red'] });
    expect(JSON.parse(e.stdout).accuracy).toBeGreaterThan(0.95);
  });

  it('train --layers none on linear.csv fits R^2 >= 0.99 and recovers the true coefficients', async () => {
    const dir = tempDir();
    const r = await run(['train', '--data', `csv:${join(fixtures, 'linear.csv')}`, '--target', 'y', '--layers', 'none', '--epochs', '60', '--batch', '32', '--lr', '0.01', '--out', 'linear.json', '--json', '--quiet'], { cwd: dir });
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.sizes).toEqual([3, 1]);
    expect(result.test.task).toBe('regression');
    expect(result.test.targets[0].r2).toBeGreaterThanOrEqual(0.99);
    expect(result.test.targets[0].rmse).toBeLessThan(0.2);
    const [model] = result.test.coefficients;
    expect(model.target).toBe('y');
    expect(model.intercept).toBeCloseTo(truth.intercept, 0);
    for (const c of model.coefficients) expect(c.value).toBeCloseTo(truth.coefficients[c.feature]!, 1);

    const text = await run(['eval', 'linear.json'], { cwd: dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/test y: R\^2 0\.99\d+, RMSE/);
    expect(text.stdout).toMatch(/coefficients of y \(original units\):\n {2}intercept +[\d.]+\n {2}x1 +3\.4\d+|coefficients of y \(original units\):\n {2}intercept +[\d.]+\n {2}x1 +3\.5\d+/);

    // predict returns y in original units: compare with the true function on new rows.
    writeFileSync(join(dir, 'new.csv'), 'x3,x1,x2\n10,1,50\n90,-2,30\n');
    const p = await run(['predict', 'linear.json', '--input', 'new.csv'], { cwd: dir });
    expect(p.code).toBe(0);
    const values = p.stdout.trim().split('\n').slice(1).map(Number);
    const f = (x1: number, x2: number, x3: number): number => truth.intercept + truth.coefficients.x1! * x1 + truth.coefficients.x2! * x2 + truth.coefficients.x3! * x3;
    expect(values[0]).toBeCloseTo(f(1, 50, 10), 0);
    expect(values[1]).toBeCloseTo(f(-2, 30, 90), 0);
  });
});

describe('nabla train --checkpoint', () => {
  it('every checkpointing strategy trains to exactly the same model as storing everything', async () => {
    const dir = tempDir();
    const results: unknown[] = [];
    for (const strategy of ['none', 'sqrt', 'every:2', 'budget:1']) {
      const r = await run(['train', '--data', `csv:${join(fixtures, 'colors.csv')}`, '--target', 'colour', '--layers', '6,6,6,6', '--epochs', '3', '--checkpoint', strategy, '--out', `${strategy}.json`, '--json', '--quiet'], { cwd: dir });
      expect(r.code).toBe(0);
      const file = JSON.parse(readFileSync(join(dir, `${strategy}.json`), 'utf8'));
      results.push({ layers: file.layers, test: JSON.parse(r.stdout).test });
    }
    for (const r of results.slice(1)) expect(r).toEqual(results[0]);
    const info = await run(['info', 'none.json', '--batch', '10', '--checkpoint', 'every:3', '--json'], { cwd: dir });
    const memory = JSON.parse(info.stdout).memory as { strategy: string; peakUnits: number; bytes: number; forwardEvaluations: number }[];
    expect(memory.map((m) => m.strategy)).toEqual(['none', 'sqrt', 'every:2', 'budget:1', 'budget:2', 'every:3']);
    // none keeps g^0 ... g^5 (2 + 6 + 6 + 6 + 6 + 3 values per sample) and runs 5 forwards.
    expect(memory[0]).toMatchObject({ peakUnits: 29, bytes: 29 * 10 * 4, forwardEvaluations: 5 });
    for (const m of memory.slice(1)) {
      expect(m.peakUnits).toBeLessThan(29);
      expect(m.forwardEvaluations).toBeGreaterThan(5);
    }
  });

  it('a validation share too small to hold a row trains without validation', async () => {
    const dir = tempDir();
    const r = await run(['train', '--data', `csv:${join(fixtures, 'colors.csv')}`, '--target', 'colour', '--limit', '4', '--val-fraction', '0.1', '--layers', '3', '--epochs', '1', '--quiet'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/4 training, 0 validation, 4 test samples/);
  });
});

describe('nabla train --threads', () => {
  it('--threads 2 and 3 train the same model, bit for bit, as --threads 1, and record the kernel variant', async () => {
    const dir = tempDir();
    const results: unknown[] = [];
    for (const threads of ['1', '2', '3']) {
      const r = await run(['train', '--data', 'mnist', '--limit', '600', '--layers', '128,64', '--epochs', '1', '--batch', '64', '--threads', threads, '--out', `t${threads}.json`, '--json', '--quiet'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.threads).toBe(Number(threads));
      const file = JSON.parse(readFileSync(join(dir, `t${threads}.json`), 'utf8'));
      expect(file.kernel).toBe(out.kernel);
      results.push({ layers: file.layers, kernel: file.kernel, loss: out.epochs[0].loss, test: out.test });
    }
    for (const r of results.slice(1)) expect(r).toEqual(results[0]);

    // eval and predict split their products too, with the same results for every count.
    const evals = [];
    for (const threads of ['1', '2']) {
      const e = await run(['eval', 't1.json', '--limit', '600', '--threads', threads, '--json'], { cwd: dir });
      expect(e.code, e.stderr).toBe(0);
      const out = JSON.parse(e.stdout);
      expect(out.threads).toBe(Number(threads));
      evals.push({ ...out, threads: undefined });
    }
    expect(evals[1]).toEqual(evals[0]);
    const digits = loadMnistDigits();
    const header = Array.from({ length: 784 }, (_, i) => `px${i}`).join(',');
    const csv = [header, ...Array.from({ length: 300 }, (_, r) => Array.from(digits.x.data.subarray(r * 784, (r + 1) * 784)).join(','))].join('\n');
    writeFileSync(join(dir, 'rows.csv'), csv);
    const predictions = [];
    for (const threads of ['1', '2']) {
      const p = await run(['predict', 't1.json', '--input', 'rows.csv', '--threads', threads], { cwd: dir });
      expect(p.code, p.stderr).toBe(0);
      predictions.push(p.stdout);
    }
    expect(predictions[0]!.trim().split('\n')).toHaveLength(301);
    expect(predictions[1]).toBe(predictions[0]);
  });

  it('--threads auto (the default) compares two threads with one as it trains, and trains the same model as --threads 1', async () => {
    const dir = tempDir();
    // 1200 digits in batches of 32 (the last of each epoch 16) for 14 epochs: 532 steps, past
    // AUTO_MIN_STEPS (512); layer 1's products, 128 x 32 x 784, are big enough to split.
    const args = ['train', '--data', 'mnist', '--limit', '1200', '--layers', '128', '--epochs', '14', '--batch', '32', '--val-fraction', '0', '--json', '--quiet'];
    const results: unknown[] = [];
    for (const threads of [['--threads', '1'], ['--threads', 'auto'], []]) {
      const r = await run([...args, ...threads, '--out', `a${results.length}.json`], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      if (threads[1] === '1') {
        expect(out.threads).toBe(1);
        expect(out.autoThreads).toBeUndefined();
      } else {
        expect(out.threads).toBe(2);
        expect(out.autoThreads.stepsTwo + out.autoThreads.stepsOne).toBe(532);
        // the warm-up and a comparison's blocks on each: both kinds ran, and both were timed
        expect(out.autoThreads.stepsTwo).toBeGreaterThanOrEqual(24 + 33);
        expect(out.autoThreads.stepsOne).toBeGreaterThanOrEqual(36);
        expect(out.autoThreads.lastMedianStepMs.two).toBeGreaterThan(0);
        expect(out.autoThreads.lastMedianStepMs.one).toBeGreaterThan(0);
        expect(r.stderr).toMatch(/threads: 2, or one where that is faster \(auto\)/);
        expect(r.stderr).toMatch(/threads \(auto\): two ran \d+ of 532 steps/);
      }
      const file = JSON.parse(readFileSync(join(dir, `a${results.length}.json`), 'utf8'));
      results.push({ layers: file.layers, kernel: file.kernel, epochs: out.epochs.map((e: { loss: number }) => e.loss), test: out.test });
    }
    for (const r of results.slice(1)) expect(r).toEqual(results[0]);
    // Fewer steps, or products too small to split: no worker at all.
    for (const other of [
      ['--epochs', '13'],
      ['--layers', '64', '--batch', '8'],
    ]) {
      const small = await run([...args, ...other], { cwd: dir });
      expect(small.code, small.stderr).toBe(0);
      expect(JSON.parse(small.stdout).threads, other.join(' ')).toBe(1);
      expect(JSON.parse(small.stdout).autoThreads).toBeUndefined();
    }
  });

  it.each([['0'], ['9'], ['1.5'], ['two']])('rejects --threads %s', async (threads) => {
    const r = await run(['train', '--data', 'mnist', '--threads', threads, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--threads/);
    for (const command of [
      ['eval', 'missing.json'],
      ['predict', 'missing.json', '--input', 'missing.csv'],
    ]) {
      const e = await run([...command, '--threads', threads]);
      expect(e.code).toBe(2);
      expect(e.stderr).toMatch(/--threads/);
    }
  });
});

describe('nabla --help', () => {
  it('prints the usage of every command', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/Commands:\n {2}train/);
    for (const c of ['train', 'eval', 'predict', 'info']) {
      const h = await run([c, '--help']);
      expect(h.code).toBe(0);
      expect(h.stdout).toContain(`Usage: nabla ${c}`);
      expect(h.stdout).toContain('Example:');
    }
    const none = await run([]);
    expect(none.code).toBe(2);
  });
});
