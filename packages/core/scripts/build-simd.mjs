// Generates the WebAssembly SIMD GEMM kernel of @nabla/core.
//
// The kernel is written here as WebAssembly text (the micro-kernel is unrolled by this script),
// assembled with wabt, and embedded as base64 in src/matrix/simd/kernel-wasm.ts, so the package
// has no runtime dependency and no file to fetch. Two variants are embedded: one with
// f32x4.mul + f32x4.add (SIMD128, everywhere) and one with f32x4.relaxed_madd (relaxed SIMD),
// which the runtime picks only when WebAssembly.validate accepts it.
//
// Usage: node scripts/build-simd.mjs          (writes the TS module; --out=<file> elsewhere)
//        node scripts/build-simd.mjs --wat    (prints the WAT of the plain variant)
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import wabtInit from 'wabt';

/**
 * The micro-tiles of each variant: MR rows of C by NV vectors of four columns, held in MR x NV
 * accumulators, and MC, the rows of packed A per cache block (a multiple of MR). Each tile's
 * functions are exported under its name (gemm4x8, packPart4x8, computePart4x8, ...);
 * src/matrix/simd/kernel.ts (tileFor) picks one per product.
 *
 * V8 on x64 gives a function 15 xmm registers (xmm15 is its scratch) and loads every operand of
 * a depth step before the first multiply, so a step needs MR x NV accumulators, NV vectors of B
 * and MR splats of A, plus one register for a product where multiply and add are separate:
 * - 4 x 8 uses 8 + 2 + 4 (+ 1) = 15 (14 with FMA). Under mul + add its eight chains hide the
 *   latency of a multiply then an add; 3 x 12 there spills and ran at 76 % of its speed.
 * - 3 x 12 (FMA only) uses 9 + 3 + 3 = 15. Two FMA pipes of latency 4 want eight chains in
 *   flight; with exactly eight, 4 x 8 reached 84 % of the measured FMA peak at n = 256, where
 *   3 x 12 reaches 88 %. On a training step's shapes (64 columns, or a depth of 64) 4 x 8 stays
 *   faster: fewer padded columns, less work per tile around a short depth loop.
 * MC: the A block (MC x KC floats) stays in L1 (48 KiB here); at n = 1024, MC = 128 ran 14 %
 * slower than 64 (C's rows, the B slice and A no longer fit L2 together).
 * Every element of C is summed in the same order whatever the tile (over p, KC at a time), so a
 * tile changes no result, only the speed.
 */
export const TILES = {
  simd128: [{ mr: 4, nv: 2, mc: 64 }],
  relaxed: [
    { mr: 4, nv: 2, mc: 64 },
    { mr: 3, nv: 3, mc: 48 },
  ],
};
/** Depth of one cache block: an MR x KC slice of packed A and a KC x NR slice of packed B. Changes results (the order of C's sums). */
export const KC = 256;
/** Bytes reserved at address 0: one edge-tile buffer per thread, then the threads' control block. */
export const RESERVED_BYTES = 4096;
/** Bytes of one thread's edge-tile buffer (MR x NR floats of the largest tile, rounded up). */
export const TILE_BYTES = 256;
/** Most threads the reserved area has tiles for. */
export const MAX_THREADS = 8;
/** Byte address of the threads' control block (Int32 slots, see src/matrix/simd/threads-protocol.ts). */
export const CONTROL_BYTES = TILE_BYTES * MAX_THREADS;
/** Pages (64 KiB) a shared memory may grow to: 2 GiB, the kernel's i32 offsets. */
export const MAX_PAGES = 32768;

const range = (n) => Array.from({ length: n }, (_, i) => i);
const g = (name) => `(local.get $${name})`;
/** Advance the row pointers $src, $s1, ... of `rows` rows by `bytes` (transpose4, interleave3). */
const advanceRows = (rows, bytes) => ['src', ...range(rows - 1).map((r) => `s${r + 1}`)].map((p) => `(local.set $${p} (i32.add ${g(p)} (i32.const ${bytes})))`).join('\n      ');
/** The last columns of a row interleave, one at a time: element p of each row to dst, dst advanced by `dstStep` (a WAT i32). */
const rowsTail = (rows, dstStep) => `(block $d (loop $l
      (br_if $d (i32.ge_s ${g('p')} ${g('count')}))
      ${range(rows).map((r) => `(f32.store offset=${r * 4} ${g('dst')} (f32.load ${g(r === 0 ? 'src' : `s${r}`)}))`).join('\n      ')}
      (local.set $dst (i32.add ${g('dst')} ${dstStep}))
      ${advanceRows(rows, 4)}
      (local.set $p (i32.add ${g('p')} (i32.const 1)))
      (br $l)))`;
/** acc + a b: fused (relaxed_madd) or a multiply then an add. */
const maddOf = (fma) => (a, b, c) => (fma ? `(f32x4.relaxed_madd ${a} ${b} ${c})` : `(f32x4.add ${c} (f32x4.mul ${a} ${b}))`);

/**
 * The packing, GEMM and block functions of one micro-tile, exported with the tile's name
 * (packPart4x8, gemm4x8, computePart4x8, ...); `fma` selects relaxed_madd.
 */
