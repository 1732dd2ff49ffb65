import type { ReactNode } from 'react';
import { accuracy as accuracyFile, formatDate } from '../../data/bench';
import { fixed, percent } from './format';

/** apps/bench/results/accuracy.json, as `pnpm bench:accuracy` writes it (threads since 2026-12-06). */
export interface AccuracyFile {
  readonly command: string;
  readonly date: string;
  readonly machine: { readonly cpus: number; readonly cpu: string; readonly node: string; readonly loadavg: readonly number[] };
  readonly target: number;
  readonly accuracy: number;
  readonly met: boolean;
  readonly samples: number;
  readonly trainSeconds: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly threads?: number;
  readonly autoThreads?: { readonly stepsTwo: number; readonly stepsOne: number };
}

/** "Real data": the CLI's documented Fashion-MNIST command, its test accuracy and its time. */
export default function AccuracySection({ result = accuracyFile as AccuracyFile }: { result?: AccuracyFile }): ReactNode {
  const a = result.autoThreads;
  const threads =
    a !== undefined
      ? `--threads auto (the default): two threads for ${fixed(a.stepsTwo)} of ${fixed(a.stepsTwo + a.stepsOne)} steps`
      : result.threads !== undefined
        ? `${result.threads} thread${result.threads > 1 ? 's' : ''}`
        : 'not recorded';
  return (
    <section data-testid="bench-accuracy">
      <h2 id="real-data">Real data: Fashion-MNIST</h2>
      <p>
        The command the CLI documents, run by <code>pnpm bench:accuracy</code> on Fashion-MNIST's training images (a tenth held out for validation) and its{' '}
        {fixed(result.samples)} test images on {formatDate(result.date)}:{' '}
        {result.machine.cpu}, {result.machine.cpus} cores, Node {result.machine.node}.
      </p>
      <pre>
        <code>{result.command}</code>
      </pre>
      <table data-testid="accuracy-table">
        <tbody>
          <tr>
            <td>test accuracy ({fixed(result.samples)} images)</td>
            <td>
              {fixed(result.accuracy, 4)} ({percent(result.accuracy)}; target ≥ {fixed(result.target, 2)}: {result.met ? 'met' : 'not met'})
            </td>
          </tr>
          <tr>
            <td>training time, s</td>
            <td>{fixed(result.trainSeconds, 1)}</td>
          </tr>
          <tr>
            <td>in all with loading the data, s; CPU time, s</td>
            <td>
              {fixed(result.seconds, 1)}; {fixed(result.cpuSeconds, 1)}
            </td>
          </tr>
          <tr>
            <td>threads</td>
            <td>{threads}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}
