import type { MLP } from '@nabla/core';
import type { Preprocessing } from './preprocess.js';

/** y_t = intercept + Σ_j coefficients[j] x_j, in the data's original units. */
export interface LinearModel {
  readonly target: string;
  readonly intercept: number;
  readonly coefficients: { readonly feature: string; readonly value: number }[];
}

/**
 * For a network with one linear layer (no hidden layer) trained on standardised CSV columns, the
 * weights are the regression coefficients of the standardised problem. Undo the standardisation:
 * with x_s = (x − m_x) / s_x and y = s_y y_s + m_y, y_s = W x_s + b gives
 * coefficient_j = s_y W_j / s_x,j and intercept = m_y + s_y (b − Σ_j W_j m_x,j / s_x,j).
 * Returns undefined for any other network.
 */
export function linearCoefficients(net: MLP, p: Preprocessing): LinearModel[] | undefined {
  if (net.depth !== 1 || net.output !== 'linear' || p.input.kind !== 'standardize' || p.target === undefined) return undefined;
  const { features, mean: mx, std: sx } = p.input;
  const { names, mean: my, std: sy } = p.target;
  const layer = net.getParameters()[0]!;
  return names.map((target, t) => {
    let shift = 0;
    const coefficients = features.map((feature, j) => {
      const w = layer.weights.get(t, j);
      shift += (w * mx[j]!) / sx[j]!;
      return { feature, value: (sy[t]! * w) / sx[j]! };
    });
    return { target, intercept: my[t]! + sy[t]! * (layer.bias[t]! - shift), coefficients };
  });
}

/** The coefficients as a small table. */
export function formatCoefficients(models: readonly LinearModel[]): string {
  const lines: string[] = [];
  for (const m of models) {
    lines.push(`coefficients of ${m.target} (original units):`);
    const w = Math.max('intercept'.length, ...m.coefficients.map((c) => c.feature.length));
    lines.push(`  ${'intercept'.padEnd(w)}  ${m.intercept.toFixed(6).padStart(12)}`);
    for (const c of m.coefficients) lines.push(`  ${c.feature.padEnd(w)}  ${c.value.toFixed(6).padStart(12)}`);
  }
  return lines.join('\n');
}
