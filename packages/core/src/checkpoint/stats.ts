import { ConfigError } from '../base/errors.js';
import type { CheckpointStep, ScheduleStats } from './types.js';

/**
 * What happens to g^k during one step of a schedule:
 * - `computed`: the step computes it for the first time; `recomputed`: it computes it again;
 * - `used`: a backward step reads it (layer b reads g^b and g^{b−1});
 * - `freed`: the step releases it;
 * - `stored`: it is live and kept as a checkpoint; `live`: live otherwise.
 */
export type ActivationState = 'computed' | 'recomputed' | 'used' | 'freed' | 'stored' | 'live';

/** g^layer during steps[step]: one cell of the checkpoint timeline. */
export interface ScheduleCell {
  readonly step: number;
  readonly layer: number;
  readonly state: ActivationState;
}

/** Options of `simulateSchedule`. */
export interface SimulateOptions {
  /** Also record `cells`, the state of every live activation at every step. Default false. */
  readonly cells?: boolean;
}

/** What `simulateSchedule` reports: the counts, and the live memory after every step. */
export interface ScheduleSimulation extends ScheduleStats {
  /** The widths the simulation weighted activations by, when given. */
  readonly widths?: readonly number[];
  /** With `{ cells: true }`: one cell per (step, layer) where g^layer is live during the step (before or after it), in step order. */
  readonly cells?: readonly ScheduleCell[];
  /** Live activation buffers after each step (index i: after steps[i]). */
  readonly liveAfter: readonly number[];
  /** Live activation elements per sample after each step (Σ widths of live g^k). */
  readonly liveUnitsAfter: readonly number[];
  /** Most live activation elements per sample at once; times batch x bytes gives peak bytes. */
  readonly peakUnits: number;
}

/**
 * Run a schedule on paper: check that every step is legal (a forward reads a live activation and
 * writes one that is not live, backwards run L..1 each with g^k and g^{k−1} live, frees release
 * live buffers, nothing stays live at the end) and count forwards and peak memory. `widths`
 * (n_0 ... n_L) weight each activation by its width; by default every width is 1.
 */
export function simulateSchedule(layers: number, steps: readonly CheckpointStep[], widths?: readonly number[], options: SimulateOptions = {}): ScheduleSimulation {
  const L = layers;
  if (widths !== undefined && widths.length !== L + 1) {
    throw new ConfigError(`simulateSchedule: widths needs L + 1 = ${L + 1} entries, got ${widths.length}`);
  }
  if (widths !== undefined && !widths.every((w) => typeof w === 'number' && Number.isFinite(w) && w >= 0)) {
    throw new ConfigError(`simulateSchedule: widths must be finite numbers >= 0, got ${JSON.stringify(widths)}`);
  }
  const width = (k: number): number => (widths === undefined ? 1 : widths[k]!);
  const cells: ScheduleCell[] | undefined = options.cells === true ? [] : undefined;
  const everComputed = new Uint8Array(L + 1);
  everComputed[0] = 1;
  const live = new Uint8Array(L + 1);
  const stored = new Uint8Array(L + 1);
  live[0] = 1;
  stored[0] = 1;
  let liveCount = 1;
  let liveUnits = width(0);
  let storedCount = 1;
  let peakActivations = 1;
  let peakUnits = liveUnits;
  let peakCheckpoints = 1;
  let forwards = 0;
  let advance = 0;
  let nextBackward = L;
  const liveAfter: number[] = [];
  const liveUnitsAfter: number[] = [];
  const fail = (i: number, why: string): never => {
    throw new ConfigError(`simulateSchedule: step ${i} (${JSON.stringify(steps[i])}) ${why}`);
  };
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const k = step.layer;
    if (step === null || typeof step !== 'object') fail(i, 'is not a step object');
    if (!Number.isInteger(k) || k < 0 || k > L) fail(i, `names layer ${k}, outside 0..${L}`);
    // The activations this step changes or reads, for the cells.
    let eventA: ScheduleCell | undefined;
    let eventB: ScheduleCell | undefined;
    switch (step.op) {
      case 'forward': {
        if (k < 1) fail(i, 'computes g^0, which is the input');
        if (!live[k - 1]) fail(i, `needs g^${k - 1}, which is not live`);
        if (live[k]) fail(i, `computes g^${k}, which is already live`);
        live[k] = 1;
        liveCount++;
        liveUnits += width(k);
        forwards++;
        eventA = { step: i, layer: k, state: everComputed[k] ? 'recomputed' : 'computed' };
        everComputed[k] = 1;
        const next = steps[i + 1];
        if (!(next !== undefined && next.op === 'backward' && next.layer === k)) advance++;
        break;
      }
      case 'store':
        if (!live[k]) fail(i, `stores g^${k}, which is not live`);
        if (!stored[k]) {
          stored[k] = 1;
          storedCount++;
        }
        break;
      case 'free':
        if (!live[k]) fail(i, `frees g^${k}, which is not live`);
        eventA = { step: i, layer: k, state: 'freed' };
        live[k] = 0;
        liveCount--;
        liveUnits -= width(k);
        if (stored[k]) {
          stored[k] = 0;
          storedCount--;
        }
        break;
      case 'backward':
        if (k !== nextBackward) fail(i, `runs backward of layer ${k}, but layer ${nextBackward} is next`);
        if (k < 1) fail(i, 'runs backward of layer 0');
        if (!live[k] || !live[k - 1]) fail(i, `needs g^${k} and g^${k - 1} live`);
        eventA = { step: i, layer: k - 1, state: 'used' };
        eventB = { step: i, layer: k, state: 'used' };
        nextBackward--;
        break;
      default: {
        const unknown: never = step;
        fail(i, `has an unknown op ${JSON.stringify((unknown as { op?: unknown }).op)}`);
      }
    }
    if (cells !== undefined) {
      for (let j = 0; j <= L; j++) {
        if (eventA?.layer === j) cells.push(eventA);
        else if (eventB?.layer === j) cells.push(eventB);
        else if (live[j]) cells.push({ step: i, layer: j, state: stored[j] ? 'stored' : 'live' });
      }
    }
    peakActivations = Math.max(peakActivations, liveCount);
    peakUnits = Math.max(peakUnits, liveUnits);
    peakCheckpoints = Math.max(peakCheckpoints, storedCount);
    liveAfter.push(liveCount);
    liveUnitsAfter.push(liveUnits);
  }
  if (nextBackward !== 0) throw new ConfigError(`simulateSchedule: the schedule never runs backward of layer ${nextBackward}`);
  if (liveCount !== 0) throw new ConfigError(`simulateSchedule: ${liveCount} activations are still live at the end`);
  return {
    layers: L,
    forwardEvaluations: forwards,
    recomputations: forwards - L,
    advanceForwards: advance,
    peakActivations,
    peakCheckpoints,
    liveAfter,
    liveUnitsAfter,
    peakUnits,
    ...(widths !== undefined ? { widths: [...widths] } : {}),
    ...(cells !== undefined ? { cells } : {}),
  };
}
