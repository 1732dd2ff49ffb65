import { type LearningRate, cosineDecay } from '@nabla/core';

/** Learning-rate schedules of `nabla train --lr-schedule`. */
export type LrSchedule = 'constant' | 'cosine';
export const lrSchedules: readonly LrSchedule[] = ['constant', 'cosine'];

/**
 * The learning rate of `--lr <rate> --lr-schedule <schedule>` for a run of `total` updates:
 * the rate itself, or core's cosine decay from it to 0 over the run (Loshchilov & Hutter 2017,
 * "SGDR", one cycle without restarts), which the optimiser evaluates at every update.
 */
export function learningRateFor(schedule: LrSchedule, rate: number, total: number): LearningRate {
  return schedule === 'constant' ? rate : cosineDecay({ rate, steps: Math.max(1, total) });
}
