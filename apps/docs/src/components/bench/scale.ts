// The two scales of the sweep charts, in plain math: a value's position on [r0, r1] and the
// ticks to label. Log scales tick at powers of ten (with 2 and 5 between when the domain spans
// few decades); the x axis of a sweep ticks at the measured points themselves.

export interface Scale {
  /** The position of `v` in the range. */
  (v: number): number;
  readonly domain: readonly [number, number];
  readonly ticks: readonly number[];
}

/** A log scale through the data's extent, widened to whole decades (or to the points given). */
export function logScale(values: readonly number[], range: readonly [number, number], exactTicks?: readonly number[]): Scale {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  if (pos.length === 0) throw new Error(`logScale: needs a positive finite value, got [${values.join(', ')}]`);
  let lo = Math.min(...pos);
  let hi = Math.max(...pos);
  let ticks: number[];
  if (exactTicks) {
    ticks = Array.from(exactTicks);
  } else {
    lo = 10 ** Math.floor(Math.log10(lo));
    hi = 10 ** Math.ceil(Math.log10(hi));
    if (hi === lo) hi = lo * 10;
    const decades = Math.round(Math.log10(hi / lo));
    const steps = decades <= 2 ? [1, 2, 5] : [1];
    ticks = [];
    for (let e = Math.round(Math.log10(lo)); e <= Math.round(Math.log10(hi)); e++) {
      for (const s of steps) {
        const t = s * 10 ** e;
        if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) ticks.push(t);
      }
    }
  }
  if (hi === lo) {
    lo /= 2;
    hi *= 2;
  }
  const [r0, r1] = range;
  const l0 = Math.log(lo);
  const span = Math.log(hi) - l0;
  const scale = ((v: number) => r0 + ((Math.log(v) - l0) / span) * (r1 - r0)) as Scale;
  return Object.assign(scale, { domain: [lo, hi] as const, ticks });
}

/** A linear scale from 0 to a round number above the data's maximum. */
export function linearScale(values: readonly number[], range: readonly [number, number]): Scale {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) throw new Error(`linearScale: needs a finite value, got [${values.join(', ')}]`);
  const max = Math.max(...finite, 0);
  // A step of 1, 2 or 5 times a power of ten giving at most six intervals.
  const rough = max > 0 ? max / 5 : 1;
  const p = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((s) => s * p).find((s) => s >= rough) ?? 10 * p;
  const hi = Math.max(step, Math.ceil(max / step) * step);
  const ticks: number[] = [];
  for (let k = 0; k * step <= hi * (1 + 1e-9); k++) ticks.push(k * step);
  const [r0, r1] = range;
  const scale = ((v: number) => r0 + (v / hi) * (r1 - r0)) as Scale;
  return Object.assign(scale, { domain: [0, hi] as const, ticks });
}

/** A tick label: 2, 50, 1k, 20k, 1M. */
export function tickLabel(v: number): string {
  const short = (x: number): string => String(Number(x.toPrecision(3)));
  if (v >= 1e6) return `${short(v / 1e6)}M`;
  if (v >= 1e3) return `${short(v / 1e3)}k`;
  return short(v);
}
