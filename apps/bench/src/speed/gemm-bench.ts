import { gemmRaw } from '@nabla/core';
import { residentFloat32 } from '@nabla/core/internal';
import { setGemmBackend } from './core-internals.js';
import { cpuSeconds, now } from './stats.js';
import { type TfBackend, tf, useBackend } from './tfjs.js';

/** A GEMM contestant for one size: prepare inputs once, then time repeated C = A B. */
export interface GemmContestant {
  readonly name: string;
  readonly dtype: 'float32' | 'float64';
  /** Set up for size n (inputs filled with the same pseudo-random values for everyone). */
  prepare(n: number): Promise<() => void>;
  /** Called before each timed batch (e.g. to switch a backend). */
  enter(): Promise<void>;
  release(): void;
}

function fill(a: Float32Array | Float64Array, seed: number): void {
  let s = seed;
  for (let i = 0; i < a.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    a[i] = s / 4294967296 - 0.5;
  }
}

/**
 * Nabla's gemmRaw on a caller's arrays (the SIMD kernel copies them into its memory and C out),
 * or, `resident`, on float32 operands in the kernel's shared memory, where a network's own
 * buffers live and its products read and write in place (ordinary arrays where
 * SharedArrayBuffer is missing).
 */
export function nablaGemm(name: string, backend: 'js' | 'simd', dtype: 'float32' | 'float64', resident = false): GemmContestant {
  return {
    name,
    dtype,
    async prepare(n) {
      const Ctor = dtype === 'float64' ? Float64Array : Float32Array;
      const make = (len: number): Float32Array | Float64Array => (resident && dtype === 'float32' ? residentFloat32(len) : null) ?? new Ctor(len);
      const a = make(n * n);
      const b = make(n * n);
      const c = make(n * n);
      fill(a, 1);
      fill(b, 2);
      return () => gemmRaw(false, false, n, n, n, 1, a, n, b, n, 0, c, n);
    },
    async enter() {
      setGemmBackend(backend);
    },
    release() {
      setGemmBackend('auto');
    },
  };
}

export function tfjsGemm(backend: TfBackend): GemmContestant {
  let tensors: tf.Tensor[] = [];
  return {
    name: `tfjs-${backend}`,
    dtype: 'float32',
    async prepare(n) {
      await useBackend(backend);
      for (const t of tensors) t.dispose();
      const a = new Float32Array(n * n);
      const b = new Float32Array(n * n);
      fill(a, 1);
      fill(b, 2);
      const ta = tf.tensor2d(a, [n, n]);
      const tb = tf.tensor2d(b, [n, n]);
      tensors = [ta, tb];
      // dataSync waits for the result, so the time covers the whole product.
      return () => {
        const c = tf.matMul(ta, tb);
        c.dataSync();
        c.dispose();
      };
    },
    async enter() {
      await useBackend(backend);
    },
    release() {
      for (const t of tensors) t.dispose();
      tensors = [];
    },
  };
}

/** Time `reps` calls; returns GFLOP per wall-clock second and per CPU second of this process. */
export function gflops(run: () => void, n: number, reps: number): { wall: number; cpu: number } {
  const c0 = cpuSeconds();
  const t0 = now();
  for (let r = 0; r < reps; r++) run();
  const seconds = (now() - t0) / 1000;
  const cpu = cpuSeconds() - c0;
  const flop = 2 * n * n * n * reps;
  return { wall: flop / seconds / 1e9, cpu: flop / Math.max(cpu, 1e-6) / 1e9 };
}
