import { type ReactNode, useEffect, useRef } from 'react';
import { formatBytes, formatDate, memory } from '../data/bench';

/** The measured memory table (rendered into the static HTML) and the log-log chart of @nabla/viz. */
export function MemoryTable(): ReactNode {
  const depths = Array.from(new Set(memory.configs.map((c) => c.depth)));
  const labels = Array.from(new Set(memory.configs.map((c) => c.label)));
  const find = (d: number, l: string) => memory.configs.find((c) => c.depth === d && c.label === l);
  return (
    <>
      <p>
        Measured by <code>{memory.command}</code> on {formatDate(memory.machine.date)} (commit <code>{memory.commit}</code>), {memory.machine.cpu},{' '}
        {memory.machine.cores} cores, Node {memory.machine.node}: networks of depth L with every layer {memory.width} wide, batch {memory.batch},{' '}
        {memory.dtype}. Each cell gives the engine's exact peak of live activation bytes, the process's measured growth of{' '}
        <code>arrayBuffers</code>, and layer forwards per gradient.
      </p>
      <table data-testid="memory-table">
        <thead>
          <tr>
            <th>L</th>
            {labels.map((l) => (
              <th key={l}>{l}: exact peak / measured / forwards</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {depths.map((d) => (
            <tr key={d}>
              <td>{d}</td>
              {labels.map((l) => {
                const c = find(d, l);
                return (
                  <td key={l}>
                    {c ? `${formatBytes(c.peakActivationBytes)} / ${formatBytes(c.measuredBytes)} / ${c.forwardEvaluations}` : '—'}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Fitted slopes of log(peak bytes) against log(L), least squares over L = {depths[0]}…{depths[depths.length - 1]}:{' '}
        {Object.entries(memory.slopes).map(([l, v], i) => (
          <span key={l}>
            {i > 0 && ', '}
            <strong>{l}</strong> {v.toFixed(3)}
          </span>
        ))}{' '}
        (1 is linear, 0.5 is √L, close to 0 is logarithmic).
      </p>
      <p>The benchmark's own targets, as it judged them:</p>
      <ul data-testid="memory-targets">
        {memory.targets.map((t) => (
          <li key={t.name}>
            <strong>{t.pass ? 'PASS' : 'FAIL'}</strong> {t.name}: {t.detail}
          </li>
        ))}
      </ul>
    </>
  );
}

export function MemoryChart(): ReactNode {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let cancelled = false;
    let destroy = (): void => {};
    import('@nabla/viz').then((viz) => {
      if (cancelled || !ref.current) return;
      const h = viz.memoryChart(ref.current, { height: 320, label: 'Peak activation memory against depth, log-log' });
      h.update(memory);
      destroy = () => h.destroy();
    });
    return () => {
      cancelled = true;
      destroy();
    };
  }, []);
  return (
    <figure className="nabla-figure" data-figure="memory-chart">
      <div ref={ref} />
      <figcaption>
        <strong>Peak activation memory against depth, log-log.</strong> One line per strategy from <code>apps/bench/results/memory.json</code>, with the
        slope fitted by @nabla/viz; a straight line of slope 1 is memory linear in depth, slope ½ is √L.
      </figcaption>
    </figure>
  );
}
