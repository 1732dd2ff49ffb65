// The platform's limit: peak float32 throughput of WebAssembly SIMD128 on one core, measured,
// once for separate f32x4.mul + f32x4.add (what plain SIMD128 has) and once for
// f32x4.relaxed_madd (fused multiply-add), where the runtime validates relaxed SIMD. The WAT is
// assembled with wabt here.
// - mul + add: the shape of a GEMM micro-kernel with nothing else in it, 4 x 2 f32x4
//   accumulators, acc[r][v] += a_r * b_v with a_r splat-loaded from a 16-byte buffer that stays
//   in L1 and b_v in registers. The products do not depend on the accumulators, so multiplies
//   and adds pipeline as in a real GEMM. (An earlier version chained acc = acc * m + c, which
//   puts each multiply on the previous add's path and understated this peak.) The multiplicands
//   are loads, not loop invariants, so the compiler cannot hoist the products; one round per
//   iteration, because V8 schedules a loop body's loads first and more rounds spill; b is loaded
//   before the loop, because V8 moves constant or computed vectors into the loop body (seen with
//   --print-wasm-code).
// - FMA: 12 independent chains acc = fma(acc, m, c) in registers, unrolled 8x: one operation
//   per step of a chain, and 12 chains cover the FMA latency on two pipes.
import wabtInit from 'wabt';
import { cpuSeconds, now } from './stats.js';

export type PeakVariant = 'simd128' | 'relaxed';

/** Accumulators (and loop rounds) of each variant's kernel. */
export const SHAPE: Record<PeakVariant, { accumulators: number; unroll: number }> = {
  // x64 V8 allocates 15 xmm registers (xmm15 is its scratch): 8 accumulators, 2 b, 4 a and a product fit.
  simd128: { accumulators: 8, unroll: 1 },
  relaxed: { accumulators: 12, unroll: 8 },
};

/** Floating-point operations per loop iteration of a variant: a multiply and an add per lane. */
export function flopPerIteration(v: PeakVariant): number {
  return SHAPE[v].accumulators * SHAPE[v].unroll * 4 * 2;
}

/** `body` run `$iters` times, then the lanes of the vector `sum` added up: the function's result. */
function loopAndSum(body: string, sum: string): string {
  return `(block $done
      (loop $next
        (br_if $done (i32.le_s (local.get $iters) (i32.const 0)))
        ${body}
        (local.set $iters (i32.sub (local.get $iters) (i32.const 1)))
        (br $next)))
    (local.set $s ${sum})
    (f32.add (f32.add (f32x4.extract_lane 0 (local.get $s)) (f32x4.extract_lane 1 (local.get $s)))
             (f32.add (f32x4.extract_lane 2 (local.get $s)) (f32x4.extract_lane 3 (local.get $s)))))`;
}

/** What each variant's kernel does, for the results. */
export const METHOD: Record<PeakVariant, string> = {
  simd128: 'a GEMM micro-kernel with nothing else: 8 independent f32x4 accumulators acc += a * b (a splat-loaded from L1, b in registers, so the products do not wait on the adds), one core',
  relaxed: '12 independent f32x4 chains acc = fma(acc, m, c) in registers, unrolled 8x, no memory traffic, one core',
};

function simd128Wat(): string {
  const rows = [0, 1, 2, 3];
  const madd = (acc: string, b: string): string => `(local.set ${acc} (f32x4.add (local.get ${acc}) (f32x4.mul (local.get $a) (local.get ${b}))))`;
  const body = rows.map((r) => `(local.set $a (v128.load32_splat offset=${4 * r} (local.get $p)))\n        ${madd(`$c${r}_0`, '$b0')}\n        ${madd(`$c${r}_1`, '$b1')}`).join('\n        ');
  const accs = rows.flatMap((r) => [`$c${r}_0`, `$c${r}_1`]);
  let sum = `(local.get ${accs[0]})`;
  for (const a of accs.slice(1)) sum = `(f32x4.add ${sum} (local.get ${a}))`;
  return `(module
  (memory 1)
  (func (export "run") (param $iters i32) (param $seed f32) (result f32)
    (local $p i32) (local $a v128) (local $b0 v128) (local $b1 v128) (local $s v128)
    ${accs.map((a) => `(local ${a} v128)`).join(' ')}
    ${rows.map((r) => `(f32.store offset=${4 * r} (i32.const 0) (f32.add (local.get $seed) (f32.const ${r * 1e-4})))`).join('\n    ')}
    ;; b loaded before the loop: V8 moves constant or computed vectors into the loop body
    (v128.store offset=16 (i32.const 0) (f32x4.splat (f32.add (local.get $seed) (f32.const 0.5))))
    (v128.store offset=32 (i32.const 0) (f32x4.splat (f32.mul (local.get $seed) (f32.const 0.25))))
    (local.set $b0 (v128.load offset=16 (i32.const 0)))
    (local.set $b1 (v128.load offset=32 (i32.const 0)))
    ${loopAndSum(body, sum)})`;
}

function relaxedWat(): string {
  const { accumulators, unroll } = SHAPE.relaxed;
  const acc = Array.from({ length: accumulators }, (_, i) => i);
  const step = (i: number): string => `(local.set $a${i} (f32x4.relaxed_madd (local.get $a${i}) (local.get $m) (local.get $c)))`;
  const body = Array.from({ length: unroll }, () => acc.map(step).join('\n        ')).join('\n        ');
  let sum = '(local.get $a0)';
  for (let i = 1; i < accumulators; i++) sum = `(f32x4.add ${sum} (local.get $a${i}))`;
  return `(module
  (func (export "run") (param $iters i32) (param $seed f32) (result f32)
    (local $m v128) (local $c v128) (local $s v128)
    ${acc.map((i) => `(local $a${i} v128)`).join(' ')}
    (local.set $m (f32x4.splat (f32.const 0.9999999)))
    (local.set $c (f32x4.splat (local.get $seed)))
    ${acc.map((i) => `(local.set $a${i} (f32x4.splat (f32.add (local.get $seed) (f32.const ${i}))))`).join('\n    ')}
    ${loopAndSum(body, sum)})`;
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
  const mod = wabt.parseWat(`peak-${variant}.wat`, variant === 'relaxed' ? relaxedWat() : simd128Wat(), { simd: true, relaxed_simd: variant === 'relaxed' });
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
  const flop = flopPerIteration(k.variant) * iters;
  return { wall: flop / seconds / 1e9, cpu: flop / Math.max(cpu, 1e-6) / 1e9 };
}
