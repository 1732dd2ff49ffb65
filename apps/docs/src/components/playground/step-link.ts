// The query of the link from the playground to the notes' step-through figure: the current
// network (sizes with the feature inputs, activations, head, seed, the weights of the last
// snapshot) and three samples of the current training data, as step-through/url.ts reads it.
// Built when the reader follows the link, from what the page already holds: training never waits.
import { formatSetup, MAX_DEPTH, MAX_QUERY, MAX_WIDTH, parameterCount, type Setup } from '../step-through/url';
import { featureRows } from '../../workers/playground-data';
import type { DataMessage, PlaygroundConfig, SnapshotMessage } from '../../workers/playground-protocol';

/** Samples of the batch the link carries. */
export const LINK_BATCH = 3;

/** The layer sizes the configuration asks for, before the worker has said (outputs: 2 classes until the data is known). */
export function configSizes(config: PlaygroundConfig, data: DataMessage | null): number[] {
  const inputs = config.dataset === 'mnist' ? 784 : config.features.length;
  const outputs = data ? (data.classes > 0 ? data.classes : 1) : config.problem === 'regression' ? 1 : 2;
  return [inputs, ...config.hidden, outputs];
}

/** Why the step-through cannot show a network of these sizes, or null when it can. */
export function tooLarge(sizes: readonly number[]): string | null {
  if (sizes.length - 1 <= MAX_DEPTH && sizes.every((n) => n <= MAX_WIDTH)) return null;
  return `this network (${sizes.join('-')}) is larger than the step-through shows legibly (at most ${MAX_DEPTH} layers of at most ${MAX_WIDTH} units, inputs and outputs included)`;
}

/**
 * The query string for the step-through. A network too large for the figure gets only its sizes,
 * so that the figure says why it shows its own network instead.
 */
export function stepThroughQuery(config: PlaygroundConfig, data: DataMessage | null, snapshot: SnapshotMessage | null): string {
  const sizes = snapshot?.sizes ? [...snapshot.sizes] : configSizes(config, data);
  if (tooLarge(sizes) !== null || data === null || data.images !== undefined) return `sizes=${sizes.join('-')}`;
  const classes = data.classes;
  const hidden = sizes.length - 2;
  // The batch trained last when there is one (paused or slow motion), else the first training samples.
  const last = snapshot?.lastBatch && snapshot.lastBatch.length > 0 ? Array.from(snapshot.lastBatch) : [];
  const picks = (last.length > 0 ? last : Array.from({ length: data.trainCount }, (_, i) => i)).slice(0, LINK_BATCH);
  const points = new Float64Array(2 * picks.length);
  picks.forEach((p, i) => {
    points[2 * i] = data.points[2 * p]!;
    points[2 * i + 1] = data.points[2 * p + 1]!;
  });
  const rows = featureRows(points, config.features);
  const d = sizes[0]!;
  // The worker trains on float32 copies of the features and targets: the link carries those values.
  const x = picks.map((_, i) => Array.from(rows.subarray(i * d, (i + 1) * d), Math.fround));
  const nL = sizes[sizes.length - 1]!;
  const y = picks.map((p) => {
    const t = data.targets[p]!;
    return classes > 0 ? Array.from({ length: nL }, (_, c) => (c === t ? 1 : 0)) : [Math.fround(t)];
  });
  const params = snapshot?.params && snapshot.params.length === parameterCount(sizes) ? snapshot.params : undefined;
  const setup: Setup = {
    network: {
      sizes,
      activation: Array.from({ length: hidden }, (_, i) => config.activations[i] ?? 'tanh'),
      output: classes > 0 ? 'softmax' : 'linear',
      loss: classes > 0 ? 'cross-entropy' : 'mse',
      dtype: 'float64',
      seed: config.seed,
    },
    x,
    y,
    ...(params ? { params, steps: snapshot?.steps ?? 0 } : {}),
  };
  const query = formatSetup(setup);
  // Too long with the weights: the seed's network instead (a 6 x 8 network's weights fit, so this is a guard).
  if (query.length > MAX_QUERY) return formatSetup({ network: setup.network, x, y });
  return query;
}
