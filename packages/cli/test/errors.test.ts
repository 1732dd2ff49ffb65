import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fixtures, run, tempDir } from './helpers.js';

/** Expect one clear line on stderr, a non-zero exit code and nothing on stdout. */
function expectOneLineError(r: { code: number; stdout: string; stderr: string }, pattern: RegExp, code = 1): void {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
}

function csvRun(dir: string, name: string, text: string, target = 'y') {
  writeFileSync(join(dir, name), text);
  return run(['train', '--data', `csv:${name}`, '--target', target, '--epochs', '1', '--quiet'], { cwd: dir });
}

/** An IDX header and payload. */
function idx(code: number, shape: number[], payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + payload.length);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = shape.length;
  shape.forEach((n, i) => {
    view.setUint32(4 + 4 * i, n, false);
  });
  out.set(payload, 4 + 4 * shape.length);
  return out;
}

/** A Fashion-MNIST folder of 4 tiny images per part, with one file replaced by `bad`. */
function fakeFashion(dir: string, bad?: { file: string; bytes: Uint8Array }): string {
  const d = join(dir, 'fashion');
  mkdirSync(d);
  const files: Record<string, Uint8Array> = {
    'train-images-idx3-ubyte.gz': idx(8, [4, 2, 2], new Uint8Array(16).fill(9)),
    'train-labels-idx1-ubyte.gz': idx(8, [4], Uint8Array.from([0, 1, 2, 3])),
    't10k-images-idx3-ubyte.gz': idx(8, [4, 2, 2], new Uint8Array(16).fill(7)),
    't10k-labels-idx1-ubyte.gz': idx(8, [4], Uint8Array.from([4, 5, 6, 7])),
  };
  if (bad !== undefined) files[bad.file] = bad.bytes;
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(d, name), gzipSync(bytes));
  return d;
}

describe('nabla train rejects bad CSV input with one line naming file and line', () => {
  it('an empty file', async () => {
    const dir = tempDir();
    expectOneLineError(await csvRun(dir, 'empty.csv', ''), /^nabla train: parseCsv\(.*empty\.csv\): the file is empty/);
  });

  it('ragged rows', async () => {
    const dir = tempDir();
    expectOneLineError(await csvRun(dir, 'ragged.csv', 'a,b,y\n1,2,3\n4,5\n'), /parseCsv\(.*ragged\.csv\): line 3: ragged row, 2 cells where the header has 3 columns/);
  });

  it('a non-numeric cell', async () => {
    const dir = tempDir();
    expectOneLineError(await csvRun(dir, 'text.csv', 'a,b,y\n1,2,3\n4,five,6\n'), /csvColumns\(.*text\.csv\): line 3, column "b": "five" is not a number/);
  });

  it('a missing target column, listing the columns', async () => {
    const dir = tempDir();
    expectOneLineError(await csvRun(dir, 'no-target.csv', 'a,b\n1,2\n3,4\n', 'label'), /csv\(.*no-target\.csv\): no column named "label"; the header has "a", "b"/);
  });

  it('no --target, and a file that does not exist', async () => {
    const dir = tempDir();
    expectOneLineError(await run(['train', '--data', `csv:${join(fixtures, 'colors.csv')}`], { cwd: dir }), /--target is required with --data csv:PATH/, 2);
    expectOneLineError(await run(['train', '--data', 'csv:missing.csv', '--target', 'y'], { cwd: dir }), /missing\.csv: no such file/);
  });
});

