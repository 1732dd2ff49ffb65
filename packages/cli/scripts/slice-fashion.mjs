// Cuts the committed Fashion-MNIST slice (test/fixtures/fashion-mnist/) from the full dataset:
// the first N images and labels of the 10,000-image test set, written as gzip IDX files with
// the same names as the originals.
//   node scripts/slice-fashion.mjs /usr/share/datasets/fashion-mnist [N=200]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const [source, count = '200'] = process.argv.slice(2);
if (!source) throw new Error('usage: node scripts/slice-fashion.mjs FASHION_MNIST_DIR [N]');
const n = Number(count);
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'fashion-mnist');

for (const [file, dims] of [['t10k-images-idx3-ubyte', 3], ['t10k-labels-idx1-ubyte', 1]]) {
  const bytes = gunzipSync(readFileSync(join(source, `${file}.gz`)));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== 0x800 + dims) throw new Error(`${file}: magic 0x${magic.toString(16)}, expected 0x${(0x800 + dims).toString(16)}`);
  const header = 4 + 4 * dims;
  const itemBytes = dims === 3 ? view.getUint32(8) * view.getUint32(12) : 1;
  if (view.getUint32(4) < n) throw new Error(`${file}: has ${view.getUint32(4)} items, fewer than ${n}`);
  const slice = new Uint8Array(bytes.subarray(0, header + n * itemBytes));
  new DataView(slice.buffer).setUint32(4, n);
  writeFileSync(join(out, `${file}.gz`), gzipSync(slice, { level: 9 }));
  console.log(`${file}.gz: ${n} items, ${slice.length} bytes before gzip`);
}
