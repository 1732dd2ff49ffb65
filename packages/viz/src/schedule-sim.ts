import type { ScheduleStep, TimelineSimulation } from './types.js';

/**
 * Check what `checkpointTimeline(...).update` reads: the steps and core's simulation of them,
 * `simulateSchedule(L, steps, widths, { cells: true })`. The view draws that simulation and
 * interprets no schedule itself. Returns the problem as a sentence, or undefined.
 */
export function checkTimelineData(next: unknown): string | undefined {
  if (next === null || typeof next !== 'object') return `expected { steps, simulation }, got ${String(next)}`;
  const { steps, simulation } = next as { steps?: unknown; simulation?: Partial<TimelineSimulation> };
  if (!Array.isArray(steps)) return `steps must be an array, got ${typeof steps}`;
  if (simulation === null || typeof simulation !== 'object') {
    return 'simulation is missing: pass simulateSchedule(L, steps, widths, { cells: true }) from @nabla/core';
  }
  const L = simulation.layers;
  if (typeof L !== 'number' || !Number.isInteger(L) || L < 1) return `simulation.layers must be an integer >= 1, got ${String(L)}`;
  if (!Array.isArray(simulation.cells)) return 'simulation has no cells: simulate with { cells: true }';
  if (!Array.isArray(simulation.liveUnitsAfter) || simulation.liveUnitsAfter.length !== steps.length) {
    return `simulation covers ${Array.isArray(simulation.liveUnitsAfter) ? simulation.liveUnitsAfter.length : 'no'} steps, but steps has ${steps.length}`;
  }
  return undefined;
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
    default: {
      const unknown: never = s;
      return `unknown step ${JSON.stringify(unknown)}`;
    }
  }
}
