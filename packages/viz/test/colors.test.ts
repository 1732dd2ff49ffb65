import { lab } from 'd3-color';
import { describe, expect, it } from 'vitest';
import { activationColor, signedColor } from '../src/colors.js';

const lightness = (c: string): number => lab(c).l;

describe('colour scales read in greyscale', () => {
  it('signedColor: negative, zero and positive differ in lightness, not only in hue', () => {
    const [neg, zero, pos] = [signedColor(-1), signedColor(0), signedColor(1)].map(lightness);
    expect(zero! - pos!).toBeGreaterThan(20);
    expect(pos! - neg!).toBeGreaterThan(20);
    // Lightness falls steadily from 0 towards either end, so magnitude reads too.
    for (let t = 0; t < 1; t += 0.05) {
      expect(lightness(signedColor(t + 0.05))).toBeLessThan(lightness(signedColor(t)));
      expect(lightness(signedColor(-t - 0.05))).toBeLessThan(lightness(signedColor(-t)));
    }
    // Negative darkens about twice as fast as positive: +t and -t differ by more than 30|t| in
    // CIE L* from |t| = 0.3 on (near zero both are near white, and drawn thin).
    for (let t = 0.3; t <= 1; t += 0.1) expect(lightness(signedColor(t)) - lightness(signedColor(-t))).toBeGreaterThan(30 * t);
  });

  it('activationColor is monotonic in lightness', () => {
    for (let t = 0; t < 1; t += 0.05) expect(lightness(activationColor(t + 0.05))).toBeLessThan(lightness(activationColor(t)));
  });
});
