import Link from '@docusaurus/Link';
import Layout from '@theme/Layout';
import type { ReactNode } from 'react';
import BrowserBench from '../components/BrowserBench';
import { AccuracySection, NumpySection, PeakSection, SweepSection, ThreadsSection } from '../components/bench';
import { MemoryChart, MemoryTable } from '../components/MemoryResults';
import { formatDate, speed } from '../data/bench';

interface Stat {
  median: number;
  min: number;
  max: number;
}

const f = (v: number, d = 0): string => v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

function Range({ s, d = 0 }: { s: Stat; d?: number }): ReactNode {
  return (
    <>
      {f(s.median, d)}{' '}
      <small>
        ({f(s.min, d)}–{f(s.max, d)})
      </small>
    </>
  );
}

export default function Benchmarks(): ReactNode {
  const training = speed.training.results as { name: string; config: string; samplesPerSecond: Stat; finalLoss?: number }[];
  const inference = speed.inference.results as { name: string; note: string; batch: number; samplesPerSecond: Stat }[];
  const gemm = speed.gemm.results as { name: string; dtype: string; n: number; gflops: Stat }[];
  const gemmNames = Array.from(new Set(gemm.map((g) => g.name)));
  const targets = speed.targets as { target: string; value: string; met: boolean }[];
  return (
    <Layout title="Benchmarks" description="Nabla's measured speed and memory, with the machine and the command that reproduces them.">
      <main className="container margin-vert--lg">
        <h1>Benchmarks</h1>
        <p>
          Every figure on this page is read at build time from <code>apps/bench/results/*.json</code>, written by the benchmark runs; nothing here is typed
          by hand. Reproduce them from the repository root with <code>{speed.command}</code>, <code>pnpm bench:accuracy</code> and <code>pnpm bench:memory</code>.
        </p>
        <h2 id="speed">Speed</h2>
        <p>
          Run on {formatDate(speed.date)} by <code>{speed.command}</code>: {speed.machine.cpu}, {speed.machine.cores} cores, {speed.machine.memoryGiB} GiB,
          Node {speed.machine.node}, {speed.machine.platform}; Nabla's GEMM variant <code>{speed.nablaSimdVariant}</code>. Versions:{' '}
          {Object.entries(speed.versions)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}
          . Method: {speed.method}. Medians, with the range (min–max) in brackets.
        </p>
        <h3 id="training">Training: samples per second</h3>
        <p>
          Network {speed.workloads.training.layers.join('-')}, batch {speed.workloads.training.batch}, {speed.workloads.training.optimizer} learning rate{' '}
          {speed.workloads.training.learningRate}; data: {speed.workloads.training.data}.
        </p>
        <table data-testid="training-table">
          <thead>
            <tr>
              <th>library</th>
              <th>configuration</th>
              <th>samples / s</th>
            </tr>
          </thead>
          <tbody>
            {training.map((r) => (
              <tr key={r.name}>
                <td>{r.name}</td>
                <td>{r.config}</td>
                <td>
                  <Range s={r.samplesPerSecond} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3 id="in-your-browser">Run it in your browser</h3>
        <BrowserBench />
        <h3 id="inference">Inference: samples per second</h3>
        <table>
          <thead>
            <tr>
              <th>library</th>
              <th>batch</th>
              <th>how</th>
              <th>samples / s</th>
            </tr>
          </thead>
          <tbody>
            {inference.map((r) => (
              <tr key={`${r.name}-${r.batch}`}>
                <td>{r.name}</td>
                <td>{r.batch}</td>
                <td>{r.note}</td>
                <td>
                  <Range s={r.samplesPerSecond} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3 id="gemm">Matrix multiply (GEMM): GFLOP/s for n × n</h3>
        <table>
          <thead>
            <tr>
              <th>kernel</th>
              {speed.gemm.sizes.map((n) => (
                <th key={n}>n = {n}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {gemmNames.map((name) => (
              <tr key={name}>
                <td>{name}</td>
                {speed.gemm.sizes.map((n) => {
                  const g = gemm.find((x) => x.name === name && x.n === n);
                  return <td key={n}>{g ? <Range s={g.gflops} d={2} /> : '—'}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
        <h3 id="ratios">Ratios</h3>
        <table>
          <tbody>
            {Object.entries(speed.ratios).map(([k, v]) => (
              <tr key={k}>
                <td>{k}</td>
                <td>{f(v as number, 2)}×</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3 id="targets">Targets</h3>
        <table>
          <thead>
            <tr>
              <th>target</th>
              <th>measured</th>
              <th>met</th>
            </tr>
          </thead>
          <tbody>
            {targets.map((t) => (
              <tr key={t.target}>
                <td>{t.target}</td>
                <td>{t.value}</td>
                <td>{t.met ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <PeakSection />
        <NumpySection />
        <ThreadsSection />
        <SweepSection />
        <AccuracySection />
        <h2 id="memory">Memory (gradient checkpointing)</h2>
        <MemoryTable />
        <MemoryChart />
        <p>
          How the schedules behind these numbers work: <Link to="/docs/checkpointing">Gradient checkpointing</Link>.
        </p>
      </main>
    </Layout>
  );
}
