import useBaseUrl from '@docusaurus/useBaseUrl';
import { type ReactNode, useEffect, useRef, useState } from 'react';

interface EpochMessage {
  type: 'epoch';
  epoch: number;
  loss: number;
  accuracy?: number;
  seconds: number;
  grid: { x: [number, number]; y: [number, number]; rows: number; cols: number; outputs: number[][] };
}

type WorkerMessage = { type: 'data'; points: number[][]; labels: number[] } | EpochMessage | { type: 'done' };

const EPOCHS = 400;

/**
 * A 2-16-16-2 relu network learning the two spirals. Training runs in a Web Worker (a static file
 * bundled by esbuild, see scripts/build-worker.mjs); the page draws the decision boundary and the
 * loss curve with @nabla/viz after every epoch. The server-rendered HTML carries the captions.
 */
export default function SpiralsDemo(): ReactNode {
  const boundaryRef = useRef<HTMLDivElement>(null);
  const curvesRef = useRef<HTMLDivElement>(null);
  const workerUrl = useBaseUrl('/workers/spirals.js');
  const [status, setStatus] = useState<{ epoch: number; loss: number; accuracy?: number; done: boolean } | null>(null);
  const [run, setRun] = useState(1);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    let worker: Worker | null = null;
    let cleanup = (): void => {};
    (async () => {
      const viz = await import('@nabla/viz');
      if (cancelled || !boundaryRef.current || !curvesRef.current) return;
      const boundary = viz.decisionBoundary(boundaryRef.current, { height: 300, label: 'Decision boundary of the network on the two spirals' });
      const curves = viz.trainingCurves(curvesRef.current, { height: 300, logScale: true, label: 'Training loss per epoch' });
      cleanup = () => {
        boundary.destroy();
        curves.destroy();
      };
      let points: number[][] = [];
      let labels: number[] = [];
      const epochs: { epoch: number; loss: number; accuracy?: number }[] = [];
      let pending: EpochMessage | null = null;
      let frame = 0;
      const draw = (): void => {
        frame = 0;
        if (!pending || cancelled) return;
        const m = pending;
        pending = null;
        boundary.update({ points, labels, grid: m.grid });
        curves.update(epochs);
        setStatus({ epoch: m.epoch, loss: m.loss, accuracy: m.accuracy, done: false });
      };
      worker = new Worker(workerUrl, { type: 'module', name: 'nabla-spirals' });
      worker.onerror = (e) => setError(`the training worker failed: ${e.message}`);
      worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
        const m = event.data;
        if (m.type === 'data') {
          points = m.points;
          labels = m.labels;
        } else if (m.type === 'epoch') {
          epochs.push({ epoch: m.epoch, loss: m.loss, accuracy: m.accuracy });
          pending = m;
          if (!frame) frame = requestAnimationFrame(draw);
        } else {
          setStatus((s) => (s ? { ...s, done: true } : s));
        }
      };
      worker.postMessage({ type: 'start', seed: run, epochs: EPOCHS, resolution: 48 });
    })().catch((e: unknown) => setError(String(e)));
    return () => {
      cancelled = true;
      worker?.terminate();
      cleanup();
    };
  }, [run, workerUrl]);

  return (
    <div className="nabla-demo">
      <div className="nabla-demo-figures">
        <figure className="nabla-figure" data-figure="boundary">
          <div ref={boundaryRef} className="nabla-demo-view" />
          <figcaption>
            <strong>Decision boundary.</strong> The 300 points of the two interleaved spirals (two classes) over the plane coloured by the class the
            network predicts there; the colour fades where it is unsure. It starts as a straight cut and bends around the arms as training goes on.
          </figcaption>
        </figure>
        <figure className="nabla-figure" data-figure="loss">
          <div ref={curvesRef} className="nabla-demo-view" />
          <figcaption>
            <strong>Loss curve.</strong> Mean cross-entropy of each epoch (log scale) and training accuracy, for a 2-16-16-2 relu network trained
            with Adam (learning rate 0.02, batches of 20) in a Web Worker, so this page never waits for it.
          </figcaption>
        </figure>
      </div>
      <p className="nabla-stats" aria-live="polite">
        {error ? (
          <span className="nabla-error">{error}</span>
        ) : status ? (
          <>
            epoch <span data-testid="demo-epoch">{status.epoch}</span> / {EPOCHS} · loss <span data-testid="demo-loss">{status.loss.toFixed(4)}</span>
            {status.accuracy !== undefined && <> · accuracy {(status.accuracy * 100).toFixed(1)}%</>}
            {status.done && ' · done'}
          </>
        ) : (
          <>Training starts when the page has loaded (it needs JavaScript).</>
        )}{' '}
        <button type="button" className="button button--sm button--secondary" onClick={() => setRun((r) => r + 1)}>
          New seed, train again
        </button>
      </p>
    </div>
  );
}
