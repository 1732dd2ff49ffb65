// The playground's lower panels: metrics and stop conditions, checkpointing live, and training
// (optimiser, schedule, seed, heatmap, slow motion, step-through link, model export).
import useBaseUrl from '@docusaurus/useBaseUrl';
import type { CheckpointStep, CheckpointStrategy, ScheduleSimulation } from '@nabla/core';
import { memo, type ReactNode, type RefObject, useEffect, useRef } from 'react';
import {
  type CheckpointChoice,
  checkpointChoices,
  type DataMessage,
  type OptimizerChoice,
  optimizerChoices,
  type ScheduleChoice,
  scheduleChoices,
} from '../../workers/playground-protocol';
import { classColor } from './draw';
import { configSizes, stepThroughQuery, tooLarge } from './step-link';
import type { Live } from './Playground';
import { type Store, useStore } from './store';
import { Ctl, type Common, Select } from './controls';

export const MetricsPanel = memo(function MetricsPanel(props: Common & { live: Store<Live>; dataInfo: { classes: number; classNames?: readonly string[] } | null }): ReactNode {
  const { config, update, shown, styles } = props;
  const { snapshot } = useStore(props.live);
  const m = snapshot?.metrics;
  const k = props.dataInfo?.classes ?? 0;
  const names = props.dataInfo?.classNames ?? Array.from({ length: k }, (_, i) => `class ${i}`);
  return (
    <div className={styles.panel} data-panel="metrics">
      <h3>Metrics and stop conditions</h3>
      {m && k > 0 && (
        <>
          <div className={styles.readout}>
            Accuracy: training <strong data-testid="pg-acc-train">{((m.trainAccuracy ?? 0) * 100).toFixed(1)}%</strong>, test{' '}
            <strong data-testid="pg-acc-test">{((m.testAccuracy ?? 0) * 100).toFixed(1)}%</strong>
          </div>
          {m.confusion && <p className={styles.small} style={{ margin: '0.4rem 0 0.2rem' }}>Confusion matrix on the test set (rows: true class, columns: predicted)</p>}
          {m.confusion && (
            <table className={styles.confusion} data-testid="pg-confusion">
              <tbody>
                <tr>
                  <th />
                  {names.map((n, j) => (
                    <th key={n} style={{ color: classColor(j) }}>
                      {n}
                    </th>
                  ))}
                </tr>
                {names.map((n, i) => (
                  <tr key={n}>
                    <th style={{ color: classColor(i) }}>{n}</th>
                    {names.map((c, j) => (
                      <td key={c} style={i === j ? { fontWeight: 700 } : undefined}>
                        {m.confusion![i * k + j]}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {m && k === 0 && (
        <div className={styles.readout}>
          Test R² <strong data-testid="pg-r2">{(m.r2 ?? 0).toFixed(4)}</strong> · RMSE <strong data-testid="pg-rmse">{(m.rmse ?? 0).toFixed(4)}</strong>
        </div>
      )}
      <Ctl name="stop" label="Stop when the training loss reaches (0: never)" shown={shown} styles={styles}>
        <input type="number" data-testid="pg-targetLoss" min={0} step={0.01} value={config.targetLoss} onChange={(e) => update({ targetLoss: Math.max(0, Number(e.target.value) || 0) })} />
      </Ctl>
      <Ctl name="stop" label="Stop after epochs (0: never)" shown={shown} styles={styles}>
        <input type="number" data-testid="pg-maxEpochs" min={0} step={10} value={config.maxEpochs} onChange={(e) => update({ maxEpochs: Math.max(0, Math.round(Number(e.target.value) || 0)) })} />
      </Ctl>
      <p className={styles.small} data-testid="pg-sps">
        {snapshot && snapshot.samplesPerSecond > 0 ? `${Math.round(snapshot.samplesPerSecond).toLocaleString('en')} samples/s in the worker` : 'paused'} · learning rate now{' '}
        {snapshot ? Number(snapshot.learningRate.toPrecision(3)) : config.learningRate}
      </p>
    </div>
  );
});

export const CheckpointPanel = memo(function CheckpointPanel(
  props: Common & {
    live: Store<Live>;
    ckpt: { L: number; strategy: CheckpointStrategy; steps: CheckpointStep[]; simulation: ScheduleSimulation } | null;
  },
): ReactNode {
  const { config, update, shown, styles, ckpt } = props;
  const explained = useBaseUrl('/docs/checkpointing');
  const { snapshot } = useStore(props.live);
  const report = snapshot?.checkpoint;
  const timelineRef = useRef<HTMLDivElement>(null);
  const handleRef = useRef<{ update(d: { steps: CheckpointStep[]; simulation: ScheduleSimulation }): void; destroy(): void } | null>(null);
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const viz = await import('@nabla/viz');
      if (cancelled || !timelineRef.current) return;
      handleRef.current = viz.checkpointTimeline(timelineRef.current, { rowHeight: 12, memoryHeight: 60, label: 'Checkpoint timeline of the current network' });
      if (ckptRef.current) handleRef.current.update(ckptRef.current);
    })();
    return () => {
      cancelled = true;
      handleRef.current?.destroy();
      handleRef.current = null;
    };
  }, []);
  const ckptRef = useRef(ckpt);
  ckptRef.current = ckpt;
  useEffect(() => {
    if (ckpt && handleRef.current) handleRef.current.update({ steps: ckpt.steps, simulation: ckpt.simulation });
  }, [ckpt]);
  const predicted = ckpt && report ? ckpt.simulation.peakUnits * report.batch * 4 : null;
  const storeAll = ckpt && report ? ckpt.simulation.widths!.reduce((s, w) => s + w, 0) * report.batch * 4 : null;
  return (
    <div className={styles.panel} data-panel="checkpoint">
      <h3>Checkpointing, live</h3>
      <Ctl name="checkpoint" label="Backward pass keeps" shown={shown} styles={styles}>
        <Select<CheckpointChoice>
          testid="pg-checkpoint"
          value={config.checkpoint}
          options={checkpointChoices}
          label={(c) => ({ none: 'every activation (store all)', every: 'every k-th activation', sqrt: '√L segments', budget: 'a budget of s checkpoints (revolve)' })[c]}
          onChange={(v) => update({ checkpoint: v })}
        />
      </Ctl>
      {(config.checkpoint === 'every' || config.checkpoint === 'budget') && (
        <Ctl name="checkpoint" label={config.checkpoint === 'every' ? 'k' : 's'} shown={shown} styles={styles}>
          <input type="number" data-testid="pg-checkpointK" min={1} max={Math.max(1, ckpt?.L ?? 1)} value={config.checkpointK} onChange={(e) => update({ checkpointK: Math.max(1, Math.round(Number(e.target.value) || 1)) })} />
        </Ctl>
      )}
      {report && ckpt ? (
        <div className={styles.readout}>
          Peak activation memory, measured by the engine on a batch of {report.batch}:{' '}
          <strong data-testid="pg-ckpt-bytes">{report.peakActivationBytes}</strong> bytes
          <div className={styles.meter} title="Peak activation bytes relative to storing every activation">
            <div style={{ width: `${storeAll ? Math.min(100, (100 * report.peakActivationBytes) / storeAll) : 0}%` }} />
          </div>
          <span className={styles.small}>
            simulateSchedule predicts <span data-testid="pg-ckpt-predicted">{predicted}</span> bytes; storing all: {storeAll} bytes
          </span>
          <br />
          Layer forwards per gradient: <strong data-testid="pg-ckpt-forwards">{report.forwardEvaluations}</strong> (plain backprop: {ckpt.L})
          <br />
          Largest |gradient − store-all gradient|: <strong data-testid="pg-ckpt-diff">{report.maxGradDiff}</strong>
        </div>
      ) : (
        <p className={styles.small}>The measurements appear when the network is built.</p>
      )}
      <div ref={timelineRef} className={styles.timeline} data-figure="checkpoint-timeline" />
      <p className={styles.small}>
        The checkpoint timeline of this network's backward pass: which activations are alive, stored or recomputed at each step. The strategy changes memory and forward count, never the
        gradient, so the loss curve goes on unchanged. <a href={explained}>Checkpointing explained</a>.
      </p>
    </div>
  );
});

export const ExtrasPanel = memo(function ExtrasPanel(
  props: Common & { variant: string; onExport: () => void; onModelFile: (f: File) => void; live: Store<Live>; dataRef: RefObject<DataMessage | null> },
): ReactNode {
  const { config, update, shown, styles } = props;
  const notes = useBaseUrl('/docs/notes/step-through');
  // The link's query is built when the reader reaches for it (pointer down, focus, click), from
  // the last snapshot and data the page holds, so keeping it current costs training nothing.
  const point = (e: { currentTarget: HTMLAnchorElement }): void => {
    e.currentTarget.href = `${notes}?${stepThroughQuery(config, props.dataRef.current, props.live.get().snapshot)}`;
  };
  const large = tooLarge(configSizes(config, props.dataRef.current));
  return (
    <div className={styles.panel} data-panel="training">
      <h3>Training</h3>
      <Ctl name="optimizer" label="Optimiser" shown={shown} styles={styles}>
        <Select<OptimizerChoice> testid="pg-optimizer" value={config.optimizer} options={optimizerChoices} onChange={(v) => update({ optimizer: v })} />
      </Ctl>
      <Ctl name="schedule" label="Learning-rate schedule" shown={shown} styles={styles}>
        <Select<ScheduleChoice>
          testid="pg-schedule"
          value={config.schedule}
          options={scheduleChoices}
          label={(s) => ({ constant: 'constant', step: 'halve every 50 epochs', exponential: 'exponential decay (0.9995 per batch)', cosine: 'cosine over 500 epochs' })[s]}
          onChange={(v) => update({ schedule: v })}
        />
      </Ctl>
      <Ctl name="seed" label="Seed (initialisation, shuffling, dropout)" shown={shown} styles={styles}>
        <input type="number" data-testid="pg-seed" min={0} step={1} value={config.seed} onChange={(e) => update({ seed: Math.max(0, Math.round(Number(e.target.value) || 0)) })} />
      </Ctl>
      <Ctl name="resolution" label={`Heatmap resolution: ${config.resolution === 0 ? 'off' : `${config.resolution} x ${config.resolution}`}`} shown={shown} styles={styles}>
        <input type="range" data-testid="pg-resolution" min={0} max={120} step={10} value={config.resolution} onChange={(e) => update({ resolution: Number(e.target.value) })} />
      </Ctl>
      <Ctl name="slowMotion" label={`Slow motion: ${config.slowMotion === 0 ? 'off (full speed)' : `${config.slowMotion} batches/s`}`} shown={shown} styles={styles}>
        <input type="range" data-testid="pg-slowMotion" min={0} max={20} step={1} value={config.slowMotion} onChange={(e) => update({ slowMotion: Number(e.target.value) })} />
      </Ctl>
      <p className={styles.small}>
        Step and slow motion train one batch at a time; the notes{' '}
        <a href={notes} data-testid="pg-step-through" onPointerDown={point} onFocus={point} onClick={point}>
          step through one batch of this network
        </a>
        , layer by layer, with its current weights and three of its training samples
        {large ? ` (but ${large}: the notes show their own 2-4-3-2 network instead)` : config.dropout.some((p) => p > 0) ? ' (without dropout)' : ''}.
      </p>
      {shown('model') && (
        <div data-control="model">
          <div className={styles.row}>
            <button type="button" className="button button--sm button--secondary" data-testid="pg-export" onClick={props.onExport}>
              Export model JSON
            </button>
            <label className="button button--sm button--secondary">
              Load model JSON
              <input
                type="file"
                data-testid="pg-model-file"
                accept=".json,application/json"
                style={{ display: 'none' }}
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  if (f) props.onModelFile(f);
                  e.target.value = '';
                }}
              />
            </label>
          </div>
        </div>
      )}
      <p className={styles.small}>
        GEMM kernel variant: <strong data-testid="pg-variant">{props.variant || '…'}</strong>. The same link gives the same run bit for bit on any machine with the same variant (a fused
        multiply-add rounds differently); the exported model records it.
      </p>
    </div>
  );
});
