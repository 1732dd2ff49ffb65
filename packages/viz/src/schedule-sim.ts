import type { ScheduleStep } from './types.js';

/**
 * What happens to g^k during one step of a schedule:
 * - `computed`: the step computes it for the first time; `recomputed`: it computes it again;
 * - `used`: a backward step reads it (layer b reads g^b and g^{b-1});
 * - `freed`: the step releases it;
 * - `stored`: it is live and kept as a checkpoint; `live`: live otherwise.
 */
export type CellState = 'computed' | 'recomputed' | 'used' | 'freed' | 'stored' | 'live';

/** g^layer during steps[step]. */
export interface TimelineCell {
  readonly step: number;
  readonly layer: number;
  readonly state: CellState;
}

/** The whole life of every activation over a schedule. */
export interface TimelineSimulation {
  readonly layers: number;
  /** One cell per (step, layer) where g^layer is live during the step (before or after it). */
  readonly cells: readonly TimelineCell[];
  /** Live activations after each step. */
  readonly liveAfter: readonly number[];
  /** Σ widths of live activations after each step (the counts when no widths are given). */
  readonly liveUnitsAfter: readonly number[];
  readonly peakUnits: number;
  /** Layer forward evaluations, and how many of them recompute. */
  readonly forwards: number;
  readonly recomputations: number;
}

/**
 * Replay a checkpointing schedule on paper, as the engine would run it: g^0 is live at the
 * start; a forward needs g^{k-1} live and makes g^k live; backwards run L..1 with g^b and
 * g^{b-1} live; frees release live buffers; nothing is live at the end. Returns the simulation,
 * or the first illegal step as a sentence.
 */
export function simulateTimeline(layers: number, steps: readonly ScheduleStep[], widths?: readonly number[]): TimelineSimulation | string {
  const L = layers;
  if (!Number.isInteger(L) || L < 1) return `layers must be an integer >= 1, got ${String(L)}`;
  if (!Array.isArray(steps)) return `steps must be an array, got ${typeof steps}`;
  if (widths !== undefined && (widths.length !== L + 1 || !widths.every((w) => Number.isFinite(w) && w >= 0))) {
    return `widths needs L + 1 = ${L + 1} non-negative numbers, got ${JSON.stringify(widths)}`;
  }
  const width = (k: number): number => (widths ? widths[k]! : 1);
  const live = new Uint8Array(L + 1);
  const stored = new Uint8Array(L + 1);
  const everComputed = new Uint8Array(L + 1);
  live[0] = stored[0] = everComputed[0] = 1;
  let liveCount = 1;
  let units = width(0);
  let peakUnits = units;
  let forwards = 0;
  let recomputations = 0;
  let nextBackward = L;
  const cells: TimelineCell[] = [];
  const liveAfter: number[] = [];
  const liveUnitsAfter: number[] = [];
  for (let t = 0; t < steps.length; t++) {
    const s = steps[t]!;
    const k = s?.layer;
    const bad = (why: string): string => `step ${t} (${JSON.stringify(s)}) ${why}`;
    if (!Number.isInteger(k) || k < 0 || k > L) return bad(`names layer ${k}, outside 0..${L}`);
    let event: { layer: number; state: CellState }[] = [];
    switch (s.op) {
      case 'forward':
        if (k < 1) return bad('computes g^0, which is the input');
        if (!live[k - 1]) return bad(`needs g^${k - 1}, which is not live`);
        if (live[k]) return bad(`computes g^${k}, which is already live`);
        live[k] = 1;
        liveCount++;
        units += width(k);
        forwards++;
        if (everComputed[k]) recomputations++;
        event = [{ layer: k, state: everComputed[k] ? 'recomputed' : 'computed' }];
        everComputed[k] = 1;
        break;
      case 'store':
        if (!live[k]) return bad(`stores g^${k}, which is not live`);
        stored[k] = 1;
        break;
      case 'free':
        if (!live[k]) return bad(`frees g^${k}, which is not live`);
        event = [{ layer: k, state: 'freed' }];
        live[k] = 0;
        stored[k] = 0;
        liveCount--;
        units -= width(k);
        break;
      case 'backward':
        if (k !== nextBackward || k < 1) return bad(`runs backward of layer ${k}, but layer ${nextBackward} is next`);
        if (!live[k] || !live[k - 1]) return bad(`needs g^${k} and g^${k - 1} live`);
        nextBackward--;
        event = [
          { layer: k, state: 'used' },
          { layer: k - 1, state: 'used' },
        ];
        break;
      default:
        return bad('has an unknown op');
    }
    for (let j = 0; j <= L; j++) {
      const e = event.find((ev) => ev.layer === j);
      if (e) cells.push({ step: t, layer: j, state: e.state });
      else if (live[j]) cells.push({ step: t, layer: j, state: stored[j] ? 'stored' : 'live' });
    }
    peakUnits = Math.max(peakUnits, units);
    liveAfter.push(liveCount);
    liveUnitsAfter.push(units);
  }
  if (nextBackward !== 0) return `the schedule never runs backward of layer ${nextBackward}`;
  if (liveCount !== 0) return `${liveCount} activations are still live at the end`;
  return { layers: L, cells, liveAfter, liveUnitsAfter, peakUnits, forwards, recomputations };
}

/** A step as words: `forward g^3 (recompute)`, `backward layer 2`. */
export function describeStep(s: ScheduleStep): string {
  switch (s.op) {
    case 'forward':
      return `forward: compute g^${s.layer}${s.recompute ? ' again (recompute)' : ''}`;
    case 'store':
      return `store g^${s.layer} as a checkpoint`;
    case 'free':
      return `free g^${s.layer}`;
    case 'backward':
      return `backward through layer ${s.layer}: reads g^${s.layer} and g^${s.layer - 1}`;
  }
}
