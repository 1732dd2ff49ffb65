/**
 * Indices of the units drawn for a layer of `n` units when at most `max` fit: all of them when
 * n <= max, else `max` indices spread evenly from the first unit to the last.
 */
export function sampleUnits(n: number, max: number): number[] {
  const m = Math.max(2, Math.floor(max));
  if (n <= m) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  for (let i = 0; i < m; i++) out.push(Math.round((i * (n - 1)) / (m - 1)));
  return out;
}

/** Rows x columns when `n` is a perfect square of at least 8 x 8 (784 gives 28 x 28), else null. */
export function squareShape(n: number): [number, number] | null {
  const s = Math.round(Math.sqrt(n));
  return s >= 8 && s * s === n ? [s, s] : null;
}
