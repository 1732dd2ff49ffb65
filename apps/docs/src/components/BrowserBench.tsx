import useBaseUrl from '@docusaurus/useBaseUrl';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import type { BenchMessage, Contestant } from '../workers/bench.worker';

/** Samples per timed run and the number of rounds: 10 to 20 s on a 2-core machine. */
const SAMPLES = 9600;
const ROUNDS = 7;

type Done = Extract<BenchMessage, { type: 'done' }>;

const NAMES: Record<Contestant, string> = { nabla: 'Nabla, one thread', 'nabla-2t': 'Nabla, two threads', 'tfjs-wasm': 'TensorFlow.js, wasm backend' };

const f = (v: number): string => Math.round(v).toLocaleString('en-US');

/**
 * "Run it in your browser": the training-speed comparison of the benchmark page, run in a Web
 * Worker (static/workers/bench.js) on the reader's machine. The page only starts the worker and
 * prints what it reports; nothing runs until the button is pressed.
 */
export default function BrowserBench(): ReactNode {
  const workerUrl = useBaseUrl('/workers/bench.js');
  const threadWorkerUrl = useBaseUrl('/workers/nabla-thread.js');
  const wasmPath = useBaseUrl('/workers/tfjs-wasm/');
  const workerRef = useRef<Worker | null>(null);
  const [running, setRunning] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [runs, setRuns] = useState<{ round: number; name: Contestant; samplesPerSecond: number }[]>([]);
  const [done, setDone] = useState<Done | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => () => workerRef.current?.terminate(), []);

  const start = (): void => {
    workerRef.current?.terminate();
    setRuns([]);
    setDone(null);
    setError(null);
    setRunning(true);
    setStatus('starting the worker');
    const worker = new Worker(workerUrl, { type: 'module', name: 'nabla-bench' });
    workerRef.current = worker;
    const fail = (message: string): void => {
      setError(message);
      setRunning(false);
      worker.terminate();
    };
    worker.onerror = (e) => fail(`the benchmark worker failed: ${e.message}`);
    worker.onmessage = (event: MessageEvent<BenchMessage>) => {
      const m = event.data;
      if (m.type === 'status') setStatus(m.text);
      else if (m.type === 'run') {
        setRuns((r) => [...r, m]);
        setStatus(`round ${m.round} of ${ROUNDS}`);
      } else if (m.type === 'done') {
        setDone(m);
        setRunning(false);
        setStatus(null);
        worker.terminate();
      } else fail(m.message);
    };
    worker.postMessage({
      type: 'start',
      wasmBase: new URL(wasmPath, window.location.href).href,
      samples: SAMPLES,
      rounds: ROUNDS,
      threadWorker: new URL(threadWorkerUrl, window.location.href).href,
    });
  };

  const ran = new Set<Contestant>(runs.map((r) => r.name));
  const contestants = (['nabla', 'nabla-2t', 'tfjs-wasm'] as const).filter((c) => c !== 'nabla-2t' || ran.has(c) || done?.medians[c] !== undefined);
  return (
    <div className="nabla-figure" data-figure="browser-bench">
      <p>
        Press the button to train the network above (784-128-64-10, relu, softmax with cross-entropy, SGD learning rate 0.1, batches of 64, float32,
        the same initial weights for both) on {SAMPLES.toLocaleString('en-US')} synthetic samples, {ROUNDS} times with Nabla and {ROUNDS} times with
        TensorFlow.js on its WebAssembly backend, in rotating order, inside a Web Worker on your machine. Where the page is cross-origin isolated
        (this site's server sends the headers), Nabla also runs on two threads, its products split with a second worker over shared memory. The page
        prints each run, the medians in samples per second, the ratios and the GEMM kernel Nabla picked for your browser. It takes ten to thirty
        seconds on a two-core machine; the page stays responsive meanwhile.
      </p>
      <p className="nabla-controls">
        <button type="button" className="button button--primary" onClick={start} disabled={running} data-testid="bb-run">
          {running ? 'Running…' : done ? 'Run again' : 'Run it in your browser'}
        </button>
        {status && (
          <span className="nabla-stats" data-testid="bb-status">
            {status}
          </span>
        )}
        {error && (
          <span className="nabla-error" data-testid="bb-error">
            {error}
          </span>
        )}
      </p>
      {(runs.length > 0 || done) && (
        <table data-testid="bb-table">
          <thead>
            <tr>
              <th>library</th>
              <th>samples / s, each run</th>
              <th>median</th>
            </tr>
          </thead>
          <tbody>
            {contestants.map((c) => (
              <tr key={c}>
                <td>{NAMES[c]}</td>
                <td className="nabla-stats">
                  {runs
                    .filter((r) => r.name === c)
                    .map((r) => f(r.samplesPerSecond))
                    .join(' · ')}
                </td>
                <td className="nabla-stats" data-testid={`bb-median-${c}`}>
                  {done?.medians[c] !== undefined ? f(done.medians[c]) : '…'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {done && (
        <p className="nabla-stats" data-testid="bb-result">
          Nabla trains <strong data-testid="bb-ratio">{done.ratio.toFixed(2)}</strong>× as many samples per second as TensorFlow.js (wasm) in your
          browser on one thread
          {done.ratio2t !== undefined ? (
            <>
              {' '}
              and <strong data-testid="bb-ratio-2t">{done.ratio2t.toFixed(2)}</strong>× on two, with{' '}
              <span data-testid="bb-same-loss">{done.sameLoss ? 'the same loss after every run, bit for bit' : 'losses that differ between runs'}</span>
            </>
          ) : (
            <span data-testid="bb-no-threads"> (no second thread here: {done.nablaThreads.note ?? 'unavailable'})</span>
          )}
          . Nabla's GEMM kernel: <code data-testid="bb-variant">{done.variant ?? 'TypeScript (no WebAssembly SIMD)'}</code>; TensorFlow.js{' '}
          {done.tfVersion}, backend <code data-testid="bb-backend">{done.tfBackend}</code> with {done.tfThreads} thread{done.tfThreads === 1 ? '' : 's'}
          {done.crossOriginIsolated ? '' : ' (the page is not cross-origin isolated, so it has no threads)'}. Measured in {done.seconds.toFixed(1)} s.
        </p>
      )}
    </div>
  );
}
