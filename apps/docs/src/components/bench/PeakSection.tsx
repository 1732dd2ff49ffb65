import type { ReactNode } from 'react';
import { Absent, Range, fixed, num, percent } from './format';
import { distinct, type SpeedFile, speedFile } from './results';

/**
 * "Against the platform's limit": the measured WebAssembly SIMD peaks of one core (speed.peak)
 * and every SIMD GEMM of speed.gemm as a fraction of the peak of the variant Nabla ran with.
 */
export default function PeakSection({ speed = speedFile }: { speed?: SpeedFile }): ReactNode {
  const peak = speed.peak;
  const variant = speed.nablaSimdVariant;
  const used = peak?.results.find((p) => p.variant === variant && p.available && p.gflops);
  const simd = (speed.gemm?.results ?? []).filter((g) => g.name.includes('simd'));
  const names = distinct(simd.map((g) => g.name));
  const sizes = speed.gemm?.sizes ?? distinct(simd.map((g) => g.n));
  return (
    <section data-testid="bench-peak">
      <h2 id="peak">Against the platform's limit</h2>
      <p>
        How close the GEMM comes to what one core can do with WebAssembly SIMD at all. The peak is measured, for each SIMD variant, by a loop of nothing but
        multiply-adds{peak ? `: ${peak.method}. Medians of ${peak.rounds} rounds, with the range (min–max) in brackets` : ''}. The fraction divides the GEMM's
        median by the median peak of the variant Nabla ran with{variant ? (
          <>
            {' '}
            here, <code>{variant}</code>
          </>
        ) : null}
        .
      </p>
      {peak ? (
        <table data-testid="peak-table">
          <thead>
            <tr>
              <th>variant</th>
              <th>instructions</th>
              <th>peak GFLOP/s</th>
              <th>per CPU second</th>
            </tr>
          </thead>
          <tbody>
            {peak.results.map((p) => (
              <tr key={p.variant} data-variant={p.variant}>
                <td>
                  <code>{p.variant}</code>
                  {p.variant === variant ? ' (used by Nabla here)' : ''}
                </td>
                <td>{p.note}</td>
                <td>{p.available && p.gflops ? <Range s={p.gflops} /> : 'not available'}</td>
                <td>{p.available && p.gflopsCpu ? <Range s={p.gflopsCpu} /> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Absent what="measured SIMD peak (section peak)" file="apps/bench/results/speed.json" />
      )}
      {names.length === 0 ? (
        <Absent what="SIMD GEMM results (section gemm)" file="apps/bench/results/speed.json" />
      ) : (
        <>
          {!used && peak && (
            <p>
              The peak of <code>{variant ?? 'unknown'}</code> was not measured in this run, so the GEMMs are shown without a fraction.
            </p>
          )}
          <table data-testid="peak-gemm-table">
            <thead>
              <tr>
                <th>float32 n × n, one thread</th>
                {sizes.map((n) => (
                  <th key={n}>n = {n}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {names.map((name) => (
                <tr key={name}>
                  <td>{name}: GFLOP/s (of the peak)</td>
                  {sizes.map((n) => {
                    const g = simd.find((x) => x.name === name && x.n === n);
                    if (!g) return <td key={n}>—</td>;
                    return (
                      <td key={n} data-n={n} data-gflops={g.gflops.median}>
                        {num(g.gflops.median)}
                        {used?.gflops && <strong> ({percent(g.gflops.median / used.gflops.median)})</strong>}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          {used?.gflops && (
            <p>
              The peak used: {fixed(used.gflops.median, 1)} GFLOP/s, <code>{used.variant}</code>: {used.note}.
            </p>
          )}
        </>
      )}
    </section>
  );
}
