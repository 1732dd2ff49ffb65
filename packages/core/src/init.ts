import { ConfigError } from './base/errors.js';
import type { FloatArray } from './matrix/alloc.js';
import type { Random } from './random.js';

/** Weight initialisations. Biases start at zero. */
export type InitName = 'auto' | 'he-normal' | 'he-uniform' | 'xavier-normal' | 'xavier-uniform';

export const initNames: readonly InitName[] = ['auto', 'he-normal', 'he-uniform', 'xavier-normal', 'xavier-uniform'];

/**
 * Fill W (fanOut x fanIn) from the seeded generator.
 * - He (He et al. 2015), for relu-like layers: variance 2 / fanIn.
 * - Xavier/Glorot (Glorot & Bengio 2010): variance 2 / (fanIn + fanOut).
 * Uniform variants draw from [−a, a] with a = sqrt(3 · variance).
 * 'auto' picks he-normal for relu and leaky-relu layers and xavier-uniform otherwise.
 */
export function initWeights(w: FloatArray, fanIn: number, fanOut: number, init: InitName, activation: string, rng: Random): void {
  const name = init === 'auto' ? (activation === 'relu' || activation === 'leaky-relu' ? 'he-normal' : 'xavier-uniform') : init;
  const variance = name.startsWith('he') ? 2 / fanIn : 2 / (fanIn + fanOut);
  if (name.endsWith('normal')) {
    const sd = Math.sqrt(variance);
    for (let i = 0; i < w.length; i++) w[i] = sd * rng.normal();
  } else if (name.endsWith('uniform')) {
    const a = Math.sqrt(3 * variance);
    for (let i = 0; i < w.length; i++) w[i] = rng.uniform(-a, a);
  } else {
    throw new ConfigError(`MLP: unknown init '${init}'; use one of ${initNames.join(', ')}`);
  }
}
