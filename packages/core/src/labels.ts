import { DataError } from './base/errors.js';
import type { LossName } from './losses.js';
import type { FloatArray } from './matrix/alloc.js';
import type { Matrix } from './matrix/matrix.js';

/**
 * What each loss accepts as targets (y, samples as rows), checked at the boundary: one-hot rows
 * or probabilities summing to 1 for cross-entropy, values in [0, 1] for binary cross-entropy,
 * any finite value for mse.
 */
export function checkLabels(y: Matrix, loss: LossName, caller: string): void {
  const d = y.data;
  const c = y.cols;
  if (loss === 'cross-entropy') {
    for (let i = 0; i < y.rows; i++) {
      let sum = 0;
      for (let j = 0; j < c; j++) {
        const v = d[i * c + j]!;
        if (v < 0 || v > 1) throw new DataError(`${caller}: y row ${i} has ${v} at column ${j}; cross-entropy labels are probabilities in [0, 1]`);
        sum += v;
      }
      if (Math.abs(sum - 1) > 1e-5) {
        throw new DataError(`${caller}: y row ${i} sums to ${sum}; cross-entropy labels must be one-hot or probabilities summing to 1`);
      }
    }
  } else if (loss === 'binary-cross-entropy') {
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      if (v < 0 || v > 1) throw new DataError(`${caller}: y row ${Math.floor(i / c)} has ${v}; binary cross-entropy labels must be in [0, 1]`);
    }
  }
}

/**
 * Correct predictions in a column-major batch (m x B): argmax match for cross-entropy, each
 * output thresholded at 0.5 for binary cross-entropy, none for mse (which has no accuracy).
 */
export function countCorrect(loss: LossName, yHat: FloatArray, yT: FloatArray, m: number, batch: number): number {
  let correct = 0;
  if (loss === 'cross-entropy') {
    for (let j = 0; j < batch; j++) {
      let best = 0;
      let bestTrue = 0;
      for (let i = 1; i < m; i++) {
        if (yHat[i * batch + j]! > yHat[best * batch + j]!) best = i;
        if (yT[i * batch + j]! > yT[bestTrue * batch + j]!) bestTrue = i;
      }
      if (best === bestTrue) correct++;
    }
  } else if (loss === 'binary-cross-entropy') {
    const n = m * batch;
    for (let i = 0; i < n; i++) if (yHat[i]! >= 0.5 === yT[i]! >= 0.5) correct++;
  }
  return correct;
}
