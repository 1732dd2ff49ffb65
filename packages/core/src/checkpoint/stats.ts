import { ConfigError } from '../base/errors.js';
import type { CheckpointStep, ScheduleStats } from './types.js';

/** What `simulateSchedule` reports: the counts, and the live memory after every step. */
export interface ScheduleSimulation extends ScheduleStats {
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
export function simulateSchedule(layers: number, steps: readonly CheckpointStep[], widths?: readonly number[]): ScheduleSimulation {
  const L = layers;
  if (widths !== undefined && widths.length !== L + 1) {
    throw new ConfigError(`simulateSchedule: widths needs L + 1 = ${L + 1} entries, got ${widths.length}`);
  }
  const width = (k: number): number => (widths === undefined ? 1 : widths[k]!);
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
    if (!Number.isInteger(k) || k < 0 || k > L) fail(i, `names layer ${k}, outside 0..${L}`);
    switch (step.op) {
      case 'forward': {
        if (k < 1) fail(i, 'computes g^0, which is the input');
        if (!live[k - 1]) fail(i, `needs g^${k - 1}, which is not live`);
        if (live[k]) fail(i, `computes g^${k}, which is already live`);
        live[k] = 1;
        liveCount++;
        liveUnits += width(k);
        forwards++;
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
        nextBackward--;
        break;
      default:
        fail(i, 'has an unknown op');
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
  };
}
