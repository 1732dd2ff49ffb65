// The internal protocol of @nabla/core, for its benchmarks (`@nabla/core/internal`): not part of
// the public API, and free to change in any release.
export { type BatchRef, Engine, type StepResult, engineOf } from './network/engine.js';
export { INFERENCE, Layer, type PassMode } from './network/layer.js';
export { PARALLEL_MIN_UPDATE, setParallelMinWork } from './threads/pool.js';
export { setGemmOverride } from './matrix/gemm.js';
