import { ConfigError } from '../base/errors.js';
import { excerpt } from '../base/limits.js';
import type { CheckpointStrategy } from './types.js';

/** A strategy in normal form: 'none', every k, or a budget of s checkpoints. */
export type NormalStrategy = { readonly kind: 'none' } | { readonly kind: 'every'; readonly k: number } | { readonly kind: 'budget'; readonly s: number };

const describe = (value: unknown): string => excerpt(value);

/**
 * Validate a strategy and resolve 'sqrt' for L layers. Throws a ConfigError naming `caller` and
 * the offending value before any work is done.
 */
export function normalizeStrategy(layers: number, strategy: CheckpointStrategy | undefined, caller: string): NormalStrategy {
  if (strategy === undefined || strategy === 'none') return { kind: 'none' };
  if (strategy === 'sqrt') return { kind: 'every', k: Math.max(1, Math.ceil(Math.sqrt(layers))) };
  if (typeof strategy === 'object' && strategy !== null) {
    const keys = Object.keys(strategy);
    if (keys.length === 1 && keys[0] === 'every') {
      const k = (strategy as { every: unknown }).every;
      if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) {
        throw new ConfigError(`${caller}: checkpoint { every: k } needs an integer k >= 1, got ${describe(k)}`);
      }
      return { kind: 'every', k };
    }
    if (keys.length === 1 && keys[0] === 'budget') {
      const s = (strategy as { budget: unknown }).budget;
      if (typeof s !== 'number' || !Number.isInteger(s) || s < 1) {
        throw new ConfigError(`${caller}: checkpoint { budget: s } needs an integer s >= 1, got ${describe(s)}`);
      }
      return { kind: 'budget', s };
    }
  }
  throw new ConfigError(
    `${caller}: unknown checkpoint strategy ${describe(strategy)}; use 'none', 'sqrt', { every: k } or { budget: s }`,
  );
}
