import type { FloatArray } from './alloc.js';

/** out[i] = a[i] * b[i] for i < n (Hadamard product). `out` may alias a or b. */
export function hadamard(a: FloatArray, b: FloatArray, out: FloatArray, n = out.length): void {
  for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!;
}

/**
 * out[i] = Σ_j x[i * cols + j]: sums along each row (x is rows x cols); out has rows entries.
 * Four rows at a time, each in its own sum taken in column order, so the four dependency chains
 * overlap and each row rounds exactly as summed alone.
 */
export function sumRows(x: FloatArray, rows: number, cols: number, out: FloatArray): void {
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const r0 = i * cols;
    const r1 = r0 + cols;
    const r2 = r1 + cols;
    const r3 = r2 + cols;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < cols; j++) {
      s0 += x[r0 + j]!;
      s1 += x[r1 + j]!;
      s2 += x[r2 + j]!;
      s3 += x[r3 + j]!;
    }
    out[i] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
  }
  for (; i < rows; i++) {
    let s = 0;
    const r = i * cols;
    for (let j = 0; j < cols; j++) s += x[r + j]!;
    out[i] = s;
  }
}

/** out[j] = Σ_i x[i * cols + j]: sums down each column (x is rows x cols); out has cols entries. */
export function sumCols(x: FloatArray, rows: number, cols: number, out: FloatArray): void {
  out.fill(0, 0, cols);
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) out[j]! += x[r + j]!;
  }
}

/** x[i * cols + j] += bias[i]: broadcast a column vector across the columns of x (rows x cols). */
export function addColumnVector(x: FloatArray, rows: number, cols: number, bias: FloatArray): void {
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    const b = bias[i]!;
    for (let j = 0; j < cols; j++) x[r + j]! += b;
  }
}

/** out[i] = fn(x[i]) for i < n. For setup code, not hot loops. */
export function map(x: FloatArray, fn: (v: number, i: number) => number, out: FloatArray = x): FloatArray {
  for (let i = 0; i < x.length; i++) out[i] = fn(x[i]!, i);
  return out;
}
