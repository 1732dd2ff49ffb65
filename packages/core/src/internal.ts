// The internal protocol of @nabla/core, for its benchmarks (`@nabla/core/internal`): not part of
// the public API, and free to change in any release.
export { type BatchRef, Engine, type StepResult, engineOf, trainingRows } from './network/engine.js';
export { INFERENCE, Layer, type PassMode } from './network/layer.js';
export { PARALLEL_MIN_UPDATE, setParallelMinWork } from './threads/pool.js';
export { setGemmOverride } from './matrix/gemm.js';
// A float32 buffer in the SIMD kernel's shared memory, as a network's own buffers are: the speed
// benchmark times GEMMs on such operands beside a caller's arrays.
export { residentFloat32 } from './matrix/simd/resident.js';
export { AutoThreads } from './threads/auto.js';
