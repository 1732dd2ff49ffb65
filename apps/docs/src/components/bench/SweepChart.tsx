import { type ReactNode, useState } from 'react';
import { num } from './format';
import LineChart, { type ChartSeries, DASHES } from './LineChart';
import type { SweepRow } from './results';
import styles from './bench.module.css';

export type Phase = 'train' | 'infer';
export type Metric = 'samples' | 'gflops';

const PHASE = { train: 'Training', infer: 'Inference' } as const;

/** How a point of the axis is named: "W = 256" or "batch 16". */
export const pointName = (axis: string, v: number): string => (axis === 'width' ? `W = ${v}` : `${axis} ${v}`);

/** The network of an axis' rows, with the swept width written W: 784-W-W-10. */
function network(axis: string, rows: readonly SweepRow[]): string {
  const r = rows[0];
  if (!r) return '';
  return axis === 'width' ? r.sizes.map((s) => (s === r.value ? 'W' : String(s))).join('-') : r.sizes.join('-');
}

/** The value of a row that the chart plots. */
export function sweepValue(r: SweepRow, phase: Phase, metric: Metric): number {
  if (metric === 'gflops') return phase === 'train' ? r.trainGflops : r.inferGflops;
  return (phase === 'train' ? r.train : r.infer).median;
}

export interface SweepChartProps {
  readonly axis: string;
  readonly phase: Phase;
  /** The sweep's rows of this axis, every contestant. */
  readonly rows: readonly SweepRow[];
  /** Every contestant of the sweep, in order: a contestant keeps its colour across the charts. */
  readonly contestants: readonly string[];
}

/**
 * One chart of the sweep: samples/s (log) or GFLOP/s (linear) of one phase against one axis
 * (log), a line per contestant, with a samples/s | GFLOP/s toggle and the numbers as a table.
 */
export default function SweepChart({ axis, phase, rows, contestants }: SweepChartProps): ReactNode {
  const [metric, setMetric] = useState<Metric>('samples');
  const values = Array.from(new Set(rows.map((r) => r.value))).sort((a, b) => a - b);
  const shown = contestants.filter((c) => rows.some((r) => r.contestant === c));
  const net = network(axis, rows);
  const batches = Array.from(new Set(rows.map((r) => r.batch)));
  const setting = axis === 'width' ? `${net}, batch ${batches.join(', ')}` : net;
  const what = axis === 'width' ? `hidden width W (${setting})` : `${axis} (${setting})`;
  const flop = phase === 'train' ? 'a training step' : 'a forward pass';
  const id = `sweep-${phase}-${axis}`;
  const title = (r: SweepRow): string => {
    const s = phase === 'train' ? r.train : r.infer;
    const g = phase === 'train' ? r.trainGflops : r.inferGflops;
    return `${r.contestant}, ${pointName(axis, r.value)}: ${num(s.median)} samples/s (min ${num(s.min)}, max ${num(s.max)}), ${num(g)} GFLOP/s`;
  };
  const series: ChartSeries[] = shown.map((c) => ({
    name: c,
    style: contestants.indexOf(c),
    points: rows
      .filter((r) => r.contestant === c)
      .sort((a, b) => a.value - b.value)
      .map((r) => ({ x: r.value, y: sweepValue(r, phase, metric), title: title(r) })),
  }));
  const yLabel = metric === 'samples' ? 'samples / s (log scale)' : 'GFLOP/s';
  const label = `${PHASE[phase]} ${metric === 'samples' ? 'samples per second' : 'GFLOP/s'} against ${what}, one line per contestant`;
  return (
    <figure className="nabla-figure" data-chart={id} data-axis={axis} data-phase={phase} data-metric={metric}>
      <div className={styles.chartHead}>
        <p className={styles.chartTitle} id={`${id}-title`}>
          {PHASE[phase]} by {axis === 'width' ? 'hidden width' : axis}
        </p>
        {/* biome-ignore lint/a11y/useSemanticElements: a pair of toggle buttons, not a form's fieldset */}
        <div className={styles.toggle} role="group" aria-label="quantity shown">
          {(['samples', 'gflops'] as const).map((m) => (
            <button key={m} type="button" aria-pressed={metric === m} data-metric={m} onClick={() => setMetric(m)}>
              {m === 'samples' ? 'samples/s' : 'GFLOP/s'}
            </button>
          ))}
        </div>
      </div>
      <ul className={styles.legend} aria-label="contestants">
        {series.map((s) => (
          <li key={s.name} className={styles[`series${s.style % DASHES.length}`]}>
            <svg width="28" height="10" aria-hidden="true">
              <line x1="1" x2="27" y1="5" y2="5" strokeWidth={2} strokeDasharray={DASHES[s.style % DASHES.length] || undefined} />
            </svg>
            <code>{s.name}</code>
          </li>
        ))}
      </ul>
      <LineChart series={series} xTicks={values} xLabel={axis === 'width' ? 'hidden width W, neurons (log scale)' : axis === 'batch' ? `batch, samples per ${phase === 'train' ? 'step' : 'predict call'} (log scale)` : `${axis} (log scale)`} yLabel={yLabel} yLog={metric === 'samples'} label={label} />
      <figcaption>
        {PHASE[phase]} of {setting}: {metric === 'samples' ? 'samples per second, median of the rounds' : `GFLOP/s, the median samples/s times the GEMM flop per sample of ${flop}`}. Hover a
        point for its numbers.
      </figcaption>
      <details className={styles.numbers}>
        <summary>The numbers: samples/s (GFLOP/s)</summary>
        <table data-testid={`${id}-table`}>
          <thead>
            <tr>
              <th>{axis === 'width' ? 'W' : axis}</th>
              {shown.map((c) => (
                <th key={c}>
                  <code>{c}</code>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {values.map((v) => (
              <tr key={v} data-value={v}>
                <td>{String(v)}</td>
                {shown.map((c) => {
                  const r = rows.find((x) => x.contestant === c && x.value === v);
                  return (
                    <td key={c} data-contestant={c}>
                      {r ? (
                        <>
                          {num(sweepValue(r, phase, 'samples'))} <small>({num(sweepValue(r, phase, 'gflops'))})</small>
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
