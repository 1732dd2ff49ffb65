import type { Matrix } from '@nabla/core';
import { rowArgmax } from './data/index.js';

/** Classification results: accuracy and the confusion matrix (rows: true class, columns: predicted). */
export interface ClassificationReport {
  readonly accuracy: number;
  readonly samples: number;
  readonly classes: string[];
  readonly confusion: number[][];
}

export function classificationReport(yTrue: Matrix, yPred: Matrix, classes: string[]): ClassificationReport {
  const t = rowArgmax(yTrue);
  const p = rowArgmax(yPred);
  const k = classes.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < t.length; i++) {
    confusion[t[i]!]![p[i]!]!++;
    if (t[i] === p[i]) correct++;
  }
  return { accuracy: correct / Math.max(t.length, 1), samples: t.length, classes, confusion };
}

/** Regression results per target column, in the targets' original units. */
export interface RegressionReport {
  readonly samples: number;
  readonly targets: { readonly name: string; readonly r2: number; readonly rmse: number }[];
}

/** R² = 1 − SS_res / SS_tot and RMSE = sqrt(SS_res / n), per column. */
export function regressionReport(yTrue: Matrix, yPred: Matrix, names: readonly string[]): RegressionReport {
  const n = yTrue.rows;
  const c = yTrue.cols;
  const targets = names.map((name, j) => {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += yTrue.data[i * c + j]!;
    mean /= n;
    let res = 0;
    let tot = 0;
    for (let i = 0; i < n; i++) {
      const t = yTrue.data[i * c + j]!;
      res += (t - yPred.data[i * c + j]!) ** 2;
      tot += (t - mean) ** 2;
    }
    return { name, r2: tot > 0 ? 1 - res / tot : res === 0 ? 1 : 0, rmse: Math.sqrt(res / n) };
  });
  return { samples: n, targets };
}

/** The confusion matrix as text, class names on the rows and class indices on the columns. */
export function formatConfusion(r: ClassificationReport): string {
  const k = r.classes.length;
  const labels = r.classes.map((c, i) => (c === String(i) ? c : `${i} ${c}`));
  const lw = Math.max(...labels.map((l) => l.length), 'true \\ predicted'.length);
  const cw = Math.max(5, ...r.confusion.flat().map((v) => String(v).length + 1));
  const lines = ['confusion matrix (rows: true class, columns: predicted class)'];
  lines.push('true \\ predicted'.padEnd(lw) + Array.from({ length: k }, (_, j) => String(j).padStart(cw)).join(''));
  r.confusion.forEach((row, i) => {
    lines.push(labels[i]!.padEnd(lw) + row.map((v) => String(v).padStart(cw)).join(''));
  });
  return lines.join('\n');
}

export function percent(v: number, digits = 2): string {
  return `${(100 * v).toFixed(digits)}%`;
}
