import { type CheckpointStrategy, checkpointSchedule, simulateSchedule } from '@nabla/core';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';

type Kind = 'none' | 'every' | 'sqrt' | 'budget';

function strategyOf(kind: Kind, k: number, s: number): CheckpointStrategy {
  if (kind === 'every') return { every: k };
  if (kind === 'budget') return { budget: s };
  return kind;
}

/**
 * The checkpoint timeline of @nabla/viz for a depth L and a strategy chosen by the reader; the
 * forward count and the peak come from @nabla/core's simulateSchedule on the schedule core builds.
 */
export default function CheckpointExplorer(): ReactNode {
  const [layers, setLayers] = useState(12);
  const [kind, setKind] = useState<Kind>('sqrt');
  const [k, setK] = useState(3);
  const [s, setS] = useState(3);
  const ref = useRef<HTMLDivElement>(null);
  const handle = useRef<{ update(d: unknown): void; destroy(): void } | null>(null);
  const kk = Math.min(k, layers);
  const ss = Math.min(s, layers);
  const result = useMemo(() => {
    const strategy = strategyOf(kind, kk, ss);
    try {
      const steps = checkpointSchedule(layers, strategy);
      return { steps, sim: simulateSchedule(layers, steps, undefined, { cells: true }), error: null };
    } catch (e) {
      return { steps: [], sim: null, error: (e as Error).message };
    }
  }, [layers, kind, kk, ss]);

  const latest = useRef(result);
  latest.current = result;

  useEffect(() => {
    let cancelled = false;
    import('@nabla/viz').then((viz) => {
      if (cancelled || !ref.current) return;
      handle.current = viz.checkpointTimeline(ref.current, { rowHeight: 12, label: 'Checkpoint timeline' });
      const r = latest.current;
      if (r.sim) handle.current.update({ steps: r.steps, simulation: r.sim });
    });
    return () => {
      cancelled = true;
      handle.current?.destroy();
      handle.current = null;
    };
  }, []);

  useEffect(() => {
    if (result.sim) handle.current?.update({ steps: result.steps, simulation: result.sim });
  });

  return (
    <figure className="nabla-figure" data-figure="checkpoint-timeline">
      <div className="nabla-controls">
        <label>
          depth L = <strong data-testid="ckpt-depth">{layers}</strong>{' '}
          <input type="range" min={2} max={64} value={layers} aria-label="depth L" data-testid="ckpt-slider" onChange={(e) => setLayers(Number(e.target.value))} />
        </label>
        <label>
          strategy{' '}
          <select value={kind} aria-label="strategy" data-testid="ckpt-strategy" onChange={(e) => setKind(e.target.value as Kind)}>
            <option value="none">none (keep every activation)</option>
            <option value="every">every k</option>
            <option value="sqrt">sqrt (every ⌈√L⌉)</option>
            <option value="budget">budget s (binomial)</option>
          </select>
        </label>
        {kind === 'every' && (
          <label>
            k = <input type="number" min={1} max={layers} value={kk} aria-label="k" data-testid="ckpt-k" onChange={(e) => setK(Math.max(1, Number(e.target.value)))} style={{ width: '4em' }} />
          </label>
        )}
        {kind === 'budget' && (
          <label>
            s = <input type="number" min={1} max={layers} value={ss} aria-label="s" data-testid="ckpt-s" onChange={(e) => setS(Math.max(1, Number(e.target.value)))} style={{ width: '4em' }} />
          </label>
        )}
      </div>
      <p className="nabla-stats">
        {result.sim ? (
          <>
            layer forwards: <strong data-testid="ckpt-forwards">{result.sim.forwardEvaluations}</strong> ({result.sim.recomputations} recomputed) · peak live
            activations: <strong data-testid="ckpt-peak">{result.sim.peakActivations}</strong> of {layers + 1} · peak checkpoints {result.sim.peakCheckpoints} ·{' '}
            {result.steps.length} steps
          </>
        ) : (
          <span className="nabla-error">{result.error}</span>
        )}
      </p>
      <div ref={ref} />
      <figcaption>
        <strong>Checkpoint timeline.</strong> Time runs left to right through every step of one gradient computation; each row is one activation
        g<sup>0</sup>…g<sup>L</sup>. Cells show when an activation is computed, recomputed, kept as a checkpoint, read by the backward pass or freed, and
        the area beneath is the number of live activations. The counts above come from <code>simulateSchedule</code> in @nabla/core on the schedule{' '}
        <code>checkpointSchedule(L, strategy)</code> builds; play or step through it with the buttons or the arrow keys.
      </figcaption>
    </figure>
  );
}
