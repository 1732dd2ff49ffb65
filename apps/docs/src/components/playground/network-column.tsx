// The playground's network column: features, layers and units, the diagram with its weight
// editor, and the per-unit maps.
import { memo, type ReactNode, type RefObject, useEffect, useRef } from 'react';
import {
  activationChoices,
  type FeatureName,
  featureLabels,
  featureNames,
  type HiddenActivation,
  MAX_LAYERS,
  MAX_UNIT_MAPS,
  MAX_UNITS,
} from '../../workers/playground-protocol';
import type { Common, Styles } from './controls';

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
