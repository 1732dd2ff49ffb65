import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../src/model-file.js';
import { fixtures, run, tempDir } from './helpers.js';

async function trainedModel(dir: string): Promise<void> {
  const r = await run(['train', '--data', `csv:${join(fixtures, 'colors.csv')}`, '--target', 'colour', '--layers', '8', '--epochs', '5', '--lr', '0.01', '--out', 'm.json', '--quiet'], { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}

function samples(n: number, width: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: width }, (_, j) => Math.sin(i * 7.1 + j * 1.3) * 2));
}

describe('nabla export and nabla import', () => {
  it.each(['onnx', 'tfjs'] as const)('export --format %s then import gives a model that predicts bit for bit the same', async (format) => {
    const dir = tempDir();
    await trainedModel(dir);
    const out = format === 'onnx' ? 'm.onnx' : 'm-tfjs';
    const e = await run(['export', 'm.json', '--format', format, '--out', out], { cwd: dir });
    expect(e.code).toBe(0);
    expect(e.stdout).toContain(`(${format}, layers`);
    const i = await run(['import', out, '--out', 'back.json'], { cwd: dir });
    expect(i.stderr).toBe('');
    expect(i.code).toBe(0);
    const a = loadModel(join(dir, 'm.json'), dir, false).net;
    const b = loadModel(join(dir, 'back.json'), dir, false).net;
    expect(b.sizes).toEqual(a.sizes);
    const x = samples(16, a.sizes[0]!);
    expect(b.predict(x)).toEqual(a.predict(x));
  });

  it('export refuses to overwrite an existing file without --force and leaves it unchanged', async () => {
    const dir = tempDir();
    await trainedModel(dir);
    writeFileSync(join(dir, 'm.onnx'), 'keep me');
    const e = await run(['export', 'm.json', '--format', 'onnx', '--out', 'm.onnx'], { cwd: dir });
    expect(e.code).not.toBe(0);
    expect(e.stderr).toMatch(/already exists|--force/);
    expect(readFileSync(join(dir, 'm.onnx'), 'utf8')).toBe('keep me');
  });

  it('import of a file that is not a model fails with one line naming the problem and writes nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'junk.onnx'), Buffer.from([1, 2, 3, 250, 251, 252, 7, 7]));
    const i = await run(['import', 'junk.onnx', '--out', 'x.json'], { cwd: dir });
    expect(i.code).not.toBe(0);
    expect(i.stderr.trim().split('\n')).toHaveLength(1);
    expect(i.stderr).toMatch(/nabla import/);
    expect(existsSync(join(dir, 'x.json'))).toBe(false);
  });

  it('export with an unknown --format is a usage error', async () => {
    const dir = tempDir();
    await trainedModel(dir);
    const e = await run(['export', 'm.json', '--format', 'keras', '--out', 'x'], { cwd: dir });
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('invalid --format: "keras"');
  });
});
