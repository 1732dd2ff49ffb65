import type { FloatArray } from './alloc.js';
import { getGemmBackend } from './gemm.js';
import type { Matrix } from './matrix.js';
import { toColumnsSimd } from './simd/gemm-simd.js';

/** Smallest batch x cols that goes to the WebAssembly transposition. */
const SIMD_MIN = 1024;

/**
 * Copy rows of X (samples as rows) into out as columns: sample j of the batch is row
 * order[from + j] (or from + j). Eight samples at a time, so the reads stream along eight
 * rows and the writes fill eight neighbouring columns. Returns Σ x·0 over the copied values:
 * 0 when they are all finite, NaN otherwise.
 */
export function gatherColumns(x: Matrix, order: ArrayLike<number> | undefined, from: number, batch: number, out: FloatArray): number {
  const c = x.cols;
  const d = x.data;
  // float32 in WebAssembly SIMD: whole rows copied, then transposed four by four (a plain copy,
  // so the same result); the loops below run float64, the 'js' backend and small batches.
  if (d instanceof Float32Array && out instanceof Float32Array && batch * c >= SIMD_MIN && getGemmBackend() !== 'js') {
    const check = toColumnsSimd(d, c, order, from, batch, out);
    if (check !== null) return check;
  }
  const row = (j: number): number => (order === undefined ? from + j : order[from + j]!) * c;
  let check = 0;
  let j = 0;
  for (; j + 8 <= batch; j += 8) {
    const s0 = row(j);
    const s1 = row(j + 1);
    const s2 = row(j + 2);
    const s3 = row(j + 3);
    const s4 = row(j + 4);
    const s5 = row(j + 5);
    const s6 = row(j + 6);
    const s7 = row(j + 7);
    for (let i = 0; i < c; i++) {
      const o = i * batch + j;
      const v0 = d[s0 + i]!;
      const v1 = d[s1 + i]!;
      const v2 = d[s2 + i]!;
      const v3 = d[s3 + i]!;
      const v4 = d[s4 + i]!;
      const v5 = d[s5 + i]!;
      const v6 = d[s6 + i]!;
      const v7 = d[s7 + i]!;
      out[o] = v0;
      out[o + 1] = v1;
      out[o + 2] = v2;
      out[o + 3] = v3;
      out[o + 4] = v4;
      out[o + 5] = v5;
      out[o + 6] = v6;
      out[o + 7] = v7;
      check += (v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7) * 0;
    }
  }
  for (; j < batch; j++) {
    const src = row(j);
    for (let i = 0; i < c; i++) {
      const v = d[src + i]!;
      out[i * batch + j] = v;
      check += v * 0;
    }
  }
  return check;
}

/**
 * Copy rows of X into out as rows, compactly: row j of out is row order[from + j] (or from + j)
 * of x, so out holds the batch as the API stores it, B x n_0, which is (g^0)ᵀ. The engine's
 * first layer reads its input this way (op(B) = Bᵀ in its products), so no transpose is made.
 */
export function gatherRows(x: Matrix, order: ArrayLike<number> | undefined, from: number, batch: number, out: FloatArray): void {
  const c = x.cols;
  const d = x.data;
  if (order === undefined) {
    out.set(d.subarray(from * c, (from + batch) * c));
    return;
  }
  for (let j = 0; j < batch; j++) {
    const r = order[from + j]! * c;
    out.set(d.subarray(r, r + c), j * c);
  }
}
