// @vitest-environment happy-dom
import { act, createElement, useEffect, useRef } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import '../src/elements.js';
import { trainingCurves } from '../src/training-curves.js';
import type { EpochPoint } from '../src/types.js';
import type { ViewHandle } from '../src/view.js';

// The wrapper from the README: create the view once, update it when the data changes.
function Curves({ history }: { history: readonly EpochPoint[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const view = useRef<ViewHandle<readonly EpochPoint[]> | null>(null);
  useEffect(() => {
    view.current = trainingCurves(ref.current!, { width: 500 });
    return () => view.current?.destroy();
  }, []);
  useEffect(() => {
    view.current?.update(history);
  }, [history]);
  return <div ref={ref} />;
}

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

describe('React', () => {
  it('a component wrapping trainingCurves renders, updates with props and cleans up on unmount', async () => {
    const container = document.createElement('div');
    document.body.appendChild(container);
    const root = createRoot(container);
    await act(async () => root.render(<Curves history={[{ epoch: 1, loss: 1 }]} />));
    expect(container.querySelectorAll('path.curve').length).toBe(1);
    await act(async () =>
      root.render(
        <Curves
          history={[
            { epoch: 1, loss: 1, valLoss: 1.1 },
            { epoch: 2, loss: 0.5, valLoss: 0.7 },
          ]}
        />,
      ),
    );
    expect(container.querySelectorAll('path.curve').length).toBe(2);
    await act(async () => root.unmount());
    expect(container.childNodes.length).toBe(0);
  });

  it('React 19 sets the data property of <nabla-curves> directly', async () => {
    const container = document.createElement('div');
    document.body.appendChild(container);
    const root = createRoot(container);
    const history = [
      { epoch: 1, loss: 1 },
      { epoch: 2, loss: 0.4 },
    ];
    await act(async () => root.render(createElement('nabla-curves', { data: history, 'log-scale': '' })));
    expect(container.querySelector('text.panel-title')?.textContent).toBe('loss (log scale) vs epoch');
    expect(container.querySelectorAll('path.curve').length).toBe(1);
    await act(async () => root.unmount());
    expect(container.childNodes.length).toBe(0);
  });
});
