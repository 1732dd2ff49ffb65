// The playground's panels: controls (each hideable by name), read-outs that follow the live
// store, the checkpointing panel. Plain props in, callbacks out; no worker in here.
import useBaseUrl from '@docusaurus/useBaseUrl';
import type { CheckpointStep, CheckpointStrategy, ScheduleSimulation } from '@nabla/core';
import { memo, type ReactNode, type RefObject, useEffect, useRef } from 'react';
import {
  activationChoices,
  type CheckpointChoice,
  checkpointChoices,
  type CsvChoice,
  classificationSets,
  type DataMessage,
  type DatasetName,
  datasetLabels,
  type FeatureName,
  featureLabels,
  featureNames,
  type HiddenActivation,
  MAX_LAYERS,
  MAX_UNIT_MAPS,
  MAX_UNITS,
  type OptimizerChoice,
  optimizerChoices,
  type PlaygroundConfig,
  type Regularization,
  regressionSets,
  type ScheduleChoice,
  scheduleChoices,
} from '../../workers/playground-protocol';
import { classColor } from './draw';
import { configSizes, stepThroughQuery, tooLarge } from './step-link';
import type { CsvFile, Live } from './Playground';
import { type Store, useStore } from './store';
import type { ControlName, ViewState } from './url';

type Styles = Record<string, string>;

interface Common {
  readonly config: PlaygroundConfig;
  readonly update: (patch: Partial<PlaygroundConfig>) => void;
  readonly shown: (name: ControlName) => boolean;
  readonly styles: Styles;
}

const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const REG_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];

/** One labelled control, left out when its name is hidden. */
function Ctl(props: { name: ControlName; label: string; shown: (n: ControlName) => boolean; styles: Styles; children: ReactNode }): ReactNode {
  if (!props.shown(props.name)) return null;
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child passed in.
    <label className={props.styles.ctl} data-control={props.name}>
      <span>{props.label}</span>
      {props.children}
    </label>
  );
}

function Select<T extends string | number>(props: { value: T; options: readonly T[]; onChange: (v: T) => void; testid: string; label?: (v: T) => string }): ReactNode {
  return (
    <select
      data-testid={props.testid}
      value={String(props.value)}
      onChange={(e) => {
        const v = props.options.find((o) => String(o) === e.target.value);
        if (v !== undefined) props.onChange(v);
      }}
    >
      {props.options.map((o) => (
        <option key={String(o)} value={String(o)}>
          {props.label ? props.label(o) : String(o)}
        </option>
      ))}
    </select>
  );
}

const withValue = <T,>(list: readonly T[], v: T): T[] => (list.includes(v) ? [...list] : [...list, v].sort((a, b) => Number(a) - Number(b)));

