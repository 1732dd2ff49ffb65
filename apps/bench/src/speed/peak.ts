// The platform's limit: peak float32 throughput of WebAssembly SIMD128 on one core, measured.
// The kernel runs independent f32x4 multiply-add chains in registers (acc = acc * m + c, no
// memory traffic), unrolled, with enough accumulators to cover the latency of the operations:
// once as f32x4.mul + f32x4.add (what plain SIMD128 has) and once as f32x4.relaxed_madd (fused
// multiply-add), where the runtime validates relaxed SIMD. The WAT is assembled with wabt here.
import wabtInit from 'wabt';
import { cpuSeconds, now } from './stats.js';

export type PeakVariant = 'simd128' | 'relaxed';

/** Independent accumulators (x64 V8 has 16 xmm registers: 12 chains + m + c fit). */
export const ACCUMULATORS = 12;
/** Rounds over all accumulators per loop iteration. */
export const UNROLL = 8;
/** Floating-point operations per loop iteration: a multiply and an add per lane. */
export const FLOP_PER_ITERATION = ACCUMULATORS * UNROLL * 4 * 2;

function wat(variant: PeakVariant): string {
  const acc = Array.from({ length: ACCUMULATORS }, (_, i) => i);
  const step = (i: number): string =>
    variant === 'relaxed'
      ? `(local.set $a${i} (f32x4.relaxed_madd (local.get $a${i}) (local.get $m) (local.get $c)))`
      : `(local.set $a${i} (f32x4.add (f32x4.mul (local.get $a${i}) (local.get $m)) (local.get $c)))`;
  const body = Array.from({ length: UNROLL }, () => acc.map(step).join('\n        ')).join('\n        ');
  let sum = '(local.get $a0)';
  for (let i = 1; i < ACCUMULATORS; i++) sum = `(f32x4.add ${sum} (local.get $a${i}))`;
  return `(module
  (func (export "run") (param $iters i32) (param $seed f32) (result f32)
    (local $m v128) (local $c v128) (local $s v128)
    ${acc.map((i) => `(local $a${i} v128)`).join(' ')}
    (local.set $m (f32x4.splat (f32.const 0.9999999)))
    (local.set $c (f32x4.splat (local.get $seed)))
    ${acc.map((i) => `(local.set $a${i} (f32x4.splat (f32.add (local.get $seed) (f32.const ${i}))))`).join('\n    ')}
    (block $done
      (loop $next
        (br_if $done (i32.le_s (local.get $iters) (i32.const 0)))
        ${body}
        (local.set $iters (i32.sub (local.get $iters) (i32.const 1)))
        (br $next)))
    (local.set $s ${sum})
    (f32.add (f32.add (f32x4.extract_lane 0 (local.get $s)) (f32x4.extract_lane 1 (local.get $s)))
             (f32.add (f32x4.extract_lane 2 (local.get $s)) (f32x4.extract_lane 3 (local.get $s))))))`;
}

export interface PeakKernel {
  readonly variant: PeakVariant;
  /** Run `iters` loop iterations; the result keeps the work observable. */
  run(iters: number): number;
}

/**
 * Assemble and instantiate the kernel of a variant; null where this runtime does not validate
 * it (relaxed SIMD on Node 20 without --experimental-wasm-relaxed-simd), with the reason.
 */
export async function peakKernel(variant: PeakVariant): Promise<PeakKernel | { variant: PeakVariant; unavailable: string }> {
  const wabt = await wabtInit();
  const mod = wabt.parseWat(`peak-${variant}.wat`, wat(variant), { simd: true, relaxed_simd: variant === 'relaxed' });
  const bytes = new Uint8Array(mod.toBinary({}).buffer);
  mod.destroy();
  if (!WebAssembly.validate(bytes)) {
    return { variant, unavailable: variant === 'relaxed' ? 'this runtime does not validate relaxed SIMD (Node 20 needs --experimental-wasm-relaxed-simd)' : 'this runtime lacks WebAssembly SIMD128' };
  }
  const { instance } = await WebAssembly.instantiate(bytes);
  const fn = instance.exports.run as (iters: number, seed: number) => number;
  return { variant, run: (iters) => fn(iters, 1e-3) };
}

/** Time `iters` iterations: GFLOP per wall-clock second and per CPU second of this process. */
export function timePeak(k: PeakKernel, iters: number): { wall: number; cpu: number } {
  const c0 = cpuSeconds();
  const t0 = now();
  const r = k.run(iters);
  const seconds = (now() - t0) / 1000;
  const cpu = cpuSeconds() - c0;
  if (!Number.isFinite(r)) throw new Error(`peak ${k.variant}: result is not finite (${r})`);
  const flop = FLOP_PER_ITERATION * iters;
  return { wall: flop / seconds / 1e9, cpu: flop / Math.max(cpu, 1e-6) / 1e9 };
}
