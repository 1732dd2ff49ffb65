// Over 400 lines: one component's state and its wiring to the worker, the URL and the canvases (the panels live in their own files); the worker-message handling is the piece to lift into a hook next.
// Nabla's playground as one React component: the controls of TensorFlow Playground and Nabla's
// extras, a Web Worker that trains, and canvases that draw what it posts. Usable from any page:
// <Playground initial={{ dataset: 'spiral', hidden: [8, 8] }} hide={['csv']} />; the /playground
// route mounts it with syncUrl so the address bar always holds the whole state.
import useBaseUrl from '@docusaurus/useBaseUrl';
import { checkpointSchedule, parseCsv, parseModelJSON, simulateSchedule } from '@nabla/core';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { strategyOf } from '../../workers/playground-engine';
import {
  type CsvChoice,
  type DataMessage,
  defaultConfig,
  type FromWorker,
  type HiddenActivation,
  type PlaygroundConfig,
  type SnapshotMessage,
  type ToWorker,
} from '../../workers/playground-protocol';
import { drawBoundary, drawDigits, drawLossCurves, drawUnitMap } from './draw';
import { TopBar } from './controls';
import { DataColumn } from './data-column';
import { NetworkColumn } from './network-column';
import { OutputColumn } from './output-column';
import { CheckpointPanel, ExtrasPanel, MetricsPanel } from './panels';
import { createStore } from './store';
import styles from './playground.module.css';
import { type ControlName, defaultView, formatUrlState, parseUrlState, type ViewState } from './url';

/** Props of the embeddable playground; every one is optional. */
export interface PlaygroundProps {
  /** Initial configuration, merged over the defaults (TensorFlow Playground's circle, 4-2 tanh network). */
  readonly initial?: Partial<PlaygroundConfig>;
  /** Initial drawing toggles (test data, discretised output). */
  readonly initialView?: Partial<ViewState>;
  /** Controls to leave out (the names `?hide=` takes). */
  readonly hide?: readonly ControlName[];
  /** Read the state from the page's query string at start and keep it there. Default false. */
  readonly syncUrl?: boolean;
  /** Start training at once. Default false. */
  readonly autoplay?: boolean;
}

/** What the read-outs show, updated every frame through a store (not React state of the whole page). */
export interface Live {
  readonly snapshot: SnapshotMessage | null;
  readonly stopped: string | null;
}

/** A loaded CSV file before its columns are chosen. */
export interface CsvFile {
  readonly name: string;
  readonly text: string;
  readonly header: readonly string[];
  readonly rows: number;
}

const HISTORY_MAX = 1500;

/** The configuration keys that a running network survives; any other change rebuilds the run. */
const LIVE_KEYS = ['checkpoint', 'checkpointK', 'resolution', 'slowMotion', 'targetLoss', 'maxEpochs'] as const;

function runKey(c: PlaygroundConfig): string {
  const copy: Record<string, unknown> = { ...c };
  for (const k of LIVE_KEYS) delete copy[k];
  return JSON.stringify(copy);
}

function csvKeyOf(c: CsvChoice | null): string {
  return c ? `|${c.name}|${c.x1}|${c.x2}|${c.target}|${c.text.length}` : '';
}

