import { residentFloat32 } from './simd/resident.js';

/** Element type of a matrix: float32 (default, fast) or float64 (exact work, gradcheck). */
export type DType = 'float32' | 'float64';

/** The typed arrays a matrix can be stored in. */
export type FloatArray = Float32Array | Float64Array;

/** Bytes per element of a dtype. */
export function bytesPerElement(dtype: DType): number {
  return dtype === 'float64' ? 8 : 4;
}

/**
 * Allocate a zeroed buffer of `length` elements. Every buffer the engine owns (parameters,
 * gradients, activations, workspaces) comes from here, so there is one place to change where
 * engine memory lives.
 */
export function allocFloat(dtype: DType, length: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
}

/**
 * A zeroed buffer the engine keeps to itself (parameters, gradients, optimiser state,
 * activations): float32 ones live in the SIMD kernel's shared memory where there is one, so its
 * kernels work on them in place, with no copy; otherwise as `allocFloat`. Views made from one
 * (subarray) must not outlive it.
 */
export function allocEngine(dtype: DType, length: number): FloatArray {
  return (dtype === 'float32' ? residentFloat32(length) : null) ?? allocFloat(dtype, length);
}

/** The dtype of a buffer. */
export function dtypeOf(data: FloatArray): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}
