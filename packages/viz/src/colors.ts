import { color, rgb } from 'd3-color';
import { interpolateLab, piecewise } from 'd3-interpolate';
import { interpolateYlGnBu } from 'd3-scale-chromatic';

/**
 * Colours shared by the views. Every scale is readable in greyscale: the signed scale puts
 * negative values at a dark blue and positive values at a light orange (different lightness,
 * not only a different hue), the activation scale is monotonic in lightness, and series and
 * classes are told apart by dash pattern or symbol as well as by hue.
 */

/** Negative end of the signed scale: dark blue (CIE L* about 30). */
export const NEGATIVE = '#23408e';
/** Zero of the signed scale: near white. */
export const ZERO = '#f3f3f1';
/** Positive end of the signed scale: orange (CIE L* about 65). */
export const POSITIVE = '#e3791d';

const signed = piecewise(interpolateLab, [NEGATIVE, ZERO, POSITIVE]);

/** Diverging colour for t in [-1, 1] (clamped): negative dark blue, 0 near white, positive orange. */
export function signedColor(t: number): string {
  const c = Math.max(-1, Math.min(1, t));
  return signed((c + 1) / 2);
}

/** The signed colour as [r, g, b] bytes, for canvas pixels. */
export function signedRgb(t: number): [number, number, number] {
  const c = rgb(signedColor(t));
  return [Math.round(c.r), Math.round(c.g), Math.round(c.b)];
}

/** Sequential colour for t in [0, 1]: light yellow to dark blue, monotonic in lightness. */
export function activationColor(t: number): string {
  const c = Math.max(0, Math.min(1, t));
  return interpolateYlGnBu(0.05 + 0.9 * c);
}

/** Class colours (Tableau 10), used with a distinct symbol per class. */
export const CLASS_COLORS: readonly string[] = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#e15759',
  '#76b7b2',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

/** Class colour as [r, g, b] bytes. */
export function classRgb(k: number): [number, number, number] {
  const c = color(CLASS_COLORS[((k % CLASS_COLORS.length) + CLASS_COLORS.length) % CLASS_COLORS.length]!)!.rgb();
  return [Math.round(c.r), Math.round(c.g), Math.round(c.b)];
}