export function TopBar(props: Common & { running: boolean; live: Store<Live>; onPlay: () => void; onStep: () => void; onReset: () => void }): ReactNode {
  const { config, update, shown, styles } = props;
  const { snapshot } = useStore(props.live);
  const uniform = config.activations.every((a) => a === config.activations[0]);
  return (
    <div className={styles.bar}>
      {shown('playback') && (
        <div className={styles.row} data-control="playback">
          <button type="button" className="button button--sm button--secondary" onClick={props.onReset} data-testid="pg-reset" title="Reset the network">
            ⟲
          </button>
          <button type="button" className={`button button--primary ${styles.playButton}`} onClick={props.onPlay} data-testid="pg-play" aria-label={props.running ? 'Pause' : 'Play'}>
            {props.running ? '❚❚' : '▶'}
          </button>
          <button type="button" className="button button--sm button--secondary" onClick={props.onStep} data-testid="pg-step" title="Train on exactly one batch">
            step
          </button>
        </div>
      )}
      <div className={styles.ctl}>
        <span>Epoch</span>
        <span className={styles.counter} data-testid="pg-epoch">
          {String(snapshot?.epoch ?? 0).padStart(6, '0')}
        </span>
      </div>
      <div className={styles.ctl}>
        <span>Batches</span>
        <span className={styles.counter} data-testid="pg-steps">
          {snapshot?.steps ?? 0}
        </span>
      </div>
      <Ctl name="learningRate" label="Learning rate" shown={shown} styles={styles}>
        <Select testid="pg-learningRate" value={config.learningRate} options={withValue(LEARNING_RATES, config.learningRate)} onChange={(v) => update({ learningRate: v })} />
      </Ctl>
      <Ctl name="activation" label="Activation (all layers)" shown={shown} styles={styles}>
        <select
          data-testid="pg-activation"
          value={uniform ? (config.activations[0] ?? 'tanh') : 'mixed'}
          onChange={(e) => {
            const a = e.target.value as HiddenActivation;
            if ((activationChoices as readonly string[]).includes(a)) update({ activations: config.hidden.map(() => a) });
          }}
        >
          {!uniform && <option value="mixed">per layer</option>}
          {activationChoices.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </Ctl>
      <Ctl name="regularization" label="Regularisation" shown={shown} styles={styles}>
        <Select<Regularization> testid="pg-regularization" value={config.regularization} options={['none', 'l1', 'l2']} label={(v) => (v === 'none' ? 'none' : v.toUpperCase())} onChange={(v) => update({ regularization: v })} />
      </Ctl>
      <Ctl name="regRate" label="Regularisation rate" shown={shown} styles={styles}>
        <Select testid="pg-regRate" value={config.regRate} options={withValue(REG_RATES, config.regRate)} onChange={(v) => update({ regRate: v })} />
      </Ctl>
      <Ctl name="problem" label="Problem type" shown={shown} styles={styles}>
        <Select<'classification' | 'regression'>
          testid="pg-problem"
          value={config.problem}
          options={['classification', 'regression']}
          onChange={(v) => {
            if (v === config.problem) return;
            if (config.dataset === 'csv') update({ problem: v });
            else update({ problem: v, dataset: v === 'regression' ? 'plane' : 'circle' });
          }}
        />
      </Ctl>
    </div>
  );
}

export const DataColumn = memo(function DataColumn(
  props: Common & {
    dataInfo: { description: string; classes: number } | null;
    csvFile: CsvFile | null;
    csvChoice: CsvChoice | null;
    setCsvChoice: (c: CsvChoice) => void;
    onCsvFile: (f: File) => void;
  },
): ReactNode {
  const { config, update, shown, styles } = props;
  const sets = (config.problem === 'regression' ? regressionSets : classificationSets) as readonly DatasetName[];
  const options: DatasetName[] = props.csvFile ? [...sets, 'csv'] : [...sets];
  return (
    <div className={styles.column}>
      <h3>Data</h3>
      <Ctl name="dataset" label="Which data set?" shown={shown} styles={styles}>
        <Select<DatasetName>
          testid="pg-dataset"
          value={config.dataset}
          options={options.includes(config.dataset) ? options : [...options, config.dataset]}
          label={(d) => datasetLabels[d]}
          onChange={(v) =>
            // Images need a wider network and Adam to learn in seconds; the 2-D sets keep what the reader chose.
            update(v === 'mnist' && config.dataset !== 'mnist' ? { dataset: v, hidden: [32], activations: ['relu'], dropout: [0], optimizer: 'adam', learningRate: 0.003, batchSize: 20 } : { dataset: v })
          }
        />
      </Ctl>
      {config.dataset === 'blobs' && (
        <Ctl name="dataset" label={`Classes: ${config.classes}`} shown={shown} styles={styles}>
          <input data-testid="pg-classes" type="range" min={2} max={8} step={1} value={config.classes} onChange={(e) => update({ classes: Number(e.target.value) })} />
        </Ctl>
      )}
      <Ctl name="ratio" label={`Ratio of training to test data: ${config.trainRatio}%`} shown={shown} styles={styles}>
        <input data-testid="pg-ratio" type="range" min={10} max={90} step={10} value={config.trainRatio} onChange={(e) => update({ trainRatio: Number(e.target.value) })} />
      </Ctl>
      {config.dataset !== 'csv' && config.dataset !== 'mnist' && (
        <>
          <Ctl name="noise" label={`Noise: ${config.noise}`} shown={shown} styles={styles}>
            <input data-testid="pg-noise" type="range" min={0} max={50} step={5} value={config.noise} onChange={(e) => update({ noise: Number(e.target.value) })} />
          </Ctl>
          <Ctl name="samples" label={`Samples: ${config.samples}`} shown={shown} styles={styles}>
            <input data-testid="pg-samples" type="range" min={100} max={2000} step={100} value={config.samples} onChange={(e) => update({ samples: Number(e.target.value) })} />
          </Ctl>
        </>
      )}
      <Ctl name="batchSize" label={`Batch size: ${config.batchSize}`} shown={shown} styles={styles}>
        <input data-testid="pg-batchSize" type="range" min={1} max={100} step={1} value={config.batchSize} onChange={(e) => update({ batchSize: Number(e.target.value) })} />
      </Ctl>
      {shown('regenerate') && (
        <div className={styles.ctl} data-control="regenerate">
          <button type="button" className="button button--sm button--secondary" data-testid="pg-regenerate" onClick={() => update({ dataSeed: config.dataSeed + 1 })}>
            Regenerate
          </button>
        </div>
      )}
      <Ctl name="csv" label="Your data: a CSV file with a header row" shown={shown} styles={styles}>
        <input
          data-testid="pg-csv"
          type="file"
          accept=".csv,text/csv,text/plain"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) props.onCsvFile(f);
            e.target.value = '';
          }}
        />
      </Ctl>
      {props.csvFile && props.csvChoice && config.dataset === 'csv' && shown('csv') && (
        <div data-control="csv">
          {(['x1', 'x2', 'target'] as const).map((slot) => (
            // biome-ignore lint/a11y/noLabelWithoutControl: the control is the Select inside.
            <label key={slot} className={styles.ctl}>
              <span>{slot === 'target' ? (config.problem === 'regression' ? 'Target column' : 'Label column') : `Feature ${slot === 'x1' ? 'x₁' : 'x₂'} column`}</span>
              <Select testid={`pg-csv-${slot}`} value={props.csvChoice![slot]} options={props.csvFile!.header} onChange={(v) => props.setCsvChoice({ ...props.csvChoice!, [slot]: v })} />
            </label>
          ))}
        </div>
      )}
      <p className={styles.small} data-testid="pg-data-desc">
        {props.dataInfo ? props.dataInfo.description : 'The data set is generated in the browser when the page has loaded.'}
      </p>
    </div>
  );
});

