import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MLP } from '@nabla/core';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/model-file.js';
import { fixtures, packageDir, run, tempDir } from './helpers.js';

const linear = `csv:${join(fixtures, 'linear.csv')}`;

describe('--out never loses a file', () => {
  it('train --out refuses to overwrite an existing file without --force, before any training', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'model.json'), 'precious');
    const r = await run(['train', '--data', linear, '--target', 'y', '--layers', 'none', '--epochs', '1', '--out', 'model.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/model\.json already exists; pass --force to overwrite it/);
    expect(readFileSync(join(dir, 'model.json'), 'utf8')).toBe('precious');
  });

  it('train --out --force replaces the file with a complete model and leaves no temporary file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'model.json'), 'old');
    const r = await run(['train', '--data', linear, '--target', 'y', '--layers', 'none', '--epochs', '2', '--out', 'model.json', '--force', '--quiet'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(MLP.fromJSON(readFileSync(join(dir, 'model.json'), 'utf8')).sizes).toEqual([3, 1]);
    expect(readdirSync(dir)).toEqual(['model.json']);
  });

  it('writeFileAtomic(path, text, false) fails if the file appeared meanwhile, and keeps it', () => {
    const dir = tempDir();
    const path = join(dir, 'm.json');
    writeFileAtomic(path, 'first', false);
    expect(readFileSync(path, 'utf8')).toBe('first');
    expect(() => writeFileAtomic(path, 'second', false)).toThrow(/m\.json already exists; pass --force/);
    expect(readFileSync(path, 'utf8')).toBe('first');
    writeFileAtomic(path, 'third', true);
    expect(readFileSync(path, 'utf8')).toBe('third');
    expect(readdirSync(dir)).toEqual(['m.json']);
  });

  it('--out into a missing directory is refused up front', async () => {
    const dir = tempDir();
    const r = await run(['train', '--data', linear, '--target', 'y', '--out', 'no/such/dir/m.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no\/such\/dir: no such directory for --out/);
  });
});

describe('interrupting training', () => {
  it('an aborted signal stops after the current batch and saves the partial model with --out', async () => {
    const dir = tempDir();
    const controller = new AbortController();
    // Loading the data is synchronous, so the timer fires at one of training's yields.
    const timer = setTimeout(() => controller.abort(), 50);
    const r = await run(['train', '--data', linear, '--target', 'y', '--layers', '4', '--epochs', '10000', '--out', 'partial.json', '--quiet'], { cwd: dir, signal: controller.signal });
    clearTimeout(timer);
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/nabla train: interrupted during epoch \d+ of 10000 \(\d+ complete\); saved the partial model to .*partial\.json \(training\.partial = true\)/);
    const file = JSON.parse(readFileSync(join(dir, 'partial.json'), 'utf8'));
    expect(file.training.partial).toBe(true);
    expect(file.training.epochs).toBeLessThan(10000);
    expect(MLP.fromJSON(file).sizes).toEqual([3, 4, 1]);
  });

  it('SIGINT to the built nabla process leaves a valid model file and no temporary file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'model.json'), 'old model');
    const child = spawn(process.execPath, [join(packageDir, 'dist', 'bin.js'), 'train', '--data', linear, '--target', 'y', '--layers', '8', '--epochs', '100000', '--out', 'model.json', '--force'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const timeout = setTimeout(() => reject(new Error(`no epoch line in time; stderr: ${stderr}`)), 30_000);
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        // Interrupt once a few epochs are done, mid-training.
        if (/epoch 3\//.test(stdout)) {
          clearTimeout(timeout);
          resolve();
        }
      });
    });
    child.kill('SIGINT');
    expect(await exit).toBe(130);
    expect(stderr).toContain('stopping after the current batch');
    expect(stderr).toMatch(/interrupted during epoch \d+ of 100000 .*saved the partial model to .*model\.json/);
    const file = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(file.training.partial).toBe(true);
    expect(file.training.epochs).toBeGreaterThanOrEqual(3);
    expect(MLP.fromJSON(file).sizes).toEqual([3, 8, 1]);
    expect(readdirSync(dir)).toEqual(['model.json']);
  });

  it('a process killed (SIGKILL) in the middle of writing leaves the old file whole', async () => {
    const dir = tempDir();
    const target = join(dir, 'model.json');
    writeFileSync(target, 'old model');
    // A child writes 200 MB through writeFileAtomic; kill it once the temporary file has data.
    const script = `import(${JSON.stringify(join(packageDir, 'dist', 'model-file.js'))}).then((m) => { m.writeFileAtomic(${JSON.stringify(target)}, 'x'.repeat(200e6), true); });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    const exit = new Promise<string | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    let seen = 0;
    while (seen === 0 && child.exitCode === null) {
      const tmp = readdirSync(dir).find((f) => f.endsWith('.tmp'));
      if (tmp !== undefined) seen = statSync(join(dir, tmp), { throwIfNoEntry: false })?.size ?? 0;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    child.kill('SIGKILL');
    expect(await exit).toBe('SIGKILL');
    expect(seen).toBeGreaterThan(0);
    const size = statSync(target).size;
    // Either the old file or the complete new one, never a torn one.
    expect(size === 'old model'.length || size === 200e6).toBe(true);
    if (size === 'old model'.length) expect(readFileSync(target, 'utf8')).toBe('old model');
  });
});
