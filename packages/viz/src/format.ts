/** Text formatting shared by the views. */

/** Format a value for hover text: 4 significant digits. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(3) : Number(v.toPrecision(4)).toString();
}

const SUP = '⁰¹²³⁴⁵⁶⁷⁸⁹';
/** k as superscript digits (g⁰, g¹², ...). */
export function superscript(k: number): string {
  return String(k)
    .split('')
    .map((c) => SUP[Number(c)] ?? c)
    .join('');
}