export const NetworkColumn = memo(function NetworkColumn(
  props: Common & {
    setLayers: (hidden: number[], activations: HiddenActivation[], dropout: number[]) => void;
    diagramRef: RefObject<HTMLDivElement | null>;
    unitsRef: RefObject<HTMLDivElement | null>;
    sizes: readonly number[] | null;
    edgeEdit: { layer: number; row: number; col: number; value: number } | null;
    setEdgeEdit: (e: { layer: number; row: number; col: number; value: number } | null) => void;
    onSetWeight: (e: { layer: number; row: number; col: number; value: number }) => void;
  },
): ReactNode {
  const { config, update, shown, styles } = props;
  const { hidden, activations, dropout } = config;
  const toggle = (f: FeatureName): void => {
    const has = config.features.includes(f);
    if (has && config.features.length === 1) return;
    update({ features: featureNames.filter((g) => (g === f ? !has : config.features.includes(g))) });
  };
  const setLayer = (i: number, patch: { units?: number; activation?: HiddenActivation; dropout?: number }): void => {
    const h = [...hidden];
    const a = [...activations];
    const d = [...dropout];
    if (patch.units !== undefined) h[i] = Math.max(1, Math.min(MAX_UNITS, patch.units));
    if (patch.activation !== undefined) a[i] = patch.activation;
    if (patch.dropout !== undefined) d[i] = patch.dropout;
    props.setLayers(h, a, d);
  };
  const units = props.sizes ? props.sizes.slice(0, -1).reduce((s, n) => s + n, 0) : 0;
  let unit = 0;
  return (
    <div className={styles.column}>
      <h3>Features</h3>
      {config.dataset === 'mnist' && <p className={styles.small}>The 784 pixel intensities of each 28 x 28 image are the inputs; the diagram draws the first test image.</p>}
      {shown('features') && config.dataset !== 'mnist' && (
        <div className={styles.features} data-control="features">
          {featureNames.map((f) => (
            <label key={f} className={styles.feature}>
              <input type="checkbox" data-testid={`pg-feature-${f}`} checked={config.features.includes(f)} onChange={() => toggle(f)} />
              {featureLabels[f]}
            </label>
          ))}
        </div>
      )}
      <h3 style={{ marginTop: '0.6rem' }}>
        {hidden.length} hidden layer{hidden.length === 1 ? '' : 's'}
      </h3>
      {shown('layers') && (
        <div className={styles.row} data-control="layers" style={{ marginBottom: '0.4rem' }}>
          <button
            type="button"
            className="button button--sm button--secondary"
            data-testid="pg-add-layer"
            disabled={hidden.length >= MAX_LAYERS}
            onClick={() => props.setLayers([...hidden, hidden[hidden.length - 1] ?? 2], [...activations, activations[activations.length - 1] ?? 'tanh'], [...dropout, 0])}
          >
            + layer
          </button>
          <button
            type="button"
            className="button button--sm button--secondary"
            data-testid="pg-remove-layer"
            disabled={hidden.length === 0}
            onClick={() => props.setLayers(hidden.slice(0, -1), activations.slice(0, -1), dropout.slice(0, -1))}
          >
            − layer
          </button>
        </div>
      )}
      <div className={styles.layers}>
        {hidden.map((n, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: layers are identified by their position.
          <div key={i} className={styles.layer} data-testid={`pg-layer-${i}`}>
            <span className={styles.small}>
              layer {i + 1}: {n} unit{n === 1 ? '' : 's'}
            </span>
            {shown('layers') && (
              <div className={styles.row} data-control="layers">
                <button type="button" className="button button--sm button--outline button--secondary" data-testid={`pg-units-minus-${i}`} onClick={() => setLayer(i, { units: n - 1 })} disabled={n <= 1}>
                  −
                </button>
                <button type="button" className="button button--sm button--outline button--secondary" data-testid={`pg-units-plus-${i}`} onClick={() => setLayer(i, { units: n + 1 })} disabled={n >= MAX_UNITS}>
                  +
                </button>
              </div>
            )}
            {shown('activation') && (
              <select data-control="activation" data-testid={`pg-activation-${i}`} value={activations[i]} onChange={(e) => setLayer(i, { activation: e.target.value as HiddenActivation })} aria-label={`Activation of layer ${i + 1}`}>
                {activationChoices.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            )}
            {shown('dropout') && (
              <label className={styles.small} data-control="dropout">
                dropout{' '}
                <input type="number" data-testid={`pg-dropout-${i}`} min={0} max={0.9} step={0.1} value={dropout[i] ?? 0} onChange={(e) => setLayer(i, { dropout: Math.max(0, Math.min(0.9, Number(e.target.value) || 0)) })} style={{ width: '3.5rem' }} />
              </label>
            )}
          </div>
        ))}
      </div>
      <div ref={props.diagramRef} className={styles.diagram} data-figure="network" title="Hover an edge to read its weight; click it to edit the weight" />
      {props.edgeEdit && <EdgeEditor edit={props.edgeEdit} styles={styles} onCancel={() => props.setEdgeEdit(null)} onSet={props.onSetWeight} />}
      {config.dataset === 'mnist' ? null : props.sizes && units <= MAX_UNIT_MAPS ? (
        <div className={styles.units} ref={props.unitsRef} data-figure="unit-maps">
          {props.sizes.slice(0, -1).map((n, k) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: one column per layer.
            <div key={k} className={styles.unitColumn}>
              <span>{k === 0 ? 'inputs' : `layer ${k}`}</span>
              {Array.from({ length: n }, (_, j) => {
                const u = unit++;
                return <canvas key={`${u}`} className={styles.unit} data-unit={u} width={16} height={16} title={k === 0 ? featureLabels[config.features[j]!] : `layer ${k}, unit ${j + 1}`} />;
              })}
            </div>
          ))}
        </div>
      ) : (
        <p className={styles.small}>Per-unit maps are drawn for networks of up to {MAX_UNIT_MAPS} units.</p>
      )}
      <p className={styles.small} hidden={config.dataset === 'mnist' || units > MAX_UNIT_MAPS}>
        Each small square is one unit over the plane: the input features, then what every hidden unit has learnt to respond to (orange positive, blue negative).
      </p>
    </div>
  );
});

