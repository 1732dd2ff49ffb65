import type { ReactNode } from 'react';
import { formatDate } from '../../data/bench';
import { Absent } from './format';
import { distinct, type SweepFile, sweepFile } from './results';
import SweepChart, { type Phase } from './SweepChart';
import styles from './bench.module.css';

const PHASES: readonly Phase[] = ['train', 'infer'];

/**
 * "How cost grows": the sweeps of sweep.json, training and inference against the hidden width
 * and against the batch, one chart each (samples/s or GFLOP/s), one line per contestant.
 */
export default function SweepSection({ sweep = sweepFile }: { sweep?: SweepFile }): ReactNode {
  const rows = sweep.results ?? [];
  const axes = distinct(rows.map((r) => r.axis));
  const contestants = distinct(rows.map((r) => r.contestant));
  return (
    <section data-testid="bench-sweep">
      <h2 id="sweep">How cost grows</h2>
      <p>
        Training (one epoch of SGD) and inference (<code>predict</code>, batch by batch) of MLPs of growing size, timed for each contestant at each point:
        against the hidden width W of 784-W-W-10 at a fixed batch, and against the batch for a fixed network. Random data (the speed section above checks
        the losses). The rounds interleave the contestants point by point (NumPy runs in one process per round over all the points); each point shows the median of{' '}
        {sweep.rounds ?? '—'} rounds. GFLOP/s count only the GEMMs' flop (2 per multiply-add: a training step's forward and backward products, or a
        forward pass's), so they show how much of the machine each library turns into arithmetic as the shapes grow.
        {sweep.date && sweep.machine && (
          <>
            {' '}
            Run on {formatDate(sweep.date)} by <code>{sweep.command}</code>: {sweep.machine.cpu}, {sweep.machine.cores} cores, Node {sweep.machine.node}
            {sweep.kernel ? (
              <>
                , Nabla's kernel <code>{sweep.kernel}</code>
              </>
            ) : null}
            .
          </>
        )}{' '}
        Contestants: {contestants.map((c, i) => (
          <span key={c}>
            {i > 0 && ', '}
            <code>{c}</code>
          </span>
        ))}
        {contestants.length === 0 && 'none'}.
      </p>
      {rows.length === 0 ? (
        <Absent what="sweep results (results)" file="apps/bench/results/sweep.json" command="pnpm bench:speed --only=sweep" />
      ) : (
        <div className={styles.charts}>
          {axes.flatMap((axis) =>
            PHASES.map((phase) => (
              <SweepChart key={`${phase}-${axis}`} axis={axis} phase={phase} rows={rows.filter((r) => r.axis === axis)} contestants={contestants} />
            )),
          )}
        </div>
      )}
    </section>
  );
}