export default function Playground(props: PlaygroundProps): ReactNode {
  const workerUrl = useBaseUrl('/workers/playground.js');
  const mnistUrl = new URL(useBaseUrl('/workers/playground-mnist.bin'), typeof window === 'undefined' ? 'http://localhost/' : window.location.href).href;
  // The props and the URL are read once, when the playground mounts (they are its initial state).
  const [initialState] = useState(() => {
    const base = { ...defaultConfig, ...props.initial };
    const view = { ...defaultView, ...props.initialView };
    const fromUrl = props.syncUrl && typeof window !== 'undefined' ? parseUrlState(window.location.search, base, view) : null;
    const hide = new Set<ControlName>([...(props.hide ?? []), ...(fromUrl?.hide ?? [])]);
    const config = fromUrl?.config ?? base;
    // A link cannot carry a CSV file: it opens on the circle.
    return { config: config.dataset === 'csv' ? { ...config, dataset: 'circle' as const, problem: 'classification' as const } : config, view: fromUrl?.view ?? view, hide };
  });
  const [config, setConfig] = useState<PlaygroundConfig>(initialState.config);
  const [view, setView] = useState<ViewState>(initialState.view);
  const hide = initialState.hide;
  const [running, setRunning] = useState(false);
  const [variant, setVariant] = useState<string>('');
  const [error, setError] = useState<string | null>(null);
  const [dataInfo, setDataInfo] = useState<{ description: string; classes: number; classNames?: readonly string[]; sizes: readonly number[] } | null>(null);
  const [csvFile, setCsvFile] = useState<CsvFile | null>(null);
  const [csvChoice, setCsvChoice] = useState<CsvChoice | null>(null);
  const live = useMemo(() => createStore<Live>({ snapshot: null, stopped: null }), []);

  const workerRef = useRef<Worker | null>(null);
  const boundaryRef = useRef<HTMLCanvasElement>(null);
  const digitsRef = useRef<HTMLCanvasElement>(null);
  const curvesRef = useRef<HTMLCanvasElement>(null);
  const unitsRef = useRef<HTMLDivElement>(null);
  const dataRef = useRef<DataMessage | null>(null);
  const historyRef = useRef<{ steps: number[]; train: number[]; test: number[] }>({ steps: [], train: [], test: [] });
  const latestRef = useRef<SnapshotMessage | null>(null);
  // The last maps the worker sent: it leaves them out of some snapshots to keep training fast.
  const gridRef = useRef<{ values: Float32Array; side: number; outputs: number } | null>(null);
  const unitMapsRef = useRef<Float32Array | null>(null);
  const viewRef = useRef(view);
  viewRef.current = view;
  const pendingModel = useRef<string | undefined>(undefined);
  // What the worker holds: the configuration and CSV file of its last data set.
  const goodConfig = useRef<PlaygroundConfig>(config);
  const goodCsv = useRef<{ file: CsvFile | null; choice: CsvChoice | null }>({ file: null, choice: null });
  const csvRef = useRef(goodCsv.current);
  csvRef.current = { file: csvFile, choice: csvChoice };
  const skipRun = useRef<string | null>(null);
  const configRef = useRef(config);
  configRef.current = config;
  const diagramRef = useRef<{ update(m: SnapshotMessage): void } | null>(null);

  const send = useCallback((m: ToWorker) => workerRef.current?.postMessage(m), []);

  const drawnRef = useRef<{ data: unknown; grid: unknown; maps: unknown; predictions: unknown; batch: unknown }>({ data: null, grid: null, maps: null, predictions: null, batch: null });
  const redraw = useCallback((force = false) => {
    const m = latestRef.current;
    const d = dataRef.current;
    const grid = m && m.gridSide > 0 ? gridRef.current : null;
    const maps = unitMapsRef.current;
    // Each canvas is drawn again only when what it shows has changed.
    const last = drawnRef.current;
    const shownGrid = grid && grid.side === m?.gridSide ? grid : null;
    if (d?.images && digitsRef.current) {
      if (force || d !== last.data || m?.predictions !== last.predictions) drawDigits(digitsRef.current, d.images, d.imageSide ?? 28, d.targets.subarray(d.trainCount), m?.predictions);
    } else if (boundaryRef.current && (force || d !== last.data || shownGrid !== last.grid || m?.lastBatch !== last.batch)) {
      drawBoundary(boundaryRef.current, d, shownGrid, viewRef.current, m?.lastBatch);
    }
    const h = historyRef.current;
    if (curvesRef.current) drawLossCurves(curvesRef.current, h.steps, h.train, h.test);
    const drawMaps = maps !== null && (force || maps !== last.maps);
    drawnRef.current = { data: d, grid: shownGrid, maps, predictions: m?.predictions, batch: m?.lastBatch };
    if (maps && drawMaps && unitsRef.current) {
      const cells = 16 * 16;
      unitsRef.current.querySelectorAll<HTMLCanvasElement>('canvas[data-unit]').forEach((c) => {
        const u = Number(c.dataset.unit);
        if ((u + 1) * cells <= maps.length) drawUnitMap(c, maps.subarray(u * cells, (u + 1) * cells), 16);
      });
    }
  }, []);

  // The worker: one per mounted playground, for its whole life.
  useEffect(() => {
    const worker = new Worker(workerUrl, { type: 'module', name: 'nabla-playground' });
    workerRef.current = worker;
    let frame = 0;
    let lastDiagram = 0;
    let lastText = 0;
    const draw = (): void => {
      frame = 0;
      const m = latestRef.current;
      redraw();
      const now = performance.now();
      // The canvases follow every frame; the diagram and the text read-outs (React) about 4 and
      // 10 times a second while training, and at once when the worker stops.
      if (m && diagramRef.current && (!m.running || now - lastDiagram > 250)) {
        lastDiagram = now;
        diagramRef.current.update(m);
      }
      if (!m?.running || now - lastText > 100) {
        lastText = now;
        live.set({ ...live.get(), snapshot: m });
      }
      worker.postMessage({ type: 'drawn' } satisfies ToWorker);
    };
    worker.onerror = (e) => setError(`The training worker failed: ${e.message}`);
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const m = event.data;
      switch (m.type) {
        case 'ready':
          setVariant(m.variant);
          break;
        case 'data':
          dataRef.current = m;
          gridRef.current = null;
          unitMapsRef.current = null;
          historyRef.current = { steps: [], train: [], test: [] };
          goodConfig.current = configRef.current;
          goodCsv.current = csvRef.current;
          setDataInfo({ description: m.description, classes: m.classes, ...(m.classNames ? { classNames: m.classNames } : {}), sizes: m.sizes });
          setError(null);
          live.set({ snapshot: live.get().snapshot, stopped: null });
          break;
        case 'snapshot': {
          latestRef.current = m;
          if (m.grid) gridRef.current = { values: m.grid, side: m.gridSide, outputs: m.outputs };
          if (m.unitMaps) unitMapsRef.current = m.unitMaps;
          const h = historyRef.current;
          if (h.steps.length === 0 || h.steps[h.steps.length - 1] !== m.steps) {
            h.steps.push(m.steps);
            h.train.push(m.metrics.trainLoss);
            h.test.push(m.metrics.testLoss);
            if (h.steps.length > HISTORY_MAX) {
              // Keep every other point: the curve keeps its shape and the cost stays bounded.
              const keep = (a: number[]): number[] => a.filter((_, i) => i % 2 === 0 || i === a.length - 1);
              historyRef.current = { steps: keep(h.steps), train: keep(h.train), test: keep(h.test) };
            }
          }
          if (!m.running) setRunning(false);
          if (!frame) frame = requestAnimationFrame(draw);
          break;
        }
        case 'stopped':
          setRunning(false);
          live.set({ ...live.get(), stopped: m.message });
          break;
        case 'error':
          setError(
            m.source === 'csv'
              ? `The file was not loaded; the previous data stays. ${m.message}`
              : m.source === 'data'
                ? `The data set was not loaded; the previous data stays. ${m.message}`
                : m.source === 'model'
                  ? `The model was not loaded; the previous network stays. ${m.message}`
                  : m.message,
          );
          if (m.source !== 'config') {
            // The worker kept its data and network: put the controls back to match them, without
            // asking it to rebuild what it still has.
            const good = goodConfig.current;
            const file = goodCsv.current;
            skipRun.current = runKey(good) + csvKeyOf(file.choice);
            setConfig(good);
            setCsvFile(file.file);
            setCsvChoice(file.choice);
          }
          break;
        case 'model': {
          const blob = new Blob([m.json], { type: 'application/json' });
          const a = document.createElement('a');
          a.href = URL.createObjectURL(blob);
          a.download = 'nabla-playground-model.json';
          a.dataset.testid = 'pg-download';
          document.body.appendChild(a);
          a.click();
          a.remove();
          setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
          break;
        }
      }
    };
    return () => {
      if (frame) cancelAnimationFrame(frame);
      worker.terminate();
      workerRef.current = null;
    };
  }, [workerUrl, redraw, live]);

  // A change that needs a new run (data, features, network, optimiser, seed) rebuilds it in the worker.
  const key = runKey(config);
  const csvKey = csvKeyOf(csvChoice);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the run key stands for the configuration's run fields.
  useEffect(() => {
    if (skipRun.current === key + csvKey) {
      skipRun.current = null;
      return;
    }
    skipRun.current = null;
    const model = pendingModel.current;
    pendingModel.current = undefined;
    send({ type: 'config', config: configRef.current, mnistUrl, ...(csvChoice && configRef.current.dataset === 'csv' ? { csv: csvChoice } : {}), ...(model ? { model } : {}) });
  }, [key, csvKey, send, mnistUrl]);

  // Checkpointing and the view change the run's measurements, not the run.
  useEffect(() => {
    send({ type: 'checkpoint', checkpoint: config.checkpoint, checkpointK: config.checkpointK });
  }, [config.checkpoint, config.checkpointK, send]);
  useEffect(() => {
    send({ type: 'view', resolution: config.resolution, slowMotion: config.slowMotion, targetLoss: config.targetLoss, maxEpochs: config.maxEpochs });
  }, [config.resolution, config.slowMotion, config.targetLoss, config.maxEpochs, send]);

  // Autoplay once, when asked.
  const autoplayed = useRef(false);
  useEffect(() => {
    if (props.autoplay && !autoplayed.current && dataInfo) {
      autoplayed.current = true;
      send({ type: 'play' });
      setRunning(true);
    }
  }, [props.autoplay, dataInfo, send]);

  // The whole state in the address bar.
  useEffect(() => {
    if (!props.syncUrl) return;
    const q = formatUrlState({ config, view, hide });
    const url = `${window.location.pathname}?${q}${window.location.hash}`;
    window.history.replaceState(window.history.state, '', url);
  }, [config, view, hide, props.syncUrl]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new view (test data, discretise) needs a redraw.
  useEffect(() => {
    redraw(true);
  }, [view, redraw]);

  // The network diagram (@nabla/viz), redrawn at most every 120 ms while training.
  const diagramBox = useRef<HTMLDivElement>(null);
  const [edgeEdit, setEdgeEdit] = useState<{ layer: number; row: number; col: number; value: number } | null>(null);
  useEffect(() => {
    let cancelled = false;
    let destroy = (): void => {};
    (async () => {
      const viz = await import('@nabla/viz');
      if (cancelled || !diagramBox.current) return;
      const box = diagramBox.current;
      const handle = viz.networkDiagram(box, { height: 240, duration: 0, maxUnits: 12, label: 'The network: units by layer, edges coloured by the sign of their weight' });
      const toModel = (m: SnapshotMessage) => {
        const layers = [];
        let at = 0;
        const acts = configRef.current.activations;
        for (let k = 1; k < m.sizes.length; k++) {
          const rows = m.sizes[k]!;
          const cols = m.sizes[k - 1]!;
          const weights: number[][] = [];
          for (let r = 0; r < rows; r++) weights.push(Array.from(m.params.subarray(at + r * cols, at + (r + 1) * cols)));
          at += rows * cols;
          const bias = Array.from(m.params.subarray(at, at + rows));
          at += rows;
          const last = k === m.sizes.length - 1;
          layers.push({ activation: last ? (m.outputs > 1 ? 'softmax' : 'linear') : (acts[k - 1] ?? 'tanh'), weights, bias });
        }
        return { sizes: m.sizes, layers };
      };
      diagramRef.current = { update: (m) => handle.update({ model: toModel(m), ...(m.activations ? { activations: m.activations } : {}) }) };
      if (latestRef.current) diagramRef.current.update(latestRef.current);
      const onClick = (e: MouseEvent): void => {
        const root = box.firstElementChild as HTMLElement | null;
        if (!root) return;
        const rect = root.getBoundingClientRect();
        const x = e.clientX - rect.left;
        const y = e.clientY - rect.top;
        let best = -1;
        let bestD = 36;
        handle.edges.forEach((ed, i) => {
          const dx = ed.x2 - ed.x1;
          const dy = ed.y2 - ed.y1;
          const len = dx * dx + dy * dy;
          const u = len === 0 ? 0 : Math.max(0, Math.min(1, ((x - ed.x1) * dx + (y - ed.y1) * dy) / len));
          const d = (ed.x1 + u * dx - x) ** 2 + (ed.y1 + u * dy - y) ** 2;
          if (d < bestD) {
            bestD = d;
            best = i;
          }
        });
        const ed = handle.edges[best];
        if (ed) setEdgeEdit({ layer: ed.layer, row: ed.to, col: ed.from, value: ed.weight });
      };
      box.addEventListener('click', onClick);
      destroy = () => {
        box.removeEventListener('click', onClick);
        handle.destroy();
        diagramRef.current = null;
      };
    })().catch((e: unknown) => setError(String(e)));
    return () => {
      cancelled = true;
      destroy();
    };
  }, []);

  const update = useCallback((patch: Partial<PlaygroundConfig>) => setConfig((c) => ({ ...c, ...patch })), []);

  const setLayers = useCallback((hidden: number[], activations: HiddenActivation[], dropout: number[]) => update({ hidden, activations, dropout }), [update]);

  const onCsvFile = useCallback(
    async (file: File) => {
      const text = await file.text();
      try {
        const table = parseCsv(text, { name: file.name });
        if (table.header.length < 3) throw new Error(`CSV ${file.name}: needs at least 3 columns (two features and a label), the header has ${table.header.length}: ${table.header.join(', ')}`);
        if (table.rows.length < 2) throw new Error(`CSV ${file.name}: needs at least 2 data rows, has ${table.rows.length}`);
        setError(null);
        const h = table.header;
        setCsvFile({ name: file.name, text, header: h, rows: table.rows.length });
        setCsvChoice({ name: file.name, text, x1: h[0]!, x2: h[1]!, target: h[h.length - 1]! });
        update({ dataset: 'csv' });
      } catch (e) {
        // The previous data, network and file stay as they were.
        setError(`The file was not loaded; the previous data stays. ${(e as Error).message}`);
      }
    },
    [update],
  );

  const onModelFile = useCallback(
    async (file: File) => {
      const text = await file.text();
      try {
        const model = parseModelJSON(JSON.parse(text));
        const extra = JSON.parse(text) as { playground?: { config?: Partial<PlaygroundConfig> } };
        const sizes = model.sizes;
        const L = sizes.length - 1;
        const saved = extra.playground?.config;
        const features = saved?.features && saved.features.length === sizes[0] ? saved.features : configRef.current.features;
        if (features.length !== sizes[0]) {
          throw new Error(`Load model: ${file.name} takes ${sizes[0]} inputs, but ${features.length} features are selected; select ${sizes[0]} features first`);
        }
        const next: PlaygroundConfig = {
          ...configRef.current,
          ...(saved ?? {}),
          features,
          hidden: sizes.slice(1, L),
          activations: model.layers.slice(0, L - 1).map((l) => l.activation as HiddenActivation),
          dropout: model.layers.slice(0, L - 1).map((l) => l.dropout ?? 0),
        };
        setError(null);
        if (runKey(next) === runKey(configRef.current)) send({ type: 'config', config: next, model: text });
        else pendingModel.current = text;
        setConfig(next);
      } catch (e) {
        setError(`Load model: ${(e as Error).message}`);
      }
    },
    [send],
  );

  const ckpt = useMemo(() => {
    const sizes = dataInfo?.sizes;
    if (!sizes) return null;
    const L = sizes.length - 1;
    const strategy = strategyOf(config.checkpoint, config.checkpointK, L);
    const steps = checkpointSchedule(L, strategy);
    const simulation = simulateSchedule(L, steps, sizes, { cells: true });
    return { L, strategy, steps, simulation };
  }, [dataInfo, config.checkpoint, config.checkpointK]);

  const shown = useCallback((name: ControlName): boolean => !hide.has(name), [hide]);
  const common = { config, update, shown, styles };
  const onSetWeight = useCallback(
    (e: { layer: number; row: number; col: number; value: number }) => {
      send({ type: 'weight', layer: e.layer, row: e.row, col: e.col, value: e.value });
      setEdgeEdit(null);
    },
    [send],
  );
  const onExport = useCallback(() => send({ type: 'export' }), [send]);

  return (
    <div className={styles.root} data-testid="playground">
      <TopBar
        {...common}
        running={running}
        live={live}
        onPlay={() => {
          live.set({ ...live.get(), stopped: null });
          send({ type: running ? 'pause' : 'play' });
          setRunning(!running);
        }}
        onStep={() => {
          send({ type: 'step', batches: 1 });
          setRunning(false);
        }}
        onReset={() => {
          send({ type: 'reset' });
          setRunning(false);
        }}
      />
      {error && (
        <div className={styles.error} role="alert" data-testid="pg-error">
          {error}
        </div>
      )}
      <div className={styles.columns}>
        <DataColumn {...common} dataInfo={dataInfo} csvFile={csvFile} csvChoice={csvChoice} setCsvChoice={setCsvChoice} onCsvFile={onCsvFile} />
        <NetworkColumn
          {...common}
          setLayers={setLayers}
          diagramRef={diagramBox}
          unitsRef={unitsRef}
          sizes={dataInfo?.sizes ?? null}
          edgeEdit={edgeEdit}
          setEdgeEdit={setEdgeEdit}
          onSetWeight={onSetWeight}
        />
        <OutputColumn {...common} live={live} view={view} setView={setView} boundaryRef={boundaryRef} digitsRef={digitsRef} curvesRef={curvesRef} />
      </div>
      <div className={styles.extras}>
        <MetricsPanel {...common} live={live} dataInfo={dataInfo} />
        <CheckpointPanel {...common} live={live} ckpt={ckpt} />
        <ExtrasPanel {...common} variant={variant} onExport={onExport} onModelFile={onModelFile} live={live} dataRef={dataRef} />
      </div>
    </div>
  );
}
