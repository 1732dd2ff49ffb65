export { checkpointSchedule } from './schedule.js';
export { simulateSchedule, type ScheduleSimulation } from './stats.js';
export { normalizeStrategy, type NormalStrategy } from './strategy.js';
export type { CheckpointStep, CheckpointStrategy, ScheduleStats } from './types.js';
