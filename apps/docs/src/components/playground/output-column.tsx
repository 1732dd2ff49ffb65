// The playground's output column: losses, the loss curve and the decision boundary or digits.
import { memo, type ReactNode, type RefObject } from 'react';
import type { Live } from './Playground';
import { type Store, useStore } from './store';
import type { ViewState } from './url';
import type { Common } from './controls';

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
