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
  const threads = speed.threads?.gemm ?? [];
  const sizes = distinct((speed.gemm?.sizes ?? simd.map((g) => g.n)).concat(threads.map((g) => g.n))).sort((a, b) => a - b);
  // One line per SIMD kernel of speed.gemm, then the threads run's GEMMs on one and two threads
  // (two threads against two cores' peak).
  const lines: { key: string; label: string; cores: number; gflops: Map<number, number> }[] = names
    .map((name) => ({
      key: name,
      label: `${name}: GFLOP/s (of the peak)`,
      cores: 1,
      gflops: new Map(simd.filter((g) => g.name === name).map((g) => [g.n, g.gflops.median])),
    }))
    .concat(
      threads.length === 0
        ? []
        : [1, 2].map((cores) => ({
          key: `threads-${cores}`,
          label: cores === 1 ? 'threads run, 1 thread: GFLOP/s (of the peak)' : 'threads run, 2 threads: GFLOP/s (of twice the peak)',
          cores,
          gflops: new Map(threads.map((g) => [g.n, (cores === 1 ? g.gflops1 : g.gflops2).median])),
        })),
    );
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
                <th>float32 n × n</th>
                {sizes.map((n) => (
                  <th key={n}>n = {n}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => (
                <tr key={line.key} data-line={line.key}>
                  <td>{line.label}</td>
                  {sizes.map((n) => {
                    const g = line.gflops.get(n);
                    if (g === undefined) return <td key={n}>—</td>;
                    return (
                      <td key={n} data-n={n}>
                        {num(g)}
                        {used?.gflops && <strong> ({percent(g / (line.cores * used.gflops.median))})</strong>}
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