describe('nabla train rejects bad IDX files and missing data', () => {
  it('a missing Fashion-MNIST says how to install it', async () => {
    const dir = tempDir();
    const r = await run(['train', '--data', 'fashion-mnist', '--data-dir', join(dir, 'nowhere')], { cwd: dir });
    expectOneLineError(r, /Fashion-MNIST not found: .*nowhere\/train-images-idx3-ubyte\.gz does not exist\. Install it with 'apt-get install dataset-fashion-mnist'/);
    // NABLA_DATA_DIR is used when --data-dir is not given.
    const env = await run(['train', '--data', 'fashion-mnist'], { cwd: dir, env: { NABLA_DATA_DIR: join(dir, 'elsewhere') } });
    expect(env.stderr).toMatch(/elsewhere\/train-images-idx3-ubyte\.gz does not exist/);
  });

  it('a file with a wrong magic number', async () => {
    const dir = tempDir();
    const bytes = idx(8, [4], Uint8Array.from([0, 1, 2, 3]));
    bytes[0] = 0x08;
    const d = fakeFashion(dir, { file: 'train-labels-idx1-ubyte.gz', bytes });
    expectOneLineError(await run(['train', '--data', 'fashion-mnist', '--data-dir', d], { cwd: dir }), /parseIdx\(.*train-labels-idx1-ubyte\.gz\): wrong magic number 0x08000801/);
  });

  it('an unknown type code, a truncated payload, and size fields that do not match', async () => {
    const dir = tempDir();
    const d1 = fakeFashion(tempDir(), { file: 't10k-images-idx3-ubyte.gz', bytes: idx(0x07, [4, 2, 2], new Uint8Array(16)) });
    expectOneLineError(await run(['train', '--data', 'fashion-mnist', '--data-dir', d1], { cwd: dir }), /parseIdx\(.*t10k-images-idx3-ubyte\.gz\): unknown type code 0x07;.*offset 2/);
    const d2 = fakeFashion(tempDir(), { file: 'train-images-idx3-ubyte.gz', bytes: idx(8, [4, 2, 2], new Uint8Array(15)) });
    expectOneLineError(await run(['train', '--data', 'fashion-mnist', '--data-dir', d2], { cwd: dir }), /truncated payload: shape \[4, 2, 2\] of uint8 needs 32 bytes in all, the input has 31/);
    const d3 = fakeFashion(tempDir(), { file: 'train-images-idx3-ubyte.gz', bytes: idx(8, [4, 2, 2], new Uint8Array(20)) });
    expectOneLineError(await run(['train', '--data', 'fashion-mnist', '--data-dir', d3], { cwd: dir }), /size fields do not match the byte length/);
    const d4 = fakeFashion(tempDir(), { file: 'train-images-idx3-ubyte.gz', bytes: idx(8, [60000, 60000, 1], new Uint8Array(0)) });
    expectOneLineError(await run(['train', '--data', 'fashion-mnist', '--data-dir', d4], { cwd: dir }), /header claims shape \[60000, 60000, 1\] = 3600000000 elements, more than the 2\^31/);
  });

  it('labels that do not match the images, and a file that is not gzip', async () => {
    const dir = tempDir();
    const d = fakeFashion(dir, { file: 'train-labels-idx1-ubyte.gz', bytes: idx(8, [3], Uint8Array.from([0, 1, 2])) });
    expectOneLineError(await run(['train', '--data', 'fashion-mnist', '--data-dir', d], { cwd: dir }), /train-labels-idx1-ubyte: expected 4 uint8 labels, got uint8 \[3\]/);
    const d2 = fakeFashion(tempDir());
    writeFileSync(join(d2, 'train-images-idx3-ubyte.gz'), 'not gzip');
    expectOneLineError(await run(['train', '--data', 'fashion-mnist', '--data-dir', d2], { cwd: dir }), /train-images-idx3-ubyte\.gz: not a valid gzip file/);
  });

  it('a small valid folder trains (the loader reads what the errors above reject)', async () => {
    const dir = tempDir();
    const d = fakeFashion(dir);
    const r = await run(['train', '--data', 'fashion-mnist', '--data-dir', d, '--layers', '3', '--epochs', '1', '--val-fraction', '0', '--quiet', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    // With --json, the log goes to stderr and stdout holds only the JSON.
    expect(r.stderr).toContain('data: fashion-mnist, 4 training, 0 validation, 4 test samples, 4 features, 10 classes');
    expect(JSON.parse(r.stdout).test.samples).toBe(4);
  });
});

describe('nabla usage errors', () => {
  it('unknown commands, options and values exit with code 2 and one line', async () => {
    expectOneLineError(await run(['fit']), /^nabla: unknown command "fit"/, 2);
    expectOneLineError(await run(['train', '--data', 'mnist', '--bogus']), /^nabla train: Unknown option '--bogus' \(see nabla train --help\)/, 2);
    expectOneLineError(await run(['train', '--data', 'imagenet']), /invalid --data: "imagenet", expected fashion-mnist, mnist or csv:PATH/, 2);
    expectOneLineError(await run(['train', '--data', 'mnist', '--epochs', '0']), /invalid --epochs: "0", expected an integer >= 1/, 2);
    expectOneLineError(await run(['train', '--data', 'mnist', '--layers', '10,x']), /invalid --layers/, 2);
    expectOneLineError(await run(['train', '--data', 'mnist', '--checkpoint', 'half']), /invalid --checkpoint: "half", expected none, sqrt, every:K or budget:S/, 2);
    expectOneLineError(await run(['train', '--data', 'mnist', '--activation', 'swish']), /invalid --activation: "swish"/, 2);
    expectOneLineError(await run(['train', '--data', 'mnist', '--optimizer', 'lbfgs']), /invalid --optimizer: "lbfgs"/, 2);
    expectOneLineError(await run(['eval']), /nabla eval needs MODEL\.json/, 2);
    expectOneLineError(await run(['predict', 'm.json']), /nabla predict needs --input FILE\.csv/, 2);
  });

  it('a bad model file is one line; --verbose adds the stack', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json'), '{"format":"nabla-mlp","version":1,"dtype":"float32","sizes":[2,1],"loss":"mse","layers":[]}');
    expectOneLineError(await run(['info', 'bad.json'], { cwd: dir }), /^nabla info: .*bad\.json: MLP\.fromJSON: sizes describe 1 layers, but layers has 0/);
    const verbose = await run(['info', 'bad.json', '--verbose'], { cwd: dir });
    expect(verbose.code).toBe(1);
    expect(verbose.stderr.split('\n').length).toBeGreaterThan(3);
    expect(verbose.stderr).toMatch(/\n\s+at /);
    writeFileSync(join(dir, 'text.json'), 'not json');
    expectOneLineError(await run(['eval', 'text.json'], { cwd: dir }), /text\.json: not valid JSON/);
    expectOneLineError(await run(['eval', 'absent.json'], { cwd: dir }), /absent\.json: no such model file/);
  });

  it('a core model without preprocessing is refused by eval and described by info', async () => {
    const dir = tempDir();
    const { MLP } = await import('@nabla/core');
    writeFileSync(join(dir, 'plain.json'), JSON.stringify(new MLP({ sizes: [2, 3, 1], loss: 'mse' }).toJSON()));
    expectOneLineError(await run(['eval', 'plain.json'], { cwd: dir }), /plain\.json: preprocessing is missing; was the model written by 'nabla train'\?/);
    const info = await run(['info', 'plain.json'], { cwd: dir });
    expect(info.code).toBe(0);
    expect(info.stdout).toContain('layers: 2-3-1');
  });
});
