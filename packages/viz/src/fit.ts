/**
 * Least-squares slope and intercept of log y against log x: y ≈ e^intercept · x^slope. Points
 * with a non-positive or non-finite coordinate are left out; null when fewer than two distinct
 * x remain.
 */
export function logLogFit(points: readonly (readonly [number, number])[]): { slope: number; intercept: number } | null {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [x, y] of points) {
    if (Number.isFinite(x) && Number.isFinite(y) && x > 0 && y > 0) {
      xs.push(Math.log(x));
      ys.push(Math.log(y));
    }
  }
  const n = xs.length;
  if (n < 2) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}