function tileWat(fma, tile) {
  const { mr: MR, nv: NV, mc: MC } = tile;
  const NR = NV * 4;
  const S = `${MR}x${NR}`;
  if (MR * NR * 4 > TILE_BYTES || MC % MR !== 0 || (MR !== 3 && MR % 4 !== 0)) throw new Error(`build-simd: tile ${MR} x ${NR} (MC ${MC}) does not fit the kernel`);
  const acc = [];
  for (const r of range(MR)) for (const v of range(NV)) acc.push(`c${r}_${v}`);
  const madd = maddOf(fma);

  // One step of the micro-kernel: C_tile += a(:, p) b(p, :), a broadcast lane by lane.
  const step = (offA, offB) => {
    const lines = [];
    for (const v of range(NV)) lines.push(`(local.set $b${v} (v128.load offset=${offB + v * 16} ${g('pb')}))`);
    for (const r of range(MR)) {
      lines.push(`(local.set $av (v128.load32_splat offset=${offA + r * 4} ${g('pa')}))`);
      for (const v of range(NV)) lines.push(`(local.set $c${r}_${v} ${madd(g('av'), g(`b${v}`), g(`c${r}_${v}`))})`);
    }
    return lines.join('\n          ');
  };

  const zeroAcc = acc.map((c) => `(local.set $${c} (v128.const i32x4 0 0 0 0))`).join('\n        ');
  // Full tile: C[r, v*4 .. v*4+4) += alpha * acc
  const storeFull = [];
  for (const r of range(MR)) {
    for (const v of range(NV)) {
      const addr = `(i32.add ${g('crow')} (i32.const ${v * 16}))`;
      storeFull.push(`(v128.store ${addr} (f32x4.add (v128.load ${addr}) (f32x4.mul ${g('alphav')} ${g(`c${r}_${v}`)})))`);
    }
    storeFull.push(`(local.set $crow (i32.add ${g('crow')} ${g('ldc4')}))`);
  }
  // Edge tile: spill the accumulators to the tile buffer at address 0, then add the valid part.
  const storeTile = [];
  for (const r of range(MR)) for (const v of range(NV)) storeTile.push(`(v128.store offset=${(r * NV + v) * 16} ${g('tile')} ${g(`c${r}_${v}`)})`);


  return `
  ;; dst[(ip*k + p)*MR + r] = op(A)[ip*MR + r, p], zero past row m. op(A) is m x k; A is stored
  ;; m x k (lda = k) or, transposed, k x m (lda = m). Packs the panels of rows from .. to (from a
  ;; multiple of MR), so threads can share the work.
  (func $packA_${S} (param $trans i32) (param $m i32) (param $k i32) (param $src i32) (param $dst i32) (param $from i32) (param $to i32)
    (local $i0 i32) (local $r i32) (local $p i32) (local $i i32) (local $rows i32)
    (local.set $i0 ${g('from')})
    (local.set $dst (i32.add ${g('dst')} (i32.shl (i32.mul ${g('from')} ${g('k')}) (i32.const 2))))
    (block $done (loop $panels
      (br_if $done (i32.or (i32.ge_s ${g('i0')} ${g('m')}) (i32.ge_s ${g('i0')} ${g('to')})))
      (local.set $rows (i32.sub ${g('m')} ${g('i0')}))
      (if (i32.ge_s ${g('rows')} (i32.const ${MR}))
        (then
          (if ${g('trans')}
            (then
              ;; a panel row is contiguous in the transposed storage
              (local.set $p (i32.const 0))
              (local.set $i (i32.add ${g('src')} (i32.shl ${g('i0')} (i32.const 2))))
              (block $pd (loop $pl
                (br_if $pd (i32.ge_s ${g('p')} ${g('k')}))
                ${MR === 3 ? `(v128.store64_lane 0 ${g('dst')} (v128.load64_zero ${g('i')})) (f32.store offset=8 ${g('dst')} (f32.load offset=8 ${g('i')}))` : range(MR / 4).map((q) => `(v128.store offset=${q * 16} ${g('dst')} (v128.load offset=${q * 16} ${g('i')}))`).join(' ')}
                (local.set $i (i32.add ${g('i')} (i32.shl ${g('m')} (i32.const 2))))
                (local.set $dst (i32.add ${g('dst')} (i32.const ${MR * 4})))
                (local.set $p (i32.add ${g('p')} (i32.const 1)))
                (br $pl))))
            (else
              ;; MR rows of A, transposed four by four (three rows: interleaved three by four)
              ${MR === 3 ? `(call $interleave3 (i32.add ${g('src')} (i32.shl (i32.mul ${g('i0')} ${g('k')}) (i32.const 2))) (i32.shl ${g('k')} (i32.const 2)) ${g('dst')} ${g('k')})` : range(MR / 4)
                .map(
                  (q) =>
                    `(call $transpose4 (i32.add ${g('src')} (i32.shl (i32.mul (i32.add ${g('i0')} (i32.const ${q * 4})) ${g('k')}) (i32.const 2))) (i32.shl ${g('k')} (i32.const 2)) (i32.add ${g('dst')} (i32.const ${q * 16})) (i32.const ${MR * 4}) ${g('k')})`,
                )
                .join('\n              ')}
              (local.set $dst (i32.add ${g('dst')} (i32.mul ${g('k')} (i32.const ${MR * 4})))))))
        (else
          (local.set $p (i32.const 0))
          (block $pd (loop $pl
            (br_if $pd (i32.ge_s ${g('p')} ${g('k')}))
            (local.set $r (i32.const 0))
            (block $rd (loop $rl
              (br_if $rd (i32.ge_s ${g('r')} (i32.const ${MR})))
              (local.set $i (i32.add ${g('i0')} ${g('r')}))
              (f32.store ${g('dst')}
                (if (result f32) (i32.lt_s ${g('i')} ${g('m')})
                  (then (f32.load (i32.add ${g('src')} (i32.shl
                    (select (i32.add (i32.mul ${g('p')} ${g('m')}) ${g('i')}) (i32.add (i32.mul ${g('i')} ${g('k')}) ${g('p')}) ${g('trans')})
                    (i32.const 2)))))
                  (else (f32.const 0))))
              (local.set $dst (i32.add ${g('dst')} (i32.const 4)))
              (local.set $r (i32.add ${g('r')} (i32.const 1)))
              (br $rl)))
            (local.set $p (i32.add ${g('p')} (i32.const 1)))
            (br $pl)))))
      (local.set $i0 (i32.add ${g('i0')} (i32.const ${MR})))
      (br $panels))))

  ;; dst[(jp*k + p)*NR + c] = op(B)[p, jp*NR + c], zero past column n. op(B) is k x n; B is
  ;; stored k x n (ldb = n) or, transposed, n x k (ldb = k). Packs the panels of columns from .. to.
  (func $packB_${S} (param $trans i32) (param $n i32) (param $k i32) (param $src i32) (param $dst i32) (param $from i32) (param $to i32)
    (local $j0 i32) (local $c i32) (local $p i32) (local $j i32) (local $cols i32) (local $s i32)
    (local.set $j0 ${g('from')})
    (local.set $dst (i32.add ${g('dst')} (i32.shl (i32.mul ${g('from')} ${g('k')}) (i32.const 2))))
    (block $done (loop $panels
      (br_if $done (i32.or (i32.ge_s ${g('j0')} ${g('n')}) (i32.ge_s ${g('j0')} ${g('to')})))
      (local.set $cols (i32.sub ${g('n')} ${g('j0')}))
      (if (i32.and (i32.eqz ${g('trans')}) (i32.ge_s ${g('cols')} (i32.const ${NR})))
        (then
          ;; a panel row is contiguous in B
          (local.set $p (i32.const 0))
          (local.set $s (i32.add ${g('src')} (i32.shl ${g('j0')} (i32.const 2))))
          (block $pd (loop $pl
            (br_if $pd (i32.ge_s ${g('p')} ${g('k')}))
            ${range(NV)
              .map((v) => `(v128.store offset=${v * 16} ${g('dst')} (v128.load offset=${v * 16} ${g('s')}))`)
              .join('\n            ')}
            (local.set $s (i32.add ${g('s')} (i32.shl ${g('n')} (i32.const 2))))
            (local.set $dst (i32.add ${g('dst')} (i32.const ${NR * 4})))
            (local.set $p (i32.add ${g('p')} (i32.const 1)))
            (br $pl))))
        (else
          (if (i32.and ${g('trans')} (i32.ge_s ${g('cols')} (i32.const ${NR})))
            (then
              ;; NR rows of the stored B, transposed four by four
              ${range(NV)
                .map(
                  (q) =>
                    `(call $transpose4 (i32.add ${g('src')} (i32.shl (i32.mul (i32.add ${g('j0')} (i32.const ${q * 4})) ${g('k')}) (i32.const 2))) (i32.shl ${g('k')} (i32.const 2)) (i32.add ${g('dst')} (i32.const ${q * 16})) (i32.const ${NR * 4}) ${g('k')})`,
                )
                .join('\n              ')}
              (local.set $dst (i32.add ${g('dst')} (i32.mul ${g('k')} (i32.const ${NR * 4})))))
          (else (if ${g('trans')}
            (then
              ;; column c of the panel is row j0 + c of the stored B: walk it contiguously
              (local.set $c (i32.const 0))
              (block $cd (loop $cl
                (br_if $cd (i32.ge_s ${g('c')} (i32.const ${NR})))
                (local.set $j (i32.add ${g('j0')} ${g('c')}))
                (local.set $s (i32.add ${g('src')} (i32.shl (i32.mul ${g('j')} ${g('k')}) (i32.const 2))))
                (local.set $p (i32.const 0))
                (block $pd (loop $pl
                  (br_if $pd (i32.ge_s ${g('p')} ${g('k')}))
                  (f32.store (i32.add ${g('dst')} (i32.shl (i32.add (i32.mul ${g('p')} (i32.const ${NR})) ${g('c')}) (i32.const 2)))
                    (if (result f32) (i32.lt_s ${g('j')} ${g('n')})
                      (then (f32.load (i32.add ${g('s')} (i32.shl ${g('p')} (i32.const 2)))))
                      (else (f32.const 0))))
                  (local.set $p (i32.add ${g('p')} (i32.const 1)))
                  (br $pl)))
                (local.set $c (i32.add ${g('c')} (i32.const 1)))
                (br $cl)))
              (local.set $dst (i32.add ${g('dst')} (i32.mul ${g('k')} (i32.const ${NR * 4})))))
            (else
              (local.set $p (i32.const 0))
              (block $pd (loop $pl
                (br_if $pd (i32.ge_s ${g('p')} ${g('k')}))
                (local.set $c (i32.const 0))
                (block $cd (loop $cl
                  (br_if $cd (i32.ge_s ${g('c')} (i32.const ${NR})))
                  (local.set $j (i32.add ${g('j0')} ${g('c')}))
                  (f32.store ${g('dst')}
                    (if (result f32) (i32.lt_s ${g('j')} ${g('n')})
                      (then (f32.load (i32.add ${g('src')} (i32.shl (i32.add (i32.mul ${g('p')} ${g('n')}) ${g('j')}) (i32.const 2)))))
                      (else (f32.const 0))))
                  (local.set $dst (i32.add ${g('dst')} (i32.const 4)))
                  (local.set $c (i32.add ${g('c')} (i32.const 1)))
                  (br $cl)))
                (local.set $p (i32.add ${g('p')} (i32.const 1)))
                (br $pl)))))))))
      (local.set $j0 (i32.add ${g('j0')} (i32.const ${NR})))
      (br $panels))))

  ;; Pack the panels of op(A) rows aFrom .. aTo and of op(B) columns bFrom .. bTo: one thread's
  ;; share of the packing of a parallel GEMM (see gemm).
  (func $packPart_${S} (export "packPart${S}")
    (param $transA i32) (param $transB i32) (param $m i32) (param $n i32) (param $k i32)
    (param $a i32) (param $b i32) (param $ap i32) (param $bp i32)
    (param $aFrom i32) (param $aTo i32) (param $bFrom i32) (param $bTo i32)
    (call $packA_${S} ${g('transA')} ${g('m')} ${g('k')} ${g('a')} ${g('ap')} ${g('aFrom')} ${g('aTo')})
    (call $packB_${S} ${g('transB')} ${g('n')} ${g('k')} ${g('b')} ${g('bp')} ${g('bFrom')} ${g('bTo')}))

  ;; C = alpha op(A) op(B) + beta C, all operands compact (lda = stored width) in this memory.
  ;; ap and bp are scratch areas for the packed operands (ceil(m/MR)*MR*k and ceil(n/NR)*NR*k floats).
  ;; The summation order depends only on (m, n, k): results are deterministic for given inputs.
  (func (export "gemm${S}")
    (param $transA i32) (param $transB i32) (param $m i32) (param $n i32) (param $k i32)
    (param $alpha f32) (param $a i32) (param $b i32) (param $beta f32) (param $c i32)
    (param $ap i32) (param $bp i32)
    (if (i32.or (i32.or (i32.eqz ${g('m')}) (i32.eqz ${g('n')})) (i32.or (i32.eqz ${g('k')}) (f32.eq ${g('alpha')} (f32.const 0))))
      (then (call $scaleC (i32.mul ${g('m')} ${g('n')}) ${g('beta')} ${g('c')}) (return)))
    (call $packPart_${S} ${g('transA')} ${g('transB')} ${g('m')} ${g('n')} ${g('k')} ${g('a')} ${g('b')} ${g('ap')} ${g('bp')} (i32.const 0) ${g('m')} (i32.const 0) ${g('n')})
    (call $computePart_${S} ${g('m')} ${g('n')} ${g('k')} ${g('alpha')} ${g('beta')} ${g('c')} ${g('ap')} ${g('bp')} (i32.const 0) ${g('m')} (i32.const 0) ${g('n')} (i32.const 0)))

  ;; C[i0 .. i1, j0 .. j1] = alpha op(A) op(B) + beta C on that block, from the packed operands
  ;; (i0 a multiple of MR, j0 of NR). Every element of C is summed in the same order whichever
  ;; block it falls in, so splitting C among threads leaves the result bit-identical. tile is
  ;; this thread's edge-tile buffer.
  (func $computePart_${S} (export "computePart${S}")
    (param $m i32) (param $n i32) (param $k i32) (param $alpha f32) (param $beta f32) (param $c i32)
    (param $ap i32) (param $bp i32) (param $i0 i32) (param $i1 i32) (param $j0 i32) (param $j1 i32) (param $tile i32)
    (local $pc i32) (local $kc i32) (local $ic i32) (local $mend i32) (local $jp i32) (local $ip i32) (local $mr i32) (local $nr i32)
    (local $pa i32) (local $pb i32) (local $kk i32) (local $crow i32) (local $ldc4 i32)
    (local $r i32) (local $q i32) (local $t i32)
    (local $alphav v128) (local $av v128)
    ${range(NV).map((v) => `(local $b${v} v128)`).join(' ')}
    ${acc.map((c) => `(local $${c} v128)`).join(' ')}
    (call $scaleRegion ${g('n')} ${g('beta')} ${g('c')} ${g('i0')} ${g('i1')} ${g('j0')} ${g('j1')})
    (if (i32.or (i32.eqz ${g('k')}) (f32.eq ${g('alpha')} (f32.const 0))) (then (return)))
    (local.set $alphav (f32x4.splat ${g('alpha')}))
    (local.set $ldc4 (i32.shl ${g('n')} (i32.const 2)))
    (local.set $pc (i32.const 0))
    (block $kdone (loop $kloop
      (br_if $kdone (i32.ge_s ${g('pc')} ${g('k')}))
      (local.set $kc (i32.sub ${g('k')} ${g('pc')}))
      (if (i32.gt_s ${g('kc')} (i32.const ${KC})) (then (local.set $kc (i32.const ${KC}))))
      (local.set $ic ${g('i0')})
      (block $cdone (loop $cloop
      (br_if $cdone (i32.ge_s ${g('ic')} ${g('i1')}))
      (local.set $mend (i32.add ${g('ic')} (i32.const ${MC})))
      (if (i32.gt_s ${g('mend')} ${g('i1')}) (then (local.set $mend ${g('i1')})))
      (local.set $jp ${g('j0')})
      (block $jdone (loop $jloop
        (br_if $jdone (i32.ge_s ${g('jp')} ${g('j1')}))
        (local.set $nr (i32.sub ${g('n')} ${g('jp')}))
        (if (i32.gt_s ${g('nr')} (i32.const ${NR})) (then (local.set $nr (i32.const ${NR}))))
        (local.set $ip ${g('ic')})
        (block $idone (loop $iloop
          (br_if $idone (i32.ge_s ${g('ip')} ${g('mend')}))
          (local.set $mr (i32.sub ${g('m')} ${g('ip')}))
          (if (i32.gt_s ${g('mr')} (i32.const ${MR})) (then (local.set $mr (i32.const ${MR}))))
          (local.set $pa (i32.add ${g('ap')} (i32.shl (i32.add (i32.mul ${g('ip')} ${g('k')}) (i32.mul ${g('pc')} (i32.const ${MR}))) (i32.const 2))))
          (local.set $pb (i32.add ${g('bp')} (i32.shl (i32.add (i32.mul ${g('jp')} ${g('k')}) (i32.mul ${g('pc')} (i32.const ${NR}))) (i32.const 2))))
          ${zeroAcc}
          (local.set $kk ${g('kc')})
          (block $rd (loop $rl
            (br_if $rd (i32.eqz ${g('kk')}))
            ${step(0, 0)}
            (local.set $pa (i32.add ${g('pa')} (i32.const ${MR * 4})))
            (local.set $pb (i32.add ${g('pb')} (i32.const ${NR * 4})))
            (local.set $kk (i32.sub ${g('kk')} (i32.const 1)))
            (br $rl)))
          (local.set $crow (i32.add ${g('c')} (i32.shl (i32.add (i32.mul ${g('ip')} ${g('n')}) ${g('jp')}) (i32.const 2))))
          (if (i32.and (i32.eq ${g('mr')} (i32.const ${MR})) (i32.eq ${g('nr')} (i32.const ${NR})))
            (then
              ${storeFull.join('\n              ')})
            (else
              ${storeTile.join('\n              ')}
              (local.set $r (i32.const 0))
              (block $rd (loop $rl
                (br_if $rd (i32.ge_s ${g('r')} ${g('mr')}))
                (local.set $q (i32.const 0))
                (block $qd (loop $ql
                  (br_if $qd (i32.ge_s ${g('q')} ${g('nr')}))
                  (local.set $t (i32.add ${g('crow')} (i32.shl ${g('q')} (i32.const 2))))
                  (f32.store ${g('t')} (f32.add (f32.load ${g('t')})
                    (f32.mul ${g('alpha')} (f32.load (i32.add ${g('tile')} (i32.shl (i32.add (i32.mul ${g('r')} (i32.const ${NR})) ${g('q')}) (i32.const 2)))))))
                  (local.set $q (i32.add ${g('q')} (i32.const 1)))
                  (br $ql)))
                (local.set $crow (i32.add ${g('crow')} ${g('ldc4')}))
                (local.set $r (i32.add ${g('r')} (i32.const 1)))
                (br $rl)))))
          (local.set $ip (i32.add ${g('ip')} (i32.const ${MR})))
          (br $iloop)))
        (local.set $jp (i32.add ${g('jp')} (i32.const ${NR})))
        (br $jloop)))
      (local.set $ic (i32.add ${g('ic')} (i32.const ${MC})))
      (br $cloop)))
      (local.set $pc (i32.add ${g('pc')} (i32.const ${KC})))
      (br $kloop))))`;
}

