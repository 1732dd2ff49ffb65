import type { ReactNode } from 'react';
import { Absent, Range, RatioRange, fixed, num, percent } from './format';
import { type SpeedFile, type Stat, speedFile } from './results';

function Row({ what, one, two, speedup, unit }: { what: ReactNode; one: Stat; two: Stat; speedup?: Stat; unit: (v: number) => string }): ReactNode {
  return (
    <tr>
      <td>{what}</td>
      <td>
        <Range s={one} format={unit} />
      </td>
      <td>
        <Range s={two} format={unit} />
      </td>
      <td>{speedup ? <RatioRange s={speedup} /> : '—'}</td>
    </tr>
  );
}

/**
 * "Both cores": one thread against two (speed.threads) on square GEMMs, on the GEMMs of small
 * cubes (where splitting starts to pay), on the eight GEMMs of a training step and on the
 * training epoch; the losses of both; and the step's GFLOP/s as a fraction of its GEMMs'.
 */
export default function ThreadsSection({ speed = speedFile }: { speed?: SpeedFile }): ReactNode {
  const t = speed.threads;
  const file = 'apps/bench/results/speed.json';
  if (!t) {
    return (
      <section data-testid="bench-threads">
        <h2 id="threads">Both cores</h2>
        <Absent what="one-against-two-threads run (section threads)" file={file} />
      </section>
    );
  }
  const w = speed.workloads?.training;
  const network = w ? `${w.layers.join('-')}, batch ${w.batch}` : 'the training workload';
  const medianOnly = (t.stepFraction ?? []).some((r) => r.medianStepFraction !== undefined);
  return (
    <section data-testid="bench-threads">
      <h2 id="threads">Both cores</h2>
      <p>
        The same SIMD kernel on one thread and on two (<code>useThreads({'{ count: 2 }'})</code>: the caller and one worker claim bands of the product from a
        shared counter), run back to back in each of {t.rounds} rounds. Medians with the range in brackets; the last column is the ratio of each round's two
        timings. The results are the same bits whatever the thread count, so two threads change only the time.
      </p>
      <table data-testid="threads-table">
        <thead>
          <tr>
            <th>what</th>
            <th>1 thread</th>
            <th>2 threads</th>
            <th>2 threads / 1</th>
          </tr>
        </thead>
        <tbody>
          {(t.gemm ?? []).map((g) => (
            <Row key={g.n} what={`GEMM ${g.n} × ${g.n} × ${g.n}${t.gemmResident ? ", a caller's arrays" : ''}, GFLOP/s`} one={g.gflops1} two={g.gflops2} speedup={g.speedup} unit={num} />
          ))}
          {(t.gemmResident ?? []).map((g) => (
            <Row key={`r${g.n}`} what={`GEMM ${g.n} × ${g.n} × ${g.n}, resident operands, GFLOP/s`} one={g.gflops1} two={g.gflops2} speedup={g.speedup} unit={num} />
          ))}
          {t.stepGemms && (
            <Row
              what={`the GEMMs of one training step of ${network}${t.stepGemmsCopied ? ', resident' : ''}, GFLOP/s`}
              one={t.stepGemms.gflops1}
              two={t.stepGemms.gflops2}
              speedup={t.stepGemms.speedup}
              unit={num}
            />
          )}
          {t.stepGemmsCopied && (
            <Row what="the same GEMMs on a caller's arrays, GFLOP/s" one={t.stepGemmsCopied.gflops1} two={t.stepGemmsCopied.gflops2} speedup={t.stepGemmsCopied.speedup} unit={num} />
          )}
          {t.training && (
            <Row
              what={`training epoch of ${network}, samples/s`}
              one={t.training.samplesPerSecond1}
              two={t.training.samplesPerSecond2}
              speedup={t.training.speedup}
              unit={(v) => fixed(v)}
            />
          )}
          {t.training?.medianStepUs1 && t.training.medianStepUs2 && t.training.stepSpeedup && (
            <Row
              what="that epoch's median step, µs (last column: the speed-up)"
              one={t.training.medianStepUs1}
              two={t.training.medianStepUs2}
              speedup={t.training.stepSpeedup}
              unit={(v) => fixed(v)}
            />
          )}
          {t.training?.firstStepMs1 && t.training.firstStepMs2 && (
            <Row what="its first step from the call (the call's setup included), ms" one={t.training.firstStepMs1} two={t.training.firstStepMs2} unit={num} />
          )}
          {t.training?.tailMs1 && t.training.tailMs2 && (
            <Row what="what its other steps took beyond the median step, summed, ms" one={t.training.tailMs1} two={t.training.tailMs2} unit={num} />
          )}
        </tbody>
      </table>
      {t.training ? (
        <p data-testid="threads-loss">
          Loss after the epoch: {t.training.loss1} on one thread, {t.training.loss2} on two:{' '}
          <strong>{t.training.sameLoss ? 'identical bits' : 'they differ'}</strong>.
        </p>
      ) : (
        <Absent what="two-thread training epoch (threads.training)" file={file} />
      )}
      {t.threshold && t.threshold.length > 0 && (
        <>
          <h3 id="threads-threshold">Where splitting pays</h3>
          <p>
            GEMMs of s × s × s for small s: below some amount of work the hand-over to the second thread costs more than it saves.
            {t.parallelMinWork !== undefined && (
              <>
                {' '}
                The engine splits a product only from m·n·k = {fixed(t.parallelMinWork)} on: the last column says which of these it splits.
              </>
            )}
          </p>
          <table data-testid="threads-threshold-table">
            <thead>
              <tr>
                <th>s</th>
                <th>m·n·k</th>
                <th>1 thread, GFLOP/s</th>
                <th>2 threads, GFLOP/s</th>
                <th>2 threads / 1</th>
                <th>split</th>
              </tr>
            </thead>
            <tbody>
              {t.threshold.map((r) => (
                <tr key={r.size}>
                  <td>{r.size}</td>
                  <td>{fixed(r.work)}</td>
                  <td>
                    <Range s={r.gflops1} />
                  </td>
                  <td>
                    <Range s={r.gflops2} />
                  </td>
                  <td>
                    <RatioRange s={r.speedup} />
                  </td>
                  <td>{t.parallelMinWork === undefined ? '—' : r.work >= t.parallelMinWork ? 'yes' : 'no'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {t.stepFraction && t.stepFraction.length > 0 ? (
        <>
          <h3 id="threads-step">The step against its GEMMs</h3>
          <p>
            A training step's GFLOP/s (its GEMM flop over the whole step's time) as a fraction of the GFLOP/s of its GEMMs run alone
            {t.stepGemmsCopied
              ? " on resident operands, as the step runs them (a network's own buffers live in the kernel's memory and need no copies)."
              : " (on ordinary arrays, so with the copies a user's matrices need; a network's own buffers live in the kernel's memory and need none)."} With two threads the big layers'
            optimiser updates are split with their products; the rest of the step (bias, activations, softmax, the small layers) stays on one thread.
          </p>
          <table data-testid="threads-fraction-table">
            <thead>
              <tr>
                <th>threads</th>
                <th>step, GFLOP/s</th>
                <th>its GEMMs alone, GFLOP/s</th>
                <th>fraction</th>
                {medianOnly && <th>the median step alone</th>}
              </tr>
            </thead>
            <tbody>
              {t.stepFraction.map((r) => (
                <tr key={r.threads}>
                  <td>{r.threads}</td>
                  <td>{num(r.stepGflops)}</td>
                  <td>{num(r.gemmGflops)}</td>
                  <td>{percent(r.fraction)}</td>
                  {medianOnly && <td>{r.medianStepFraction === undefined ? '—' : percent(r.medianStepFraction)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <Absent what="step fraction (threads.stepFraction)" file={file} />
      )}
      {t.crossCore && (
        <>
          <h3 id="threads-cores">Between the cores</h3>
          <p data-testid="threads-cross-core">
            What limits the split of small products on this machine: copying {fixed(t.crossCore.bytes / 1024)} KB (the first weight matrix) out of shared
            memory ran at <Range s={t.crossCore.sameCore} format={num} /> GB/s when this core had just written it and at{' '}
            <Range s={t.crossCore.crossCore} format={num} /> GB/s when the other core had, <strong>{num(t.crossCore.slowdown.median)}× slower</strong>. A split
            product moves its operands and its result between the cores' caches at the second rate: that is why the small products of the table above run slower split than on one thread.
          </p>
        </>
      )}
    </section>
  );
}
