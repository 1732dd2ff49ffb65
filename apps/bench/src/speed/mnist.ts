import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The 10,000 MNIST digits of the `mnist` package, in one fixed shuffled order. */
export interface Digits {
  readonly count: number;
  /** count x 784, samples as rows, values in [0, 1]. */
  readonly x: Float32Array;
  /** count x 10, one-hot. */
  readonly y: Float32Array;
  readonly labels: Uint8Array;
}

export const INPUTS = 784;
export const CLASSES = 10;

/** Load the digits and shuffle them once with a seeded generator (the same order for everyone). */
export function loadDigits(seed = 1): Digits {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  const samples: { pixels: number[]; offset: number; label: number }[] = [];
  for (let d = 0; d < CLASSES; d++) {
    const raw = (JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8')) as { data: number[] }).data;
    for (let s = 0; (s + 1) * INPUTS <= raw.length; s++) samples.push({ pixels: raw, offset: s * INPUTS, label: d });
  }
  // Fisher-Yates with a small xorshift generator: reproducible, independent of any library.
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
  for (let i = samples.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = samples[i]!;
    samples[i] = samples[j]!;
    samples[j] = t;
  }
  const count = samples.length;
  const x = new Float32Array(count * INPUTS);
  const y = new Float32Array(count * CLASSES);
  const labels = new Uint8Array(count);
  samples.forEach((s, i) => {
    for (let p = 0; p < INPUTS; p++) x[i * INPUTS + p] = s.pixels[s.offset + p]!;
    y[i * CLASSES + s.label] = 1;
    labels[i] = s.label;
  });
  return { count, x, y, labels };
}
