import type { MLP } from '@nabla/core';
import type { Split } from './data/index.js';
import { type LinearModel, formatCoefficients, linearCoefficients } from './linear.js';
import { type ClassificationReport, type RegressionReport, classificationReport, formatConfusion, percent, regressionReport } from './metrics.js';
import { type Preprocessing, applyInput, restoreTarget } from './preprocess.js';

/** Test results in the form `--json` prints them. */
export type TestResult =
  | ({ readonly task: 'classification' } & ClassificationReport)
  | ({ readonly task: 'regression'; readonly coefficients?: LinearModel[] } & RegressionReport);

/** Run the network on raw rows (normalised as in training) and score it against their targets. */
export function evaluateRaw(net: MLP, p: Preprocessing, data: Split): TestResult {
  const out = net.predict(applyInput(p, data.x));
  if (p.task === 'classification') return { task: 'classification', ...classificationReport(data.y, out, p.classes ?? []) };
  const report = regressionReport(data.y, restoreTarget(p, out), p.target?.names ?? []);
  const coefficients = linearCoefficients(net, p);
  return { task: 'regression', ...report, ...(coefficients !== undefined ? { coefficients } : {}) };
}

/** Human-readable summary: accuracy and confusion matrix, or R² and RMSE (and coefficients). */
export function formatResult(r: TestResult, what: string): string {
  if (r.task === 'classification') {
    return `${what} accuracy: ${percent(r.accuracy)} (${r.samples} samples)\n${formatConfusion(r)}`;
  }
  const lines = r.targets.map((t) => `${what} ${t.name}: R^2 ${t.r2.toFixed(5)}, RMSE ${t.rmse.toPrecision(5)} (${r.samples} samples)`);
  if (r.coefficients !== undefined) lines.push(formatCoefficients(r.coefficients));
  return lines.join('\n');
}
