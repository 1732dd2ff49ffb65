import { describe, expect, it } from 'vitest';
import { DEBIAN_FASHION_DIR, FASHION_CLASSES } from '../src/data/index.js';
import { loadFashionPart } from '../src/data/fashion.js';
import { rowArgmax } from '../src/data/rows.js';
import { run, tempDir } from './helpers.js';

// CI installs Debian's dataset-fashion-mnist; these tests read the real files.
describe('Fashion-MNIST from /usr/share/datasets/fashion-mnist', () => {
  it('loadFashionPart(dir, "test") reads 10,000 images of 28x28 pixels and 1,000 labels per class', () => {
    const test = loadFashionPart(DEBIAN_FASHION_DIR, 'test');
    expect(test.x.rows).toBe(10_000);
    expect(test.x.cols).toBe(784);
    expect(test.y.cols).toBe(10);
    const counts = new Array<number>(10).fill(0);
    for (const c of rowArgmax(test.y)) counts[c]!++;
    expect(counts).toEqual(new Array(10).fill(1000));
    let max = 0;
    let min = 255;
    for (const v of test.x.data) {
      max = Math.max(max, v);
      min = Math.min(min, v);
    }
    expect([min, max]).toEqual([0, 255]);
    expect(FASHION_CLASSES[9]).toBe('Ankle boot');
  });

  it('train --data fashion-mnist runs a short epoch on a slice and prints the confusion matrix with class names', async () => {
    const dir = tempDir();
    const r = await run(['train', '--data', 'fashion-mnist', '--limit', '3000', '--layers', '32', '--epochs', '1', '--out', 'f.json', '--quiet'], { cwd: dir, env: {} });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('data: fashion-mnist, 2700 training, 300 validation, 3000 test samples, 784 features, 10 classes');
    const accuracy = Number(/test accuracy: ([\d.]+)% \(3000 samples\)/.exec(r.stdout)![1]);
    expect(accuracy).toBeGreaterThan(60);
    for (const [i, name] of FASHION_CLASSES.entries()) expect(r.stdout).toMatch(new RegExp(`\\n${i} ${name.replace('/', '\\/')} +\\d+`));
    const e = await run(['eval', 'f.json', '--limit', '3000', '--json'], { cwd: dir });
    expect(e.code).toBe(0);
    expect(JSON.parse(e.stdout).accuracy).toBeCloseTo(accuracy / 100, 4);
  });
});
