import katex from 'katex';
import { type KeyboardEvent, type ReactNode, useCallback, useEffect, useState } from 'react';
import styles from './step-through/StepThrough.module.css';
import { formatNumber, LINES, linesFor, splitMath } from './step-through/notation';
import type { Link, Shown, Step, Term, Trace } from './step-through/trace';
import type { Setup } from './step-through/url';

/** TeX rendered by KaTeX (on the server too). The TeX is written in this repository, never taken from a reader. */
function Tex({ src, display = false, className }: { src: string; display?: boolean; className?: string }): ReactNode {
  const html = katex.renderToString(src, { displayMode: display, throwOnError: false });
  // biome-ignore lint/security/noDangerouslySetInnerHtml: KaTeX's markup for TeX from this file and trace.ts
  return <span className={className} dangerouslySetInnerHTML={{ __html: html }} />;
}

const PHASE_NAME = { forward: 'Forward pass', backward: 'Backward pass', check: 'Gradient check' } as const;

type Cell = readonly [number, number] | null;

/** Whether entry (r, c) of a factor feeds entry `at` of the result, given how the factor is linked. */
function feeds(link: Link | undefined, at: Cell, r: number, c: number): boolean {
  if (at === null || link === undefined) return false;
  const [i, j] = at;
  if (link === 'row') return r === i;
  if (link === 'col') return c === j;
  if (link === 'cell') return r === i && c === j;
  return r === j && c === i;
}

/**
 * A matrix with its name, its shape and its entries, each cell tinted by sign and size. As the
 * result of a step it reports the entry under the pointer; as a factor it outlines the entries
 * that entry is computed from.
 */