/** The WAT source; `fma` selects relaxed_madd, `shared` imports a shared memory (for threads). */
export function kernelWat(fma, shared = false) {
  const tiles = fma ? TILES.relaxed : TILES.simd128;
  const madd = maddOf(fma);
  // One stretch of sgdUpdate in one mode (0 plain, 1 momentum, 2 Nesterov, fixed here, so the loop
  // has no branch): while `lanes` floats remain, update them (4: two float64 halves of a vector;
  // 2 and 1: the tail). The arithmetic is the same whatever the lane count.
  const sgdBody = (mode, lanes) => {
    const load = lanes === 4 ? 'v128.load' : lanes === 2 ? 'v128.load64_zero' : 'v128.load32_zero';
    const halves = lanes === 4 ? [0, 1] : [0];
    const widen = (x, h) => (h === 0 ? `(f64x2.promote_low_f32x4 ${x})` : `(f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 ${x} ${x}))`);
    const narrow = (a, b) => (lanes === 4 ? `(i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (f32x4.demote_f64x2_zero ${a}) (f32x4.demote_f64x2_zero ${b}))` : `(f32x4.demote_f64x2_zero ${a})`);
    const store = (addr, x) => (lanes === 4 ? `(v128.store ${addr} ${x})` : lanes === 2 ? `(v128.store64_lane 0 ${addr} ${x})` : `(v128.store32_lane 0 ${addr} ${x})`);
    const mask = lanes === 4 ? '' : lanes === 2 ? ' (v128.const i32x4 -1 -1 0 0)' : ' (v128.const i32x4 -1 0 0 0)';
    // Two lanes of a buffer widened to float64: lanes h * 2 and h * 2 + 1 (loaded as such, not shuffled out of a full load).
    const two = (ptr, h) => (lanes === 4 ? `(f64x2.promote_low_f32x4 (v128.load64_zero${h === 1 ? ' offset=8' : ''} ${ptr}))` : widen(`(${load} ${ptr})`, h));
    const half = (h) => {
      const grad = `
      (local.set $pv ${two(g('p'), h)})
      (local.set $gi (f64x2.add ${two(g('g'), h)} (f64x2.mul ${g('lamv')} ${g('pv')})))`;
      if (mode === 0) return `${grad}
      (local.set $o${h} (f64x2.sub ${g('pv')} (f64x2.mul ${g('lrv')} ${g('gi')})))`;
      return `${grad}
      (local.set $vi (f64x2.add (f64x2.mul ${g('muv')} ${two(g('v'), h)}) ${g('gi')}))
      (local.set $w${h} ${g('vi')})${mode === 2 ? `
      (local.set $vi (f64x2.add ${g('gi')} (f64x2.mul ${g('muv')} ${g('vi')})))` : ''}
      (local.set $o${h} (f64x2.sub ${g('pv')} (f64x2.mul ${g('lrv')} ${g('vi')})))`;
    };
    const o1 = lanes === 4 ? g('o1') : g('o0');
    const w1 = lanes === 4 ? g('w1') : g('w0');
    const label = `$s${mode}_${lanes}`;
    return `(block $d${label} (loop $l${label}
      (br_if $d${label} (i32.gt_s (i32.add ${g('i')} (i32.const ${lanes})) ${g('n')}))
      ${store(g('bk'), `(${load} ${g('p')})`)}${halves.map(half).join('')}${mode === 0 ? '' : `
      ${store(g('v'), narrow(g('w0'), w1))}`}
      (local.set $out ${narrow(g('o0'), o1)})
      ${store(g('p'), g('out'))}
      (local.set $acc (f32x4.add ${g('acc')} (f32x4.mul ${mask ? `(v128.and ${g('out')}${mask})` : g('out')} (v128.const f32x4 0 0 0 0))))
      (local.set $p (i32.add ${g('p')} (i32.const ${lanes * 4})))
      (local.set $bk (i32.add ${g('bk')} (i32.const ${lanes * 4})))
      (local.set $g (i32.add ${g('g')} (i32.const ${lanes * 4})))${mode === 0 ? '' : `
      (local.set $v (i32.add ${g('v')} (i32.const ${lanes * 4})))`}
      (local.set $i (i32.add ${g('i')} (i32.const ${lanes})))
      (br $l${label})))`;
  };
  const sgdMode = (mode) => [4, 2, 1].map((lanes) => sgdBody(mode, lanes)).join('\n    ');

  return `(module
  (import "env" "memory" (memory 1${shared ? ` ${MAX_PAGES} shared` : ''}))

  ;; Four rows of count floats (row stride srcStride bytes) to count groups of four:
  ;; dst[p*dstStride + q*4] = row q, element p.
  (func $transpose4 (param $src i32) (param $srcStride i32) (param $dst i32) (param $dstStride i32) (param $count i32)
    (local $p i32) (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local $s1 i32) (local $s2 i32) (local $s3 i32)
    (local.set $s1 (i32.add ${g('src')} ${g('srcStride')}))
    (local.set $s2 (i32.add ${g('s1')} ${g('srcStride')}))
    (local.set $s3 (i32.add ${g('s2')} ${g('srcStride')}))
    (block $d (loop $l
      (br_if $d (i32.gt_s (i32.add ${g('p')} (i32.const 4)) ${g('count')}))
      (local.set $r0 (v128.load ${g('src')}))
      (local.set $r1 (v128.load ${g('s1')}))
      (local.set $r2 (v128.load ${g('s2')}))
      (local.set $r3 (v128.load ${g('s3')}))
      (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 ${g('r0')} ${g('r1')}))
      (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 ${g('r0')} ${g('r1')}))
      (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 ${g('r2')} ${g('r3')}))
      (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 ${g('r2')} ${g('r3')}))
      (v128.store ${g('dst')} (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 ${g('t0')} ${g('t2')}))
      (local.set $dst (i32.add ${g('dst')} ${g('dstStride')}))
      (v128.store ${g('dst')} (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 ${g('t0')} ${g('t2')}))
      (local.set $dst (i32.add ${g('dst')} ${g('dstStride')}))
      (v128.store ${g('dst')} (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 ${g('t1')} ${g('t3')}))
      (local.set $dst (i32.add ${g('dst')} ${g('dstStride')}))
      (v128.store ${g('dst')} (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 ${g('t1')} ${g('t3')}))
      (local.set $dst (i32.add ${g('dst')} ${g('dstStride')}))
      ${advanceRows(4, 16)}
      (local.set $p (i32.add ${g('p')} (i32.const 4)))
      (br $l)))
    ${rowsTail(4, g('dstStride'))})

  ;; Three rows of count floats (row stride srcStride bytes) to count groups of three, contiguous:
  ;; dst[p*3 + q] = row q, element p. Four columns at a time: three loads, six shuffles, three stores.
  (func $interleave3 (param $src i32) (param $srcStride i32) (param $dst i32) (param $count i32)
    (local $p i32) (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $s1 i32) (local $s2 i32)
    (local.set $s1 (i32.add ${g('src')} ${g('srcStride')}))
    (local.set $s2 (i32.add ${g('s1')} ${g('srcStride')}))
    (block $d (loop $l
      (br_if $d (i32.gt_s (i32.add ${g('p')} (i32.const 4)) ${g('count')}))
      (local.set $r0 (v128.load ${g('src')}))
      (local.set $r1 (v128.load ${g('s1')}))
      (local.set $r2 (v128.load ${g('s2')}))
      ;; [r0.0 r1.0 r2.0 r0.1] [r1.1 r2.1 r0.2 r1.2] [r2.2 r0.3 r1.3 r2.3]
      (v128.store offset=0 ${g('dst')} (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 8 9 10 11 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 ${g('r0')} ${g('r1')}) ${g('r2')}))
      (v128.store offset=16 ${g('dst')} (i8x16.shuffle 0 1 2 3 20 21 22 23 4 5 6 7 8 9 10 11 (i8x16.shuffle 20 21 22 23 8 9 10 11 24 25 26 27 0 1 2 3 ${g('r0')} ${g('r1')}) ${g('r2')}))
      (v128.store offset=32 ${g('dst')} (i8x16.shuffle 24 25 26 27 0 1 2 3 4 5 6 7 28 29 30 31 (i8x16.shuffle 12 13 14 15 28 29 30 31 0 1 2 3 0 1 2 3 ${g('r0')} ${g('r1')}) ${g('r2')}))
      (local.set $dst (i32.add ${g('dst')} (i32.const 48)))
      ${advanceRows(3, 16)}
      (local.set $p (i32.add ${g('p')} (i32.const 4)))
      (br $l)))
    ${rowsTail(3, '(i32.const 12)')})

  ;; C = beta C over the m x n matrix at c (ldc = n); beta = 0 overwrites, so NaN cannot leak.
  (func $scaleC (param $len i32) (param $beta f32) (param $c i32)
    (local $end i32) (local $bv v128)
    (if (f32.eq ${g('beta')} (f32.const 0))
      (then (memory.fill ${g('c')} (i32.const 0) (i32.shl ${g('len')} (i32.const 2))) (return)))
    (if (f32.eq ${g('beta')} (f32.const 1)) (then (return)))
    (local.set $bv (f32x4.splat ${g('beta')}))
    (local.set $end (i32.add ${g('c')} (i32.shl ${g('len')} (i32.const 2))))
    (block $d (loop $l
      (br_if $d (i32.gt_u (i32.add ${g('c')} (i32.const 16)) ${g('end')}))
      (v128.store ${g('c')} (f32x4.mul (v128.load ${g('c')}) ${g('bv')}))
      (local.set $c (i32.add ${g('c')} (i32.const 16)))
      (br $l)))
    (block $d (loop $l
      (br_if $d (i32.ge_u ${g('c')} ${g('end')}))
      (f32.store ${g('c')} (f32.mul (f32.load ${g('c')}) ${g('beta')}))
      (local.set $c (i32.add ${g('c')} (i32.const 4)))
      (br $l))))

  ;; C = beta C over rows i0 .. i1, columns j0 .. j1 of the m x n matrix at c (ldc = n).
  (func $scaleRegion (param $n i32) (param $beta f32) (param $c i32) (param $i0 i32) (param $i1 i32) (param $j0 i32) (param $j1 i32)
    (if (f32.eq ${g('beta')} (f32.const 1)) (then (return)))
    (if (i32.eq (i32.sub ${g('j1')} ${g('j0')}) ${g('n')})
      (then
        ;; whole rows: one contiguous stretch
        (call $scaleC (i32.mul (i32.sub ${g('i1')} ${g('i0')}) ${g('n')}) ${g('beta')} (i32.add ${g('c')} (i32.shl (i32.mul ${g('i0')} ${g('n')}) (i32.const 2))))
        (return)))
    (block $d (loop $l
      (br_if $d (i32.ge_s ${g('i0')} ${g('i1')}))
      (call $scaleC (i32.sub ${g('j1')} ${g('j0')}) ${g('beta')} (i32.add ${g('c')} (i32.shl (i32.add (i32.mul ${g('i0')} ${g('n')}) ${g('j0')}) (i32.const 2))))
      (local.set $i0 (i32.add ${g('i0')} (i32.const 1)))
      (br $l))))

  ;; Optimiser updates, two parameters at a time in float64 (the arithmetic of the TypeScript
  ;; loops they replace: float32 values widened, every operation in double, rounded to float32 on
  ;; store), so they are bit-identical to it. Each returns 1 when every updated parameter is
  ;; finite. p, g and the state arrays are n floats each in this memory; each copies p's values as
  ;; it reads them into bk first (train()'s undo copy; bk = p when none is wanted).
  ;; mode 0: p -= lr (g + lambda p); 1: momentum v = mu v + g', p -= lr v; 2: Nesterov p -= lr (g' + mu v).
  (func (export "sgdUpdate")
    (param $p i32) (param $g i32) (param $v i32) (param $bk i32) (param $n i32) (param $lr f64) (param $lambda f64) (param $mu f64) (param $mode i32) (result i32)
    (local $i i32) (local $pv v128) (local $gi v128) (local $vi v128) (local $out v128) (local $acc v128)
    (local $lrv v128) (local $lamv v128) (local $muv v128) (local $o0 v128) (local $o1 v128) (local $w0 v128) (local $w1 v128)
    (local.set $lrv (f64x2.splat ${g('lr')}))
    (local.set $lamv (f64x2.splat ${g('lambda')}))
    (local.set $muv (f64x2.splat ${g('mu')}))
    (if (i32.eqz ${g('mode')})
      (then ${sgdMode(0)})
      (else (if (i32.eq ${g('mode')} (i32.const 1))
        (then ${sgdMode(1)})
        (else ${sgdMode(2)}))))
    (i32x4.all_true (f32x4.eq ${g('acc')} (v128.const f32x4 0 0 0 0))))

  ;; Adam: m = b1 m + ob1 g'; v = b2 v + (ob2 g') g'; p -= ((lr m) c1) / (sqrt(v c2) + eps), with g' = g + lambda p.
  (func (export "adamUpdate")
    (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $bk i32) (param $n i32) (param $lr f64) (param $lambda f64)
    (param $b1 f64) (param $ob1 f64) (param $b2 f64) (param $ob2 f64) (param $c1 f64) (param $c2 f64) (param $eps f64) (result i32)
    (local $i i32) (local $pv v128) (local $gi v128) (local $mi v128) (local $vi v128) (local $out v128) (local $acc v128) (local $lane v128)
    (block $d (loop $l
      (br_if $d (i32.ge_s ${g('i')} ${g('n')}))
      (if (i32.lt_s (i32.add ${g('i')} (i32.const 1)) ${g('n')})
        (then
          (v128.store64_lane 0 ${g('bk')} (v128.load64_zero ${g('p')}))
          (local.set $pv (f64x2.promote_low_f32x4 (v128.load64_zero ${g('p')})))
          (local.set $gi (f64x2.promote_low_f32x4 (v128.load64_zero ${g('g')})))
          (local.set $mi (f64x2.promote_low_f32x4 (v128.load64_zero ${g('m')})))
          (local.set $vi (f64x2.promote_low_f32x4 (v128.load64_zero ${g('v')})))
          (local.set $lane (v128.const i32x4 -1 -1 0 0)))
        (else
          (v128.store32_lane 0 ${g('bk')} (v128.load32_zero ${g('p')}))
          (local.set $pv (f64x2.promote_low_f32x4 (v128.load32_zero ${g('p')})))
          (local.set $gi (f64x2.promote_low_f32x4 (v128.load32_zero ${g('g')})))
          (local.set $mi (f64x2.promote_low_f32x4 (v128.load32_zero ${g('m')})))
          (local.set $vi (f64x2.promote_low_f32x4 (v128.load32_zero ${g('v')})))
          (local.set $lane (v128.const i32x4 -1 0 0 0))))
      (local.set $gi (f64x2.add ${g('gi')} (f64x2.mul (f64x2.splat ${g('lambda')}) ${g('pv')})))
      (local.set $mi (f64x2.add (f64x2.mul (f64x2.splat ${g('b1')}) ${g('mi')}) (f64x2.mul (f64x2.splat ${g('ob1')}) ${g('gi')})))
      (local.set $vi (f64x2.add (f64x2.mul (f64x2.splat ${g('b2')}) ${g('vi')}) (f64x2.mul (f64x2.mul (f64x2.splat ${g('ob2')}) ${g('gi')}) ${g('gi')})))
      (local.set $out (f32x4.demote_f64x2_zero (f64x2.sub ${g('pv')}
        (f64x2.div (f64x2.mul (f64x2.mul (f64x2.splat ${g('lr')}) ${g('mi')}) (f64x2.splat ${g('c1')}))
                   (f64x2.add (f64x2.sqrt (f64x2.mul ${g('vi')} (f64x2.splat ${g('c2')}))) (f64x2.splat ${g('eps')}))))))
      (if (i32.lt_s (i32.add ${g('i')} (i32.const 1)) ${g('n')})
        (then
          (v128.store64_lane 0 ${g('m')} (f32x4.demote_f64x2_zero ${g('mi')}))
          (v128.store64_lane 0 ${g('v')} (f32x4.demote_f64x2_zero ${g('vi')}))
          (v128.store64_lane 0 ${g('p')} ${g('out')}))
        (else
          (v128.store32_lane 0 ${g('m')} (f32x4.demote_f64x2_zero ${g('mi')}))
          (v128.store32_lane 0 ${g('v')} (f32x4.demote_f64x2_zero ${g('vi')}))
          (v128.store32_lane 0 ${g('p')} ${g('out')})))
      (local.set $acc (f32x4.add ${g('acc')} (f32x4.mul (v128.and ${g('out')} ${g('lane')}) (v128.const f32x4 0 0 0 0))))
      (local.set $p (i32.add ${g('p')} (i32.const 8)))
      (local.set $bk (i32.add ${g('bk')} (i32.const 8)))
      (local.set $g (i32.add ${g('g')} (i32.const 8)))
      (local.set $m (i32.add ${g('m')} (i32.const 8)))
      (local.set $v (i32.add ${g('v')} (i32.const 8)))
      (local.set $i (i32.add ${g('i')} (i32.const 2)))
      (br $l)))
    (i32x4.all_true (f32x4.eq ${g('acc')} (v128.const f32x4 0 0 0 0))))

  ;; Samples as rows to samples as columns: dst[i*rows + j] = src[j*cols + i] for rows x cols
  ;; floats at src (the rows a batch gathers), four rows at a time. Returns 0 when every value
  ;; is finite and NaN otherwise (the sum of value * 0).
  (func (export "toColumns") (param $src i32) (param $rows i32) (param $cols i32) (param $dst i32) (result f32)
    (local $j i32) (local $i i32)
    (block $d (loop $l
      (br_if $d (i32.gt_s (i32.add ${g('j')} (i32.const 4)) ${g('rows')}))
      (call $transpose4 (i32.add ${g('src')} (i32.shl (i32.mul ${g('j')} ${g('cols')}) (i32.const 2))) (i32.shl ${g('cols')} (i32.const 2))
        (i32.add ${g('dst')} (i32.shl ${g('j')} (i32.const 2))) (i32.shl ${g('rows')} (i32.const 2)) ${g('cols')})
      (local.set $j (i32.add ${g('j')} (i32.const 4)))
      (br $l)))
    (block $d (loop $l
      (br_if $d (i32.ge_s ${g('j')} ${g('rows')}))
      (local.set $i (i32.const 0))
      (block $di (loop $li
        (br_if $di (i32.ge_s ${g('i')} ${g('cols')}))
        (f32.store (i32.add ${g('dst')} (i32.shl (i32.add (i32.mul ${g('i')} ${g('rows')}) ${g('j')}) (i32.const 2)))
          (f32.load (i32.add ${g('src')} (i32.shl (i32.add (i32.mul ${g('j')} ${g('cols')}) ${g('i')}) (i32.const 2)))))
        (local.set $i (i32.add ${g('i')} (i32.const 1)))
        (br $li)))
      (local.set $j (i32.add ${g('j')} (i32.const 1)))
      (br $l)))
    (call $finite ${g('src')} (i32.mul ${g('rows')} ${g('cols')})))

  ;; The sum of x * 0 over n floats at s: 0 if every one is finite, NaN otherwise.
  (func $finite (export "finite") (param $s i32) (param $n i32) (result f32)
    (local $end i32) (local $acc v128)
    (local.set $end (i32.add ${g('s')} (i32.shl ${g('n')} (i32.const 2))))
    (block $d (loop $l
      (br_if $d (i32.gt_u (i32.add ${g('s')} (i32.const 16)) ${g('end')}))
      (local.set $acc (f32x4.add ${g('acc')} (f32x4.mul (v128.load ${g('s')}) (v128.const f32x4 0 0 0 0))))
      (local.set $s (i32.add ${g('s')} (i32.const 16)))
      (br $l)))
    (block $d (loop $l
      (br_if $d (i32.ge_u ${g('s')} ${g('end')}))
      (local.set $acc (f32x4.add ${g('acc')} (f32x4.mul (v128.load32_zero ${g('s')}) (v128.const f32x4 0 0 0 0))))
      (local.set $s (i32.add ${g('s')} (i32.const 4)))
      (br $l)))
    (f32.add (f32.add (f32x4.extract_lane 0 ${g('acc')}) (f32x4.extract_lane 1 ${g('acc')}))
             (f32.add (f32x4.extract_lane 2 ${g('acc')}) (f32x4.extract_lane 3 ${g('acc')}))))

  ;; relu of a layer, forward: x = max(x + b_row, 0) over rows x cols (samples as columns), the
  ;; TypeScript loop's operations (float32 add, then v > 0 ? v : 0, so NaN and -0 give +0).
  (func (export "biasRelu") (param $x i32) (param $rows i32) (param $cols i32) (param $bias i32)
    (local $r i32) (local $j i32) (local $bv v128) (local $v v128) (local $b f32) (local $s f32)
    (block $rd (loop $rl
      (br_if $rd (i32.ge_s ${g('r')} ${g('rows')}))
      (local.set $b (f32.load (i32.add ${g('bias')} (i32.shl ${g('r')} (i32.const 2)))))
      (local.set $bv (f32x4.splat ${g('b')}))
      (local.set $j (i32.const 0))
      (block $d (loop $l
        (br_if $d (i32.gt_s (i32.add ${g('j')} (i32.const 4)) ${g('cols')}))
        (local.set $v (f32x4.add (v128.load ${g('x')}) ${g('bv')}))
        (v128.store ${g('x')} (v128.and ${g('v')} (f32x4.gt ${g('v')} (v128.const f32x4 0 0 0 0))))
        (local.set $x (i32.add ${g('x')} (i32.const 16)))
        (local.set $j (i32.add ${g('j')} (i32.const 4)))
        (br $l)))
      (block $d (loop $l
        (br_if $d (i32.ge_s ${g('j')} ${g('cols')}))
        (local.set $s (f32.add (f32.load ${g('x')}) ${g('b')}))
        (f32.store ${g('x')} (select ${g('s')} (f32.const 0) (f32.gt ${g('s')} (f32.const 0))))
        (local.set $x (i32.add ${g('x')} (i32.const 4)))
        (local.set $j (i32.add ${g('j')} (i32.const 1)))
        (br $l)))
      (local.set $r (i32.add ${g('r')} (i32.const 1)))
      (br $rl))))

  ;; relu backward: dF = g > 0 ? dG : 0 over n floats (dF may be dG).
  (func (export "reluBackward") (param $g i32) (param $dg i32) (param $df i32) (param $n i32)
    (local $i i32)
    (block $d (loop $l
      (br_if $d (i32.gt_s (i32.add ${g('i')} (i32.const 4)) ${g('n')}))
      (v128.store ${g('df')} (v128.and (v128.load ${g('dg')}) (f32x4.gt (v128.load ${g('g')}) (v128.const f32x4 0 0 0 0))))
      (local.set $g (i32.add ${g('g')} (i32.const 16)))
      (local.set $dg (i32.add ${g('dg')} (i32.const 16)))
      (local.set $df (i32.add ${g('df')} (i32.const 16)))
      (local.set $i (i32.add ${g('i')} (i32.const 4)))
      (br $l)))
    (block $d (loop $l
      (br_if $d (i32.ge_s ${g('i')} ${g('n')}))
      (f32.store ${g('df')} (select (f32.load ${g('dg')}) (f32.const 0) (f32.gt (f32.load ${g('g')}) (f32.const 0))))
      (local.set $g (i32.add ${g('g')} (i32.const 4)))
      (local.set $dg (i32.add ${g('dg')} (i32.const 4)))
      (local.set $df (i32.add ${g('df')} (i32.const 4)))
      (local.set $i (i32.add ${g('i')} (i32.const 1)))
      (br $l))))

  ;; y = alpha A x + beta y for one column (n = 1, A not transposed): dot products of the
  ;; contiguous rows of A (m x k) with x, eight lanes at a time, then the scalar tail. No packing.
  ;; Four rows at a time share the loads of x and keep eight independent accumulators in flight;
  ;; each row is still summed in the same order as alone (two vector sums, then its tail), so the
  ;; grouping changes no bit.
  (func (export "gemv")
    (param $m i32) (param $k i32) (param $alpha f32) (param $a i32) (param $x i32) (param $beta f32) (param $y i32)
    (local $i i32) (local $p i32) (local $k8 i32) (local $row i32) (local $xp i32) (local $v0 v128) (local $v1 v128) (local $s f32)
    (local $stride i32) (local $xa v128) (local $xb v128)
    ${range(4).map((r) => `(local $r${r} i32) (local $a${r} v128) (local $b${r} v128)`).join(' ')}
    (call $scaleC ${g('m')} ${g('beta')} ${g('y')})
    (local.set $k8 (i32.and ${g('k')} (i32.const -8)))
    (local.set $stride (i32.shl ${g('k')} (i32.const 2)))
    (local.set $row ${g('a')})
    (block $qd (loop $ql
      (br_if $qd (i32.gt_s (i32.add ${g('i')} (i32.const 4)) ${g('m')}))
      ${range(4).map((r) => `(local.set $r${r} ${r === 0 ? g('row') : `(i32.add ${g(`r${r - 1}`)} ${g('stride')})`})`).join('\n      ')}
      ${range(4).map((r) => `(local.set $a${r} (v128.const i32x4 0 0 0 0)) (local.set $b${r} (v128.const i32x4 0 0 0 0))`).join('\n      ')}
      (local.set $p (i32.const 0))
      (local.set $xp ${g('x')})
      (block $pd (loop $pl
        (br_if $pd (i32.ge_s ${g('p')} ${g('k8')}))
        (local.set $xa (v128.load ${g('xp')}))
        (local.set $xb (v128.load offset=16 ${g('xp')}))
        ${range(4)
          .map(
            (r) =>
              `(local.set $a${r} ${madd(`(v128.load (i32.add ${g(`r${r}`)} (i32.shl ${g('p')} (i32.const 2))))`, g('xa'), g(`a${r}`))})
        (local.set $b${r} ${madd(`(v128.load offset=16 (i32.add ${g(`r${r}`)} (i32.shl ${g('p')} (i32.const 2))))`, g('xb'), g(`b${r}`))})`,
          )
          .join('\n        ')}
        (local.set $xp (i32.add ${g('xp')} (i32.const 32)))
        (local.set $p (i32.add ${g('p')} (i32.const 8)))
        (br $pl)))
      ${range(4)
        .map(
          (r) => `(local.set $v0 (f32x4.add ${g(`a${r}`)} ${g(`b${r}`)}))
      (local.set $s (f32.add
        (f32.add (f32x4.extract_lane 0 ${g('v0')}) (f32x4.extract_lane 1 ${g('v0')}))
        (f32.add (f32x4.extract_lane 2 ${g('v0')}) (f32x4.extract_lane 3 ${g('v0')}))))
      (local.set $p ${g('k8')})
      (block $td (loop $tl
        (br_if $td (i32.ge_s ${g('p')} ${g('k')}))
        (local.set $s (f32.add ${g('s')} (f32.mul
          (f32.load (i32.add ${g(`r${r}`)} (i32.shl ${g('p')} (i32.const 2))))
          (f32.load (i32.add ${g('x')} (i32.shl ${g('p')} (i32.const 2)))))))
        (local.set $p (i32.add ${g('p')} (i32.const 1)))
        (br $tl)))
      (f32.store offset=${r * 4} ${g('y')} (f32.add (f32.load offset=${r * 4} ${g('y')}) (f32.mul ${g('alpha')} ${g('s')})))`,
        )
        .join('\n      ')}
      (local.set $y (i32.add ${g('y')} (i32.const 16)))
      (local.set $row (i32.add ${g('r3')} ${g('stride')}))
      (local.set $i (i32.add ${g('i')} (i32.const 4)))
      (br $ql)))
    (block $id (loop $il
      (br_if $id (i32.ge_s ${g('i')} ${g('m')}))
      (local.set $v0 (v128.const i32x4 0 0 0 0))
      (local.set $v1 (v128.const i32x4 0 0 0 0))
      (local.set $p (i32.const 0))
      (local.set $xp ${g('x')})
      (block $pd (loop $pl
        (br_if $pd (i32.ge_s ${g('p')} ${g('k8')}))
        (local.set $v0 ${madd(`(v128.load (i32.add ${g('row')} (i32.shl ${g('p')} (i32.const 2))))`, `(v128.load ${g('xp')})`, g('v0'))})
        (local.set $v1 ${madd(`(v128.load offset=16 (i32.add ${g('row')} (i32.shl ${g('p')} (i32.const 2))))`, `(v128.load offset=16 ${g('xp')})`, g('v1'))})
        (local.set $xp (i32.add ${g('xp')} (i32.const 32)))
        (local.set $p (i32.add ${g('p')} (i32.const 8)))
        (br $pl)))
      (local.set $v0 (f32x4.add ${g('v0')} ${g('v1')}))
      (local.set $s (f32.add
        (f32.add (f32x4.extract_lane 0 ${g('v0')}) (f32x4.extract_lane 1 ${g('v0')}))
        (f32.add (f32x4.extract_lane 2 ${g('v0')}) (f32x4.extract_lane 3 ${g('v0')}))))
      (block $td (loop $tl
        (br_if $td (i32.ge_s ${g('p')} ${g('k')}))
        (local.set $s (f32.add ${g('s')} (f32.mul
          (f32.load (i32.add ${g('row')} (i32.shl ${g('p')} (i32.const 2))))
          (f32.load (i32.add ${g('x')} (i32.shl ${g('p')} (i32.const 2)))))))
        (local.set $p (i32.add ${g('p')} (i32.const 1)))
        (br $tl)))
      (f32.store ${g('y')} (f32.add (f32.load ${g('y')}) (f32.mul ${g('alpha')} ${g('s')})))
      (local.set $y (i32.add ${g('y')} (i32.const 4)))
      (local.set $row (i32.add ${g('row')} (i32.shl ${g('k')} (i32.const 2))))
      (local.set $i (i32.add ${g('i')} (i32.const 1)))
      (br $il))))

  ${tiles.map((t) => tileWat(fma, t)).join('\n')}
)
`;
}

