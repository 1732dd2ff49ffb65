// Resident buffers: the arena of engine buffers inside the shared kernel's memory, each freed
// when its view is collected, and where a call's scratch space starts after it.
import { SIMD_RESERVED_BYTES } from './kernel-wasm.js';
import { Arena } from './arena.js';
import { type Kernel, getShared, heapOf, sharedBuffers } from './kernel.js';

// Engine buffers (parameters, gradients, optimiser state, activations) are allocated in the
// shared kernel's memory where it exists: the kernels then read and write them where they are,
// with no copy in or out, and worker threads see them too. Copies between typed arrays and a
// shared memory run 1.4-4x slower than into an ordinary one, so operands that are not resident
// (a user's matrices) keep to the kernel over an ordinary memory. A shared memory never
// detaches its buffer when it grows, so these views stay valid; each is given back to the arena
// when it is garbage-collected. Layout of the shared memory: the reserved area, the arena,
// then each call's scratch space.

/** Most bytes the arena spans; past it, engine buffers are ordinary typed arrays. */
const ARENA_LIMIT = 1 << 29;
const arena = new Arena(ARENA_LIMIT);

const freed =
  typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<{ at: number; bytes: number }>(({ at, bytes }) => arena.free(at, bytes)) : undefined;

/**
 * A zeroed float32 buffer in the shared kernel's memory, or null where there is none (or the
 * arena is full): the caller allocates an ordinary one. Only for buffers the engine keeps to
 * itself: a view made from it (subarray) must not outlive it. @internal
 */
export function residentFloat32(length: number): Float32Array | null {
  return resident(length, Float32Array);
}

/**
 * A uint32 buffer in the shared kernel's memory, contents undefined (a training set's order,
 * read by worker threads), or null; give it back with `freeResident` or leave it to the garbage
 * collector. @internal
 */
export function residentUint32(length: number): Uint32Array | null {
  return resident(length, Uint32Array, false);
}

/** A float32 buffer in the shared kernel's memory, contents undefined (the caller fills it), or null. @internal */
export function residentFloat32Unfilled(length: number): Float32Array | null {
  return resident(length, Float32Array, false);
}

/**
 * Give a buffer from `residentUint32` or `residentFloat32Unfilled` back to the arena now, rather
 * than when it is collected (a training set's copy, so the next run reuses the same memory).
 * The caller guarantees nothing uses it any more.
 * @internal
 */
export function freeResident(view: Float32Array | Uint32Array): void {
  if (freed?.unregister(view)) arena.free(view.byteOffset - SIMD_RESERVED_BYTES, view.byteLength);
}

function resident<T extends Float32Array | Uint32Array>(length: number, View: new (buffer: ArrayBufferLike, at: number, length: number) => T, zeroed = true): T | null {
  const ker = freed === undefined ? null : getShared();
  if (ker === null) return null;
  const bytes = length * 4;
  const at = arena.alloc(bytes);
  if (at === null) return null;
  if (heapOf(ker, (SIMD_RESERVED_BYTES + arena.end) / 4) === null) {
    arena.free(at, bytes);
    return null;
  }
  const view = new View(ker.memory.buffer, SIMD_RESERVED_BYTES + at, length);
  if (zeroed) view.fill(0);
  freed!.register(view, { at, bytes }, view);
  return view;
}

/** Whether x lives in the shared kernel's memory. @internal */
export function isResident(x: Float32Array): boolean {
  return sharedBuffers.has(x.buffer);
}

/** Bytes of the arena in use, and its extent: for tests. @internal */
export function arenaUsage(): { used: number; end: number } {
  return { used: arena.used, end: arena.end };
}

/** The first float of a call's scratch space in ker's memory. */
export function scratch(ker: Kernel): number {
  return (ker.shared ? SIMD_RESERVED_BYTES + arena.end : SIMD_RESERVED_BYTES) / 4;
}
