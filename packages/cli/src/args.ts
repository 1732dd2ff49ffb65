import { type CheckpointStrategy, type DType, MAX_LAYER_WIDTH, MAX_PARAMETERS, excerpt } from '@nabla/core';
import { UsageError } from './io.js';

/** Options every command accepts. */
export const commonOptions = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
} as const;

/** parseArgs options of a command: strings and flags. */
type Options = Record<string, { readonly type: 'string' | 'boolean'; readonly short?: string }>;

/** The parseArgs configuration of a command: strict, positionals allowed, plus the common options. */
export function argsConfig<T extends Options>(argv: readonly string[], options: T) {
  return { args: [...argv], options: { ...commonOptions, ...options }, allowPositionals: true as const, strict: true as const };
}

/** Run node:util's parseArgs, turning its errors into one-line usage errors naming the command. */
export function parse<R>(command: string, run: () => R): R {
  try {
    return run();
  } catch (e) {
    const message = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(`${message} (see nabla ${command} --help)`);
  }
}

/** A number option: finite, within [min, max], an integer when asked. */
export function numberOption(name: string, value: string | undefined, fallback: number, rule: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean } = {}): number {
  if (value === undefined) return fallback;
  const v = Number(value);
  const bad =
    value.trim() === '' ||
    !Number.isFinite(v) ||
    (rule.integer === true && !Number.isInteger(v)) ||
    (rule.min !== undefined && (rule.exclusiveMin ? v <= rule.min : v < rule.min)) ||
    (rule.max !== undefined && v > rule.max);
  if (bad) {
    const range = [
      rule.integer ? 'an integer' : 'a number',
      rule.min !== undefined ? `${rule.exclusiveMin ? '>' : '>='} ${rule.min}` : '',
      rule.max !== undefined ? `<= ${rule.max}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    throw new UsageError(`invalid --${name}: ${excerpt(value)}, expected ${range}`);
  }
  return v;
}

/** `--layers 256,128` → [256, 128]; `none` or an empty string → no hidden layer. */
export function parseLayers(value: string | undefined): number[] {
  if (value === undefined) return [256, 128];
  const t = value.trim();
  if (t === '' || t === 'none' || t === '0') return [];
  const widths = t.split(',').map((s) => {
    const w = s.trim();
    const n = /^\d{1,15}$/.test(w) ? Number(w) : Number.NaN;
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`invalid --layers: ${excerpt(value)}, expected hidden widths such as 256,128 (or none)`);
    if (n > MAX_LAYER_WIDTH) throw new UsageError(`invalid --layers: a width of ${n} is more than the limit of ${MAX_LAYER_WIDTH} units per layer`);
    return n;
  });
  // The hidden-to-hidden weights alone; the input and output layers are checked once the data is known.
  let params = 0;
  for (let i = 1; i < widths.length; i++) params += widths[i]! * (widths[i - 1]! + 1);
  if (params > MAX_PARAMETERS) {
    throw new UsageError(`invalid --layers: ${excerpt(value)} needs ${params} parameters between the hidden layers alone (${(params * 8 / 1e9).toFixed(1)} GB as float32 weights and gradients), more than the limit of ${MAX_PARAMETERS}`);
  }
  return widths;
}

/** `none`, `sqrt`, `every:K` or `budget:S`. */
export function parseCheckpoint(value: string | undefined): CheckpointStrategy {
  const v = (value ?? 'none').trim();
  if (v === 'none' || v === 'sqrt') return v;
  const m = /^(every|budget):(\d+)$/.exec(v);
  if (m !== null && Number(m[2]) >= 1) return m[1] === 'every' ? { every: Number(m[2]) } : { budget: Number(m[2]) };
  throw new UsageError(`invalid --checkpoint: ${excerpt(value)}, expected none, sqrt, every:K or budget:S`);
}

/** The name `parseCheckpoint` reads. */
export function checkpointName(s: CheckpointStrategy): string {
  return typeof s === 'string' ? s : 'every' in s ? `every:${s.every}` : `budget:${s.budget}`;
}

export function parseDtype(value: string | undefined): DType {
  const v = value ?? 'float32';
  if (v !== 'float32' && v !== 'float64') throw new UsageError(`invalid --dtype: ${excerpt(value)}, expected float32 or float64`);
  return v;
}

/** Exactly `count` positional arguments, named in the message when missing. */
export function positionals(command: string, values: readonly string[], names: readonly string[]): string[] {
  if (values.length < names.length) throw new UsageError(`nabla ${command} needs ${names.join(' and ')} (see nabla ${command} --help)`);
  if (values.length > names.length) throw new UsageError(`nabla ${command}: unexpected argument ${excerpt(values[names.length])} (see nabla ${command} --help)`);
  return [...values];
}
