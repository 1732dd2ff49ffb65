import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FASHION_CLASSES } from '../src/data/index.js';
import { loadFashionPart } from '../src/data/fashion.js';
import { rowArgmax } from '../src/data/rows.js';
import { fixtures, run, tempDir } from './helpers.js';

// A real slice of Fashion-MNIST committed with the tests: the first 200 images and labels of
// its test set (see test/fixtures/fashion-mnist/README.md). The full dataset is checked by
// `pnpm bench:accuracy`.
const slice = join(fixtures, 'fashion-mnist');

/** Writes an IDX file (gzip) of uint8 items: `dims` are the dimensions after the first. */
function writeIdx(path: string, items: Uint8Array, count: number, dims: number[]): void {
  const header = new DataView(new ArrayBuffer(8 + 4 * dims.length));
  header.setUint32(0, 0x800 + 1 + dims.length);
  header.setUint32(4, count);
  dims.forEach((d, i) => header.setUint32(8 + 4 * i, d));
  const bytes = new Uint8Array(header.byteLength + items.length);
  bytes.set(new Uint8Array(header.buffer), 0);
  bytes.set(items, header.byteLength);
  writeFileSync(path, gzipSync(bytes));
}

describe('Fashion-MNIST, the committed slice of its test set', () => {
  it('loadFashionPart(dir, "test") reads 200 images of 28x28 raw pixels and their labels', () => {
    const test = loadFashionPart(slice, 'test');
    expect([test.x.rows, test.x.cols, test.y.rows, test.y.cols]).toEqual([200, 784, 200, 10]);
    const labels = rowArgmax(test.y);
    // The test set opens with an ankle boot, a pullover, two trousers, a shirt, ...
    expect(labels.slice(0, 10)).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    const counts = new Array<number>(10).fill(0);
    for (const c of labels) counts[c]!++;
    expect(counts).toEqual([20, 27, 27, 17, 21, 16, 16, 20, 18, 18]);
    let max = 0;
    let min = 255;
    for (const v of test.x.data) {
      max = Math.max(max, v);
      min = Math.min(min, v);
    }
    expect([min, max]).toEqual([0, 255]);
    expect(loadFashionPart(slice, 'test', 10).x.rows).toBe(10);
    expect(FASHION_CLASSES[9]).toBe('Ankle boot');
  });

  it('loadFashionPart(dir, "train") names the missing file and how to install the dataset', () => {
    expect(() => loadFashionPart(slice, 'train')).toThrow(/train-images-idx3-ubyte\.gz does not exist\. Install it with 'apt-get install dataset-fashion-mnist'/);
  });

  it('train --data fashion-mnist --data-dir trains on 150 real images, tests on 50 others and prints the confusion matrix with class names', async () => {
    // Split the slice into a training part (images 0-149) and a test part (150-199) under the
    // dataset's own file names, so the command reads them as it reads the full dataset.
    const images = gunzipSync(readFileSync(join(slice, 't10k-images-idx3-ubyte.gz'))).subarray(16);
    const labels = gunzipSync(readFileSync(join(slice, 't10k-labels-idx1-ubyte.gz'))).subarray(8);
    const dir = tempDir();
    writeIdx(join(dir, 'train-images-idx3-ubyte.gz'), images.subarray(0, 150 * 784), 150, [28, 28]);
    writeIdx(join(dir, 'train-labels-idx1-ubyte.gz'), labels.subarray(0, 150), 150, []);
    writeIdx(join(dir, 't10k-images-idx3-ubyte.gz'), images.subarray(150 * 784), 50, [28, 28]);
    writeIdx(join(dir, 't10k-labels-idx1-ubyte.gz'), labels.subarray(150), 50, []);
    const r = await run(['train', '--data', 'fashion-mnist', '--data-dir', dir, '--layers', '32', '--epochs', '15', '--batch', '16', '--out', 'f.json', '--quiet'], { cwd: dir, env: {} });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('data: fashion-mnist, 135 training, 15 validation, 50 test samples, 784 features, 10 classes');
    const accuracy = Number(/test accuracy: ([\d.]+)% \(50 samples\)/.exec(r.stdout)![1]);
    // Ten classes: chance is 10 %; 135 images are enough for a clear majority of the 50.
    console.log(`Fashion-MNIST slice: ${accuracy}% test accuracy on 50 images`);
    expect(accuracy).toBeGreaterThan(50);
    for (const [i, name] of FASHION_CLASSES.entries()) expect(r.stdout).toMatch(new RegExp(`\\n${i} ${name.replace('/', '\\/')} +\\d+`));
    const e = await run(['eval', 'f.json', '--data-dir', dir, '--json'], { cwd: dir });
    expect(e.code).toBe(0);
    expect(JSON.parse(e.stdout).accuracy).toBeCloseTo(accuracy / 100, 4);
  });
});
