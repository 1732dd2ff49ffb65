// What every panel of the playground shares: its props, the rate lists and the hideable
// labelled control, and the top bar (play, step, reset and the rates).
import type { ReactNode } from 'react';
import {
  activationChoices,
  type HiddenActivation,
  type PlaygroundConfig,
  type Regularization,
} from '../../workers/playground-protocol';
import type { Live } from './Playground';
import { type Store, useStore } from './store';
import type { ControlName } from './url';

export type Styles = Record<string, string>;

export interface Common {
  readonly config: PlaygroundConfig;
  readonly update: (patch: Partial<PlaygroundConfig>) => void;
  readonly shown: (name: ControlName) => boolean;
  readonly styles: Styles;
}

export const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const REG_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];

/** One labelled control, left out when its name is hidden. */
export function Ctl(props: { name: ControlName; label: string; shown: (n: ControlName) => boolean; styles: Styles; children: ReactNode }): ReactNode {
  if (!props.shown(props.name)) return null;
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child passed in.
    <label className={props.styles.ctl} data-control={props.name}>
      <span>{props.label}</span>
      {props.children}
    </label>
  );
}

export function Select<T extends string | number>(props: { value: T; options: readonly T[]; onChange: (v: T) => void; testid: string; label?: (v: T) => string }): ReactNode {
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

export const withValue = <T,>(list: readonly T[], v: T): T[] => (list.includes(v) ? [...list] : [...list, v].sort((a, b) => Number(a) - Number(b)));

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
