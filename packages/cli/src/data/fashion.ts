import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Matrix, parseIdx } from '@nabla/core';
import { CliError } from '../io.js';
import { oneHotMatrix, type Split } from './rows.js';

/** Where Debian's dataset-fashion-mnist package installs the files. */
export const DEBIAN_FASHION_DIR = '/usr/share/datasets/fashion-mnist';

/** The ten Fashion-MNIST classes, index i is label i. */
export const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

const FILES = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
} as const;

/** A dataset that is not installed: the message says how to get it. */
export class MissingDataError extends CliError {}

/** --data-dir, else NABLA_DATA_DIR, else the Debian path. */
export function fashionDir(dataDir: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  return dataDir ?? env.NABLA_DATA_DIR ?? DEBIAN_FASHION_DIR;
}

function readIdx(dir: string, base: string): ReturnType<typeof parseIdx> {
  const gz = join(dir, `${base}.gz`);
  const raw = join(dir, base);
  let bytes: Uint8Array;
  let name: string;
  if (existsSync(gz)) {
    name = gz;
    try {
      bytes = gunzipSync(readFileSync(gz));
    } catch (e) {
      throw new CliError(`${gz}: not a valid gzip file (${(e as Error).message})`);
    }
  } else if (existsSync(raw)) {
    name = raw;
    bytes = readFileSync(raw);
  } else {
    throw new MissingDataError(
      `Fashion-MNIST not found: ${gz} does not exist. Install it with 'apt-get install dataset-fashion-mnist' (Debian), or point --data-dir or NABLA_DATA_DIR at a folder with ${[...FILES.train, ...FILES.test].map((f) => `${f}.gz`).join(', ')}`,
    );
  }
  return parseIdx(bytes, { name });
}

/**
 * One part of Fashion-MNIST: images as rows of 784 raw pixel values (0 ... 255, not yet scaled)
 * and one-hot labels. `limit` keeps the first rows only (the file is still read whole).
 */
export function loadFashionPart(dir: string, part: 'train' | 'test', limit?: number): Split {
  const [imagesFile, labelsFile] = FILES[part];
  const images = readIdx(dir, imagesFile);
  const labels = readIdx(dir, labelsFile);
  const [n, h, w] = images.shape;
  if (images.type !== 'uint8' || images.shape.length !== 3 || n === undefined || h === undefined || w === undefined) {
    throw new CliError(`${join(dir, imagesFile)}: expected uint8 images of shape [n, rows, cols], got ${images.type} [${images.shape.join(', ')}]`);
  }
  if (labels.type !== 'uint8' || labels.shape.length !== 1 || labels.shape[0] !== n) {
    throw new CliError(`${join(dir, labelsFile)}: expected ${n} uint8 labels, got ${labels.type} [${labels.shape.join(', ')}]`);
  }
  const rows = Math.min(n, limit ?? n);
  const d = h * w;
  const x = new Matrix(rows, d);
  x.data.set(images.data.subarray(0, rows * d));
  const lab = labels.data.subarray(0, rows);
  for (let i = 0; i < rows; i++) {
    if (lab[i]! >= FASHION_CLASSES.length) throw new CliError(`${join(dir, labelsFile)}: label ${i} is ${lab[i]}, expected 0 ... 9`);
  }
  return { x, y: oneHotMatrix(lab, FASHION_CLASSES.length) };
}
