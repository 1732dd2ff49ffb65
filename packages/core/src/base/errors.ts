// The error classes every module stands on: the kernels, the schedules, the loaders and the engine.
import { brief } from './limits.js';

/** Base class of every error Nabla throws on purpose. Messages name the function and values. */
export class NablaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Operands or data whose shapes do not fit together. */
export class ShapeError extends NablaError {}

/** Data that cannot be used: NaN or Infinity, ragged rows, empty batches, invalid labels. */
export class DataError extends NablaError {}

/** An option with an invalid value, or an unknown activation, loss, optimizer or strategy. */
export class ConfigError extends NablaError {}

/** A model JSON that is corrupt, incomplete or of an unsupported format or version. */
export class ModelFormatError extends NablaError {}

/** A file or byte stream that does not follow its format (IDX, CSV). */
export class ParseError extends NablaError {}

/** Training produced a non-finite loss or parameter; the network keeps its last finite state. */
export class DivergenceError extends NablaError {
  readonly epoch: number;
  readonly batch: number;
  constructor(message: string, epoch: number, batch: number) {
    super(message);
    this.epoch = epoch;
    this.batch = batch;
  }
}

/** Format a list of numbers for an error message, eliding the middle of long lists. */
export function formatList(values: ArrayLike<number | string>, max = 8): string {
  const n = values.length;
  const shown: string[] = [];
  for (let i = 0; i < Math.min(n, max); i++) shown.push(brief(values[i], 40));
  return `[${shown.join(', ')}${n > max ? `, ... (${n} in all)` : ''}]`;
}