/** Assembles WebAssembly text with wabt into a base64 module; the test of the shared variant uses it too. */
export async function assemble(wabt, name, src, relaxed) {
  const features = { simd: true, bulk_memory: true, threads: true };
  if (relaxed) features.relaxed_simd = true;
  const mod = wabt.parseWat(name, src, features);
  // wabt 1.0.39's validator rejects shared memories whatever the features; Node validates those.
  if (!src.includes(' shared))')) mod.validate();
  const { buffer } = mod.toBinary({});
  mod.destroy();
  if (!relaxed && !WebAssembly.validate(buffer)) throw new Error(`${name}: the assembled module does not validate`);
  return Buffer.from(buffer).toString('base64');
}

async function main() {
  if (process.argv.includes('--wat')) {
    process.stdout.write(kernelWat(process.argv.includes('--fma')));
    return;
  }
  const wabt = await wabtInit();
  const plain = await assemble(wabt, 'gemm-simd.wat', kernelWat(false), false);
  const relaxed = await assemble(wabt, 'gemm-relaxed.wat', kernelWat(true), true);
  // The shared-memory variants (threads) differ only in the memory import's limits; the runtime
  // derives them from these two (shareMemory in src/matrix/simd/kernel.ts), which keeps the
  // package small. test/shared-kernel.test.ts checks that the derivation gives exactly what wabt
  // assembles from kernelWat(fma, true).
  const outArg = process.argv.find((a) => a.startsWith('--out='));
  const out = outArg !== undefined ? outArg.slice('--out='.length) : join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'matrix', 'simd', 'kernel-wasm.ts');
  const text = `// Generated by scripts/build-simd.mjs from the WebAssembly text written there. Do not edit.

/** The micro-tiles of C (rows, columns) of each variant, exported as gemm<mr>x<nr> etc.: threads split C on a tile's boundaries. */
export const SIMD_TILES = {
  simd128: [${TILES.simd128.map((t) => `{ mr: ${t.mr}, nr: ${t.nv * 4} }`).join(', ')}],
  relaxed: [${TILES.relaxed.map((t) => `{ mr: ${t.mr}, nr: ${t.nv * 4} }`).join(', ')}],
} as const;
/** Bytes at address 0 the kernel reserves (edge tiles, thread control); operands go after them. */
export const SIMD_RESERVED_BYTES = ${RESERVED_BYTES};
/** Bytes of one thread's edge-tile buffer; thread t's is at t * SIMD_TILE_BYTES. */
export const SIMD_TILE_BYTES = ${TILE_BYTES};
/** Most threads (edge-tile buffers) the reserved area holds. */
export const SIMD_MAX_THREADS = ${MAX_THREADS};
/** Byte address of the threads' control block. */
export const SIMD_CONTROL_BYTES = ${CONTROL_BYTES};
/** Pages the shared memory of the threaded kernels is declared to grow to. */
export const SIMD_MAX_PAGES = ${MAX_PAGES};
/** The SIMD128 kernel (f32x4.mul + f32x4.add), base64. */
export const SIMD_KERNEL_BASE64 =
  '${plain}';
/** The relaxed-SIMD kernel (f32x4.relaxed_madd), base64. */
export const RELAXED_KERNEL_BASE64 =
  '${relaxed}';

`;
  writeFileSync(out, text);
  console.log(`build-simd: wrote ${out} (${plain.length} + ${relaxed.length} base64 chars)`);
}

// Run as the build step, not when the test imports kernelWat and assemble.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
