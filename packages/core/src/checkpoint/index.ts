export { checkpointSchedule } from './schedule.js';
export { simulateSchedule, type ActivationState, type ScheduleCell, type ScheduleSimulation, type SimulateOptions } from './stats.js';
export { normalizeStrategy, type NormalStrategy } from './strategy.js';
export type { CheckpointStep, CheckpointStrategy, ScheduleStats } from './types.js';
