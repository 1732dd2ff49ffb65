import type { ReactNode } from 'react';
import { Absent, Range, fixed, times } from './format';
import { type SpeedFile, speedFile } from './results';

const BASE = 'numpy-1t';

/** Nabla's contestants, NumPy's and TensorFlow.js's wasm backend: the ones issue 15 compares. */
const compared = (name: string): boolean => name.startsWith('nabla') || name.startsWith('numpy') || name === 'tfjs-wasm';

/**
 * "Against NumPy": training samples/s of Nabla, NumPy on one and two OpenBLAS threads and
 * TensorFlow.js wasm (speed.training), with the ratios against numpy-1t (speed.ratios).
 */
export default function NumpySection({ speed = speedFile }: { speed?: SpeedFile }): ReactNode {
  const rows = (speed.training?.results ?? []).filter((r) => compared(r.name));
  const base = rows.find((r) => r.name === BASE);
  const ratios = speed.ratios ?? {};
  const w = speed.workloads?.training;
  const ratio = (name: string, cpu: boolean): number | undefined => ratios[`training ${name} / ${BASE}${cpu ? ', per CPU second' : ''}`];
  return (
    <section data-testid="bench-numpy">
      <h2 id="numpy">Against NumPy</h2>
      <p>
        The training workload above (one epoch of {w ? `${w.layers.join('-')}, batch ${w.batch}` : 'the same network'}; the same learning rate, data order
        and initial weights for all) against a NumPy
        implementation of the same MLP, run in its own Python process with OpenBLAS pinned to one thread (<code>numpy-1t</code>) or two (
        <code>numpy-2t</code>). Samples per second of wall time and per CPU second, medians of {speed.training?.rounds ?? '—'} interleaved rounds with the
        range in brackets; the ratios divide each median by <code>{BASE}</code>'s, as the benchmark computed them. Equal losses after the epoch show the
        contestants did the same arithmetic.
      </p>
      {!base ? (
        <Absent what="NumPy training contestant (numpy-1t in section training)" file="apps/bench/results/speed.json" />
      ) : (
        <table data-testid="numpy-table">
          <thead>
            <tr>
              <th>contestant</th>
              <th>samples / s</th>
              <th>samples / CPU s</th>
              <th>× {BASE}</th>
              <th>× {BASE}, per CPU s</th>
              <th>loss after the epoch</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const own = r.name === BASE;
              const wall = own ? 1 : ratio(r.name, false);
              const cpu = own ? 1 : ratio(r.name, true);
              return (
                <tr key={r.name} data-contestant={r.name} title={r.config}>
                  <td>
                    <code>{r.name}</code>
                  </td>
                  <td data-median={r.samplesPerSecond.median}>
                    <Range s={r.samplesPerSecond} format={(v) => fixed(v)} />
                  </td>
                  <td>{r.samplesPerCpuSecond ? fixed(r.samplesPerCpuSecond.median) : '—'}</td>
                  <td data-ratio={wall}>{wall === undefined ? '—' : times(wall)}</td>
                  <td>{cpu === undefined ? '—' : times(cpu)}</td>
                  <td>{r.loss ? fixed(r.loss.median, 4) : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {base && (
        <details>
          <summary>How each contestant ran</summary>
          <ul>
            {rows.map((r) => (
              <li key={r.name}>
                <code>{r.name}</code>: {r.config}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
