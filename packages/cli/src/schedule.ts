import type { FloatArray, Optimizer, ParamSlot } from '@nabla/core';

/** Learning-rate schedules of `nabla train --lr-schedule`. */
export type LrSchedule = 'constant' | 'cosine';
export const lrSchedules: readonly LrSchedule[] = ['constant', 'cosine'];

/** The learning-rate factor after `step` of `total` steps: 1, or the cosine 0.5 (1 + cos(π t / T)). */
export function scheduleFactor(schedule: LrSchedule, step: number, total: number): number {
  if (schedule === 'constant') return 1;
  return 0.5 * (1 + Math.cos((Math.PI * Math.min(step, total)) / Math.max(total, 1)));
}

/**
 * Wrap an optimiser so that each update is scaled by the schedule's factor: the parameters move
 * from p to p + f (p' − p), where p' is what the wrapped optimiser computes. For SGD and Adam
 * alike this is the update of learning rate f η with the same optimiser state (cosine decay:
 * Loshchilov & Hutter 2017, "SGDR", without restarts). `total` is the number of steps planned.
 */
export function withSchedule(inner: Optimizer, schedule: LrSchedule, total: number): Optimizer {
  if (schedule === 'constant') return inner;
  let step = 0;
  let before: FloatArray[] = [];
  return {
    name: inner.name,
    learningRate: inner.learningRate,
    step(slots: readonly ParamSlot[]): void {
      if (before.length !== slots.length || before.some((b, i) => b.length !== slots[i]!.param.length)) before = slots.map((s) => s.param.slice());
      else slots.forEach((s, i) => before[i]!.set(s.param));
      inner.step(slots);
      const f = scheduleFactor(schedule, step++, total);
      for (let i = 0; i < slots.length; i++) {
        const p = slots[i]!.param;
        const b = before[i]!;
        for (let j = 0; j < p.length; j++) p[j] = b[j]! + f * (p[j]! - b[j]!);
      }
    },
    reset(): void {
      step = 0;
      inner.reset();
    },
  };
}
