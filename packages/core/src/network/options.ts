import { type Activation, type ActivationName, activationNames, getActivation } from '../activations.js';
import { ConfigError, formatList } from '../base/errors.js';
import { type InitName, initNames } from '../init.js';
import { type Head, type LossName, type OutputName, defaultLoss, getHead, lossNames, validOutputs } from '../losses.js';
import type { DType } from '../matrix/alloc.js';

/** Options of `new MLP(...)`. */
export interface MLPOptions {
  /** Layer sizes n_0 (inputs), n_1, ..., n_L (outputs); at least two. Read back as `net.sizes`. */
  readonly sizes: readonly number[];
  /** Hidden activation: one name for all hidden layers, or one per hidden layer. Default 'relu'. */
  readonly activation?: ActivationName | readonly ActivationName[];
  /** Output function. Default: 'sigmoid' for binary cross-entropy, 'linear' for mse, else 'softmax'. */
  readonly output?: OutputName;
  /** Loss. Default: the natural loss of `output` (softmax: cross-entropy, sigmoid: binary cross-entropy, others: mse); 'cross-entropy' when neither is given. */
  readonly loss?: LossName;
  /** Weight initialisation. Default 'auto' (He for relu-like layers, Xavier otherwise). */
  readonly init?: InitName;
  /** Element type. Default 'float32'; 'float64' for exact work. */
  readonly dtype?: DType;
  /** Seed of the initialisation. Default 1. */
  readonly seed?: number;
  /** Inverted-dropout rate of the hidden layers, one for all or one per hidden layer. Default 0. */
  readonly dropout?: number | readonly number[];
}
import { checkActivationOption, checkDropoutOption, checkNetworkSize } from '../validate.js';
import { brief } from '../base/limits.js';

/** `MLPOptions` checked and with every default filled in. */
export interface ResolvedOptions {
  readonly sizes: readonly number[];
  readonly dtype: DType;
  /** One activation per hidden layer (layers 1 ... L−1). */
  readonly hidden: Activation[];
  /** The output layer and its loss. */
  readonly head: Head;
  readonly dropout: readonly number[];
  readonly init: InitName;
  readonly seed: number;
}

/** Check `new MLP(options)`'s options, naming the offending value, and fill in the defaults. */
export function resolveOptions(options: MLPOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw new ConfigError('MLP: options must be an object');
  if ('layers' in options && !('sizes' in options)) {
    throw new ConfigError("MLP: the option 'layers' is now called 'sizes' (as on the network and in its JSON): new MLP({ sizes: [...] })");
  }
  const sizes = options.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2) {
    throw new ConfigError(`MLP: sizes needs at least 2 entries, got ${Array.isArray(sizes) ? formatList(sizes) : String(sizes)}`);
  }
  sizes.forEach((n, i) => {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
      throw new ConfigError(`MLP: layer sizes must be integers >= 1, sizes[${i}] is ${brief(n)} in ${formatList(sizes)}`);
    }
  });
  const hiddenLayers = sizes.length - 2;
  const dtype = options.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') throw new ConfigError(`MLP: dtype must be 'float32' or 'float64', got ${brief(dtype)}`);
  checkNetworkSize(sizes, dtype);

  checkActivationOption(options.activation);
  const act = options.activation ?? 'relu';
  if (typeof act === 'string' && getActivation(act) === undefined) {
    throw new ConfigError(`MLP: unknown activation '${act}'; use one of ${activationNames.join(', ')}`);
  }
  const names = typeof act === 'string' ? new Array<string>(hiddenLayers).fill(act) : [...act];
  if (names.length !== hiddenLayers) {
    throw new ConfigError(`MLP: activation lists ${names.length} names, but the network has ${hiddenLayers} hidden layers`);
  }
  const hidden = names.map((name, i) => {
    const a = getActivation(name);
    if (a === undefined) {
      throw new ConfigError(`MLP: unknown activation '${brief(name)}' for hidden layer ${i + 1}; use one of ${activationNames.join(', ')}`);
    }
    return a;
  });

  if (options.loss !== undefined && !lossNames.includes(options.loss)) {
    throw new ConfigError(`MLP: unknown loss '${brief(options.loss)}'; use one of ${lossNames.join(', ')}`);
  }
  const output = options.output ?? (options.loss === 'binary-cross-entropy' ? 'sigmoid' : options.loss === 'mse' ? 'linear' : 'softmax');
  const loss = options.loss ?? defaultLoss(output);
  const head = getHead(output, loss);
  if (head === undefined) {
    throw new ConfigError(`MLP: output '${brief(output)}' does not go with loss '${loss}'; ${loss} needs output ${validOutputs[loss]}`);
  }

  checkDropoutOption(options.dropout);
  const rates = options.dropout ?? 0;
  const dropout = typeof rates === 'number' ? new Array<number>(hiddenLayers).fill(rates) : [...rates];
  if (dropout.length !== hiddenLayers) throw new ConfigError(`MLP: dropout lists ${dropout.length} rates, but the network has ${hiddenLayers} hidden layers`);
  dropout.forEach((p, i) => {
    if (typeof p !== 'number' || !(p >= 0 && p < 1)) throw new ConfigError(`MLP: dropout rate of hidden layer ${i + 1} must be in [0, 1), got ${brief(p)}`);
  });

  const init = options.init ?? 'auto';
  if (!initNames.includes(init)) throw new ConfigError(`MLP: unknown init '${brief(init)}'; use one of ${initNames.join(', ')}`);
  const seed = options.seed ?? 1;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new ConfigError(`MLP: seed must be an integer, got ${brief(seed)}`);
  return { sizes: [...sizes], dtype, hidden, head, dropout, init, seed };
}
