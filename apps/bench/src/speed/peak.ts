// The platform's limit: peak float32 throughput of WebAssembly SIMD128 on one core, measured.
// The kernel has the shape of a GEMM micro-kernel with nothing else in it: ROWS x 2 f32x4
// accumulators, each step acc[r][v] += a_r * b_v with a_r splat-loaded from a 16-byte buffer
// that stays in L1 and b_v in registers. The products do not depend on the accumulators, so the
// multiplies run ahead and pipeline with the adds, as in a real GEMM (an earlier version chained
// acc = acc * m + c, which serialises each multiply on the previous add and understated the
// peak of separate multiply and add). Once as f32x4.mul + f32x4.add (what plain SIMD128 has)
// and once as f32x4.relaxed_madd (fused multiply-add), where the runtime validates relaxed
// SIMD. The multiplicands are loads, not loop invariants, so the compiler cannot hoist the
// products out of the loop. The WAT is assembled with wabt here.
import wabtInit from 'wabt';
import { cpuSeconds, now } from './stats.js';

export type PeakVariant = 'simd128' | 'relaxed';

/**
 * Rows of the micro-kernel: ROWS x 2 accumulators. x64 V8 allocates 15 xmm registers (xmm15 is
 * its scratch) and schedules all loads of a loop body first, so 8 accumulators, 2 b, the 4 a
 * and a product fit; 8 chains cover the 4-cycle latency of an FMA on 2 pipes.
 */
const ROWS = 4;
/** Independent accumulators. */
export const ACCUMULATORS = ROWS * 2;
/** Rounds over all accumulators per loop iteration: 1, since more rounds mean more loads in flight and spills. */
export const UNROLL = 1;
/** Floating-point operations per loop iteration: a multiply and an add per lane. */
export const FLOP_PER_ITERATION = ACCUMULATORS * UNROLL * 4 * 2;

function wat(variant: PeakVariant): string {
  const rows = Array.from({ length: ROWS }, (_, r) => r);
  const madd = (acc: string, b: string): string =>
    variant === 'relaxed'
      ? `(local.set ${acc} (f32x4.relaxed_madd (local.get $a) (local.get ${b}) (local.get ${acc})))`
      : `(local.set ${acc} (f32x4.add (local.get ${acc}) (f32x4.mul (local.get $a) (local.get ${b}))))`;
  const round = rows.map((r) => `(local.set $a (v128.load32_splat offset=${4 * r} (local.get $p)))\n        ${madd(`$c${r}_0`, '$b0')}\n        ${madd(`$c${r}_1`, '$b1')}`).join('\n        ');
  const body = Array.from({ length: UNROLL }, () => round).join('\n        ');
  const accs = rows.flatMap((r) => [`$c${r}_0`, `$c${r}_1`]);
  let sum = `(local.get ${accs[0]})`;
  for (const a of accs.slice(1)) sum = `(f32x4.add ${sum} (local.get ${a}))`;
  return `(module
  (memory 1)
  (func (export "run") (param $iters i32) (param $seed f32) (result f32)
    (local $p i32) (local $a v128) (local $b0 v128) (local $b1 v128) (local $s v128)
    ${accs.map((a) => `(local ${a} v128)`).join(' ')}
    ${rows.map((r) => `(f32.store offset=${4 * r} (i32.const 0) (f32.add (local.get $seed) (f32.const ${r * 1e-4})))`).join('\n    ')}
    (local.set $b0 (f32x4.splat (f32.const 0.5)))
    (local.set $b1 (f32x4.splat (f32.const 0.25)))
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