function EdgeEditor(props: {
  edit: { layer: number; row: number; col: number; value: number };
  styles: Styles;
  onCancel: () => void;
  onSet: (e: { layer: number; row: number; col: number; value: number }) => void;
}): ReactNode {
  const input = useRef<HTMLInputElement>(null);
  const { layer, row, col, value } = props.edit;
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  const set = (): void => {
    const v = Number(input.current?.value);
    if (Number.isFinite(v)) props.onSet({ layer, row, col, value: v });
  };
  return (
    <div className={props.styles.edgeEditor} data-testid="pg-edge-editor">
      <span>
        W<sup>{layer}</sup>[{row + 1}][{col + 1}] =
      </span>
      <input
        ref={input}
        type="number"
        step={0.1}
        defaultValue={value.toFixed(3)}
        style={{ width: '6rem' }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') set();
          if (e.key === 'Escape') props.onCancel();
        }}
      />
      <button type="button" className="button button--sm button--primary" onClick={set}>
        set
      </button>
      <button type="button" className="button button--sm button--secondary" onClick={props.onCancel}>
        cancel
      </button>
    </div>
  );
}

export const OutputColumn = memo(function OutputColumn(
  props: Common & {
    live: Store<Live>;
    view: ViewState;
    setView: (v: ViewState) => void;
    boundaryRef: RefObject<HTMLCanvasElement | null>;
    digitsRef: RefObject<HTMLCanvasElement | null>;
    curvesRef: RefObject<HTMLCanvasElement | null>;
  },
): ReactNode {
  const { config, shown, styles, view } = props;
  const { snapshot, stopped } = useStore(props.live);
  const m = snapshot?.metrics;
  return (
    <div className={styles.column}>
      <h3>Output</h3>
      <div className={styles.readout}>
        Test loss{' '}
        <strong data-testid="pg-loss-test" data-value={m ? String(m.testLoss) : ''}>
          {m ? m.testLoss.toFixed(3) : '–'}
        </strong>
        <br />
        Training loss{' '}
        <strong data-testid="pg-loss-train" data-value={m ? String(m.trainLoss) : ''}>
          {m ? m.trainLoss.toFixed(3) : '–'}
        </strong>
      </div>
      <canvas ref={props.curvesRef} className={styles.curves} data-figure="loss-curves" aria-label="Training loss (solid) and test loss (dashed) against batches" />
      <p className={styles.small}>Training loss solid, test loss dashed, against the number of batches trained.</p>
      {stopped && (
        <div className={styles.notice} role="status" data-testid="pg-stopped">
          {stopped}
        </div>
      )}
      {config.dataset === 'mnist' ? (
        <canvas ref={props.digitsRef} className={styles.boundary} data-figure="digits" aria-label="Test images with the digit the network predicts for each" />
      ) : (
        <canvas ref={props.boundaryRef} className={styles.boundary} data-figure="boundary" aria-label="The network's output over the plane, with the data points" />
      )}
      <div className={styles.row}>
        {shown('showTest') && (
          <label className={styles.feature} data-control="showTest">
            <input type="checkbox" data-testid="pg-showTest" checked={view.showTest} onChange={(e) => props.setView({ ...view, showTest: e.target.checked })} />
            Show test data
          </label>
        )}
        {shown('discretize') && (
          <label className={styles.feature} data-control="discretize">
            <input type="checkbox" data-testid="pg-discretize" checked={view.discretize} onChange={(e) => props.setView({ ...view, discretize: e.target.checked })} />
            Discretise output
          </label>
        )}
      </div>
      <p className={styles.small} hidden={config.dataset === 'mnist'}>
        Colours show the class the network predicts at each point (paler where it is unsure); for regression, its output from blue (−1) to orange (+1). Training points have a white rim, test
        points a black one. When paused or in slow motion, rings mark the batch trained last.
      </p>
    </div>
  );
});

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
