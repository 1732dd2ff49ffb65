export { type Activation, type ActivationName, activationNames, getActivation, sigmoidValue, softplusValue } from './activations.js';
export {
  checkpointSchedule,
  normalizeStrategy,
  simulateSchedule,
  type ActivationState,
  type CheckpointStep,
  type ScheduleCell,
  type CheckpointStrategy,
  type ScheduleSimulation,
  type ScheduleStats,
  type SimulateOptions,
} from './checkpoint/index.js';
export * from './data/index.js';
export { ConfigError, DataError, DivergenceError, ModelFormatError, NablaError, ParseError, ShapeError } from './base/errors.js';
export { gradcheck, type ArrayCheck, type GradcheckOptions, type GradcheckResult } from './gradcheck.js';
export { type InitName, initNames } from './init.js';
export {
  constantRate,
  cosineDecay,
  exponentialDecay,
  stepDecay,
  type CosineDecayOptions,
  type ExponentialDecayOptions,
  type LearningRate,
  type LearningRateSchedule,
  type StepDecayOptions,
} from './learning-rate.js';
export { MAX_EXCERPT, MAX_JSON_DEPTH, MAX_LAYER_WIDTH, MAX_PARAMETERS, excerpt } from './base/limits.js';
export { type LossName, type OutputName, lossNames } from './losses.js';
export { type DType, type FloatArray, bytesPerElement } from './matrix/alloc.js';
export {
  gemm,
  gemmKernelVariant,
  gemmRaw,
  gemmSimdVariant,
  getGemmBackend,
  kernelVariants,
  setGemmBackend,
  type GemmBackend,
  type GemmOptions,
  type KernelVariant,
} from './matrix/gemm.js';
export { Matrix, type MatrixLike } from './matrix/matrix.js';
export { addColumnVector, hadamard, map, sumCols, sumRows } from './matrix/ops.js';
export { MLP } from './network/mlp.js';
export type { MLPOptions } from './network/options.js';
export type { Evaluation, GradientOptions, GradientResult, GradientStats, LayerParameters } from './network/types.js';
export {
  adam,
  momentum,
  nesterov,
  optimizer,
  optimizerNames,
  rmsprop,
  sgd,
  type AdamOptions,
  type Optimizer,
  type OptimizerName,
  type OptimizerOptions,
  type ParamSlot,
  type RmspropOptions,
  type SgdOptions,
} from './optimizers.js';
export { Random } from './random.js';
export { MODEL_FORMAT, MODEL_VERSION, parseModelJSON, type LayerJSON, type ModelJSON } from './serialize.js';
export { type ThreadHandle, type ThreadOptions, type ThreadStatus, PARALLEL_MIN_WORK, setThreadsPaused, threadCount, threadsPaused, useThreads } from './threads/pool.js';
export type { AutoThreadsReport } from './threads/auto.js';
export { train, yieldToEventLoop, type BatchInfo, type EarlyStoppingOptions, type EpochRecord, type History, type TrainOptions } from './train.js';