function MatrixView({ m, kind, at = null, onCell }: { m: Shown; kind?: string; at?: Cell; onCell?: (cell: Cell) => void }): ReactNode {
  const scale = Math.max(1e-12, ...m.data.map(Math.abs));
  const constant = m.data.every((v) => v === m.data[0]);
  return (
    <div className={styles.matrix} data-key={m.key} data-role={kind} data-rows={m.rows} data-cols={m.cols} data-values={JSON.stringify(m.data)}>
      <Tex className={styles.name} src={m.tex} />
      <table className={styles.grid} onMouseLeave={onCell && (() => onCell(null))}>
        <tbody>
          {Array.from({ length: m.rows }, (_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a row of a fixed-shape matrix
            <tr key={i}>
              {Array.from({ length: m.cols }, (_, j) => {
                const v = m.data[i * m.cols + j]!;
                const t = constant ? 0 : Math.abs(v) / scale;
                const bg = v >= 0 ? `rgba(33, 102, 172, ${(0.55 * t).toFixed(3)})` : `rgba(214, 96, 77, ${(0.55 * t).toFixed(3)})`;
                const hot = onCell ? at !== null && at[0] === i && at[1] === j : feeds(m.link, at, i, j);
                return (
                  <td
                    // biome-ignore lint/suspicious/noArrayIndexKey: a cell of a fixed-shape matrix
                    key={j}
                    className={hot ? styles.hot : undefined}
                    style={{ background: bg }}
                    title={String(v)}
                    onMouseEnter={onCell && (() => onCell([i, j]))}
                  >
                    {formatNumber(v)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <div className={styles.shape}>
        {m.rows} × {m.cols}
      </div>
    </div>
  );
}

function TermView({ t, at }: { t: Term; at: Cell }): ReactNode {
  if ('op' in t) return <Tex className={styles.op} src={t.op} />;
  if ('group' in t)
    return (
      <span className={styles.pair}>
        {t.group.map((g, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the terms of a step never reorder
          <TermView key={i} t={g} at={at} />
        ))}
      </span>
    );
  return <MatrixView m={t} at={at} />;
}

function CheckView({ trace }: { trace: Trace }): ReactNode {
  const pass = trace.gradcheck.maxRelativeError < 1e-6 && trace.maxDiffToGradients === 0;
  return (
    <div className={styles.checkView}>
      <p className={styles.verdict} data-testid="st-check-status" data-pass={pass ? 'yes' : 'no'}>
        <strong className={pass ? styles.pass : styles.fail}>{pass ? 'Passes' : 'Fails'}</strong>: the largest relative error against central differences is{' '}
        <span data-testid="st-check-max">{trace.gradcheck.maxRelativeError.toExponential(2)}</span> (tolerance 1e-6), and the largest difference
        between <code>net.gradients(x, y)</code> and the steps above is <span data-testid="st-check-diff">{trace.maxDiffToGradients}</span>
        {trace.maxDiffToGradients === 0 && ' (the same numbers, to the last bit)'}.
      </p>
      {trace.checks.map((c) => (
        <div key={c.layer} className={styles.checkLayer} data-testid={`st-check-layer-${c.layer}`}>
          <div className={styles.checkTitle}>
            Layer {c.layer}: relative error <Tex src={`\\partial \\mathcal{L}/\\partial W^{${c.layer}}`} /> {c.relW.toExponential(2)},{' '}
            <Tex src={`\\partial \\mathcal{L}/\\partial b^{${c.layer}}`} /> {c.relB.toExponential(2)}
          </div>
          <div className={styles.picture}>
            <span className={styles.pair}>
              <MatrixView m={c.dW} kind="analytic" />
              <Tex className={styles.op} src={'\\approx'} />
              <MatrixView m={c.numericW} kind="numeric" />
            </span>
            <span className={styles.pair}>
              <MatrixView m={c.db} kind="analytic" />
              <Tex className={styles.op} src={'\\approx'} />
              <MatrixView m={c.numericB} kind="numeric" />
            </span>
          </div>
        </div>
      ))}
    </div>
  );
}

function Stage({ step }: { step: Step }): ReactNode {
  const [at, setAt] = useState<Cell>(null);
  return (
    <div className={styles.stage}>
      <div className={styles.title} data-testid="st-title">
        {step.title}
      </div>
      <div className={styles.instance}>
        <Tex src={step.instance} display />
      </div>
      {step.result && (
        <div className={styles.picture} data-testid="st-picture">
          <MatrixView m={step.result} kind="result" at={at} onCell={setAt} />
          <Tex className={styles.op} src={'='} />
          {step.terms.map((t, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the terms of a step never reorder
            <TermView key={i} t={t} at={at} />
          ))}
        </div>
      )}
      {step.result && <p className={styles.hint}>Point at an entry of the result, the first matrix, to outline the entries it is computed from.</p>}
      <p className={styles.text}>
        {splitMath(step.text).map((piece, i) =>
          // biome-ignore lint/suspicious/noArrayIndexKey: the pieces of a fixed sentence
          i % 2 === 1 ? <Tex key={i} src={piece} /> : <span key={i}>{piece}</span>,
        )}
      </p>
      <p className={styles.code}>
        Computed by <code>{step.code}</code>
      </p>
    </div>
  );
}

const HEAD_WORDS: Record<string, string> = {
  'cross-entropy': 'softmax output with cross-entropy',
  'binary-cross-entropy': 'sigmoid outputs with binary cross-entropy',
};

/** The network of a setup in words: "3-5-4-2 (tanh, relu hidden layers, softmax output with cross-entropy)". */
function describe(setup: Setup): string {
  const n = setup.network;
  const acts = Array.from(new Set(n.activation));
  const hidden = n.activation.length === 0 ? 'no hidden layer' : `${acts.length === 1 ? acts[0] : n.activation.join(', ')} hidden layer${n.activation.length > 1 ? 's' : ''}`;
  const head = HEAD_WORDS[n.loss] ?? `${n.output} output${n.sizes[n.sizes.length - 1]! > 1 ? 's' : ''} with mean squared error`;
  return `${n.sizes.join('-')} (${hidden}, ${head})`;
}

/** What the figure draws: the trace, the setup it came from, and what was wrong with the link if anything. */
interface Loaded {
  readonly trace: Trace;
  readonly setup: Setup;
  readonly fromQuery: boolean;
  readonly message?: string;
}

/**
 * "One batch, step by step": by default a 2-4-3-2 tanh network with a softmax output, one batch
 * of three samples, and every line of the forward and backward pass with the matrices it reads
 * and writes. A query (step-through/url.ts) names another network, its parameters and its batch,
 * as the playground's link does. The numbers are computed in the page by @nabla/core's own
 * layers (step-through/trace.ts); the server-rendered HTML says what the figure shows and lists
 * the equations.
 */
export default function StepThrough(): ReactNode {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [index, setIndex] = useState(0);
  const trace = loaded?.trace ?? null;

  useEffect(() => {
    let cancelled = false;
    Promise.all([import('./step-through/trace'), import('./step-through/url')])
      .then(([t, u]) => {
        const parsed = u.parseSetup(window.location.search);
        let next: Loaded;
        try {
          next = { trace: t.computeTrace(parsed.setup), setup: parsed.setup, fromQuery: parsed.fromQuery, ...(parsed.message ? { message: parsed.message } : {}) };
        } catch (e) {
          // A network the link names but the trace cannot follow: say so and draw the default.
          next = { trace: t.computeTrace(), setup: u.DEFAULT_SETUP, fromQuery: false, message: (e as Error).message };
        }
        if (!cancelled) setLoaded(next);
      })
      .catch((e: unknown) => setError(String(e)));
    return () => {
      cancelled = true;
    };
  }, []);

  const count = trace?.steps.length ?? 0;
  const go = useCallback((i: number) => setIndex(Math.max(0, Math.min(count - 1, i))), [count]);
  const step = trace?.steps[index];
  const onKey = (e: KeyboardEvent<HTMLElement>): void => {
    if (!trace) return;
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: count - 1, f: 0, b: trace.backwardStart };
    const to = moves[e.key];
    if (to === undefined) return;
    e.preventDefault();
    go(to);
  };

  const lines = trace ? linesFor(trace.head, trace.depth) : LINES;
  const setup = loaded?.setup;
  return (
    <figure className={`nabla-figure ${styles.figure}`} data-figure="step-through">
      <div className={styles.layout}>
        <ol className={styles.lines} aria-label="The lines of the notes">
          {lines.map((l, i) => {
            const first = i === 0 || lines[i - 1]!.phase !== l.phase;
            return (
              <li
                key={l.tex}
                className={`${styles.line} ${step?.equation === i ? styles.current : ''}`}
                data-current={step?.equation === i ? 'yes' : undefined}
                data-phase={l.phase}
              >
                {first && <span className={styles.phase}>{PHASE_NAME[l.phase]}</span>}
                <Tex src={l.tex} />
              </li>
            );
          })}
        </ol>
        <section
          className={styles.main}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: the figure takes the arrow keys when focused
          tabIndex={0}
          onKeyDown={onKey}
          aria-label="Step-through figure: arrow keys move between steps"
          data-testid="step-through"
        >
          {loaded?.message && (
            <p className={`nabla-error ${styles.message}`} role="alert" data-testid="st-message">
              The link's network could not be shown: {loaded.message}. The figure shows its own 2-4-3-2 network instead.
            </p>
          )}
          {loaded?.fromQuery && setup && (
            <p className={styles.source} data-testid="st-source" data-sizes={setup.network.sizes.join('-')}>
              The network from the link: {describe(setup)}, {setup.params ? `with the parameters it carries${setup.steps !== undefined ? ` (after ${setup.steps} batches of training)` : ''}` : `initialised from seed ${setup.network.seed}`}, on a batch of {setup.x.length} sample
              {setup.x.length === 1 ? '' : 's'}, computed in float64.
            </p>
          )}
          {trace && step ? (
            <>
              <div className={styles.toolbar}>
                <button type="button" className="button button--sm button--secondary" onClick={() => go(0)} data-testid="st-forward">
                  ⇤ Forward
                </button>
                <button type="button" className="button button--sm button--secondary" onClick={() => go(index - 1)} disabled={index === 0} data-testid="st-prev">
                  ← Previous
                </button>
                <button type="button" className="button button--sm button--primary" onClick={() => go(index + 1)} disabled={index === count - 1} data-testid="st-next">
                  Next →
                </button>
                <button type="button" className="button button--sm button--secondary" onClick={() => go(trace.backwardStart)} data-testid="st-backward">
                  Backward ⇥
                </button>
                <button type="button" className="button button--sm button--secondary" onClick={() => go(count - 1)} data-testid="st-end">
                  Check ⇥
                </button>
                <span className={styles.counter} aria-live="polite">
                  step <span data-testid="st-index">{index + 1}</span> of <span data-testid="st-count">{count}</span> · {PHASE_NAME[step.phase]}
                  {step.layer > 0 && ` · layer ${step.layer}`}
                </span>
              </div>
              <div className={styles.progress}>
                {trace.steps.map((s, i) => (
                  <button
                    // biome-ignore lint/suspicious/noArrayIndexKey: steps are fixed
                    key={i}
                    type="button"
                    aria-label={`step ${i + 1}: ${s.title}`}
                    className={`${styles.tick} ${styles[`tick_${s.phase}`]} ${i === index ? styles.here : ''} ${i < index ? styles.done : ''}`}
                    onClick={() => go(i)}
                  />
                ))}
              </div>
              {step.phase === 'check' ? (
                <>
                  <Stage key={index} step={step} />
                  <CheckView trace={trace} />
                </>
              ) : (
                <Stage key={index} step={step} />
              )}
            </>
          ) : (
            <p className={styles.waiting}>
              {error ? <span className="nabla-error">The figure could not start: {error}</span> : 'The figure computes its numbers in your browser; it starts once the page has loaded (it needs JavaScript).'}
            </p>
          )}
        </section>
      </div>
      <figcaption>
        <strong>One batch, step by step.</strong>{' '}
        {loaded?.fromQuery && setup ? (
          <>
            A {describe(setup)} network, float64, named by the page's link, takes one batch of {setup.x.length} sample{setup.x.length === 1 ? '' : 's'}.
          </>
        ) : (
          <>
            A 2-4-3-2 network (tanh hidden layers, softmax output with cross-entropy, float64, seed 7) takes one batch of three samples.
          </>
        )} Each step computes one line of the notes, listed on the left, and shows every matrix it reads and writes with its shape
        and its numbers; blue cells are positive, red negative, deeper for larger magnitudes. The numbers are not a table: the page builds the network
        with <code>@nabla/core</code> and runs its own layer forward, weight-, bias- and input-gradient and activation backward. The last step checks
        every layer against central differences and against <code>net.gradients(x, y)</code>. Use the buttons, or click the figure and use the arrow
        keys (Home and End jump to the ends, F and B to the start of the forward and the backward pass).
      </figcaption>
    </figure>
  );
}
