// One mini-batch through a 2-4-3-2 network, line by line of the notes, computed by @nabla/core's
// own layer objects (reached with `engineOf`), so every number the figure shows is a number the
// engine computed. The final dL/dW^k and dL/db^k are compared with `net.gradients(x, y)` and
// checked against central differences with core's `gradcheck`.
import { addColumnVector, type GradcheckResult, gemmRaw, getActivation, gradcheck, type LayerParameters, Matrix } from '@nabla/core';
import { engineOf, INFERENCE, type Layer } from '@nabla/core/internal';
import { ACTIVATION_TEX, formatNumber, type HeadKind, headOf, type Phase } from './notation';
import { DEFAULT_SETUP, networkOf, type Setup } from './url';

/** The network and the batch of the figure when the page's URL names none. */
export const SETUP = DEFAULT_SETUP;

/**
 * Which entries of a factor entry (i, j) of the result is computed from: row i, column j, entry
 * (i, j) itself (elementwise), or entry (j, i).
 */
export type Link = 'row' | 'col' | 'cell' | 'transposed';

/** A matrix as the figure shows it: a TeX name, its shape and its entries row by row. */
export interface Shown {
  readonly key: string;
  readonly tex: string;
  readonly rows: number;
  readonly cols: number;
  readonly data: readonly number[];
  /** As a factor of a step: how it enters each entry of the result. */
  readonly link?: Link;
}

/** A term of the picture of an equation: a matrix, an operator, or terms kept on one line. */
export type Term = Shown | { readonly op: string } | { readonly group: readonly Term[] };

export interface Step {
  readonly phase: Phase;
  /** Index into LINES (notation.ts) of the line of the notes this step computes. */
  readonly equation: number;
  /** The layer k of the step (0 for the input and the check). */
  readonly layer: number;
  readonly title: string;
  /** The line with k filled in and the shapes under each factor (TeX). */
  readonly instance: string;
  /** The picture: result = terms (absent for the check, which the figure draws as a table). */
  readonly result?: Shown;
  readonly terms: readonly Term[];
  /** What happens, in a sentence or two; math between dollar signs. */
  readonly text: string;
  /** The call of @nabla/core that produced `result`. */
  readonly code: string;
}

/** One layer's row of the gradient check. */
export interface LayerCheck {
  readonly layer: number;
  readonly dW: Shown;
  readonly db: Shown;
  /** The same gradients by central differences (L(p + h) − L(p − h)) / 2h. */
  readonly numericW: Shown;
  readonly numericB: Shown;
  /** gradcheck's relative errors of dW^k and db^k. */
  readonly relW: number;
  readonly relB: number;
}

export interface Trace {
  readonly steps: readonly Step[];
  readonly loss: number;
  readonly checks: readonly LayerCheck[];
  readonly gradcheck: GradcheckResult;
  /** Largest |step-through − net.gradients()| over every entry of every dW^k and db^k. */
  readonly maxDiffToGradients: number;
  /** Step index where the backward pass starts. */
  readonly backwardStart: number;
  /** The loss head and the number of layers L, for the lines of the notes. */
  readonly head: HeadKind;
  readonly depth: number;
}


const d = (tex: string): string => `\\frac{\\partial \\mathcal{L}}{\\partial ${tex}}`;
const under = (tex: string, r: number, c: number): string => `\\underbrace{${tex}}_{${r} \\times ${c}}`;

function shown(key: string, tex: string, rows: number, cols: number, data: ArrayLike<number>): Shown {
  return { key, tex, rows, cols, data: Array.from(data).slice(0, rows * cols) };
}

function transposed(m: Shown, key: string, tex: string): Shown {
  const data: number[] = new Array(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) data[j * m.rows + i] = m.data[i * m.cols + j]!;
  return { key, tex, rows: m.cols, cols: m.rows, data };
}

const as = (m: Shown, link: Link): Shown => ({ ...m, link });

const ones = (n: number, tex: string, key: string): Shown => shown(key, tex, 1, n, new Array(n).fill(1));

/** Build the network, run the batch through it step by step, and check the result. */
export function computeTrace(setup: Setup = DEFAULT_SETUP): Trace {
  const net = networkOf(setup);
  const engine = engineOf(net);
  const layers = engine.layers;
  const depth = layers.length;
  const B = setup.x.length;
  const steps: Step[] = [];
  const head = headOf(setup.network);
  const classes = head.kind === 'softmax-ce' ? setup.y.map((r) => r.indexOf(1)) : [];
  const actTex = (name: string | undefined) => ACTIVATION_TEX[name ?? 'linear'] ?? { name: '\\sigma', slope: "\\sigma'(f)", words: '' };

  // g^0: the batch as columns, the layout the engine works in.
  const g: Float64Array[] = [new Float64Array(engine.inputSize * B)];
  setup.x.forEach((row, j) => row.forEach((v, i) => (g[0]![i * B + j] = v)));
  const yT = new Float64Array(engine.outputSize * B);
  setup.y.forEach((row, j) => row.forEach((v, i) => (yT[i * B + j] = v)));
  const xShown = shown('x', 'x', B, engine.inputSize, setup.x.flat());
  const yShown = shown('y', 'y', engine.outputSize, B, yT);
  steps.push({
    phase: 'forward',
    equation: 0,
    layer: 0,
    title: 'The batch enters as columns',
    instance: `${under('g^0', engine.inputSize, B)} = ${under('x^\\top', engine.inputSize, B)}`,
    result: shown('g0', 'g^0', engine.inputSize, B, g[0]!),
    terms: [{ op: '(' }, as(xShown, 'transposed'), { op: ')^\\top' }],
    text: `The API takes the ${B} samples as rows of $x$, and each sample is a column of $g^0 = x^\\top$. The engine keeps the batch as rows and lets the kernel read it transposed; here it is shown transposed. ${head.kind === 'softmax-ce' ? `The labels $y$ (classes ${classes.join(', ')}, one-hot) are copied into columns.` : `The targets $y$ are copied into columns.`}`,
    code: 'transposed here; the engine copies the rows (gatherRows in Engine.computeGradients, packages/core/src/network/engine.ts) and layer 1 reads them with op(B) = Bᵀ',
  });

  // Forward: f^k, then g^k; the output layer ends in softmax and the loss.
  const fs: Float64Array[] = [];
  let loss = Number.NaN;
  let yHat = new Float64Array(0);
  for (const layer of layers) {
    const { k, nIn, nOut } = layer;
    const gPrev = g[k - 1]!;
    // f^k = W^k g^{k−1} + b^k 1ᵀ with core's kernels, to show f^k, which the engine never keeps.
    const f = new Float64Array(nOut * B);
    gemmRaw(false, false, nOut, B, nIn, 1, layer.weights, nIn, gPrev, B, 0, f, B);
    addColumnVector(f, nOut, B, layer.bias);
    fs[k] = f;
    // The layer's own forward: g^k for a hidden layer, the logits f^3 for the output layer.
    const out = new Float64Array(nOut * B);
    layer.forward(gPrev, out, B, INFERENCE);
    const W = shown(`W${k}`, `W^${k}`, nOut, nIn, layer.weights);
    steps.push({
      phase: 'forward',
      equation: 1,
      layer: k,
      title: `Layer ${k}: weights times inputs, plus the bias`,
      instance: `${under(`f^${k}`, nOut, B)} = ${under(`W^${k}`, nOut, nIn)}\\,${under(`g^${k - 1}`, nIn, B)} + ${under(`b^${k}`, nOut, 1)}\\,${under('\\mathbf{1}^\\top', 1, B)}`,
      result: shown(`f${k}`, `f^${k}`, nOut, B, layer.activation === undefined ? out : f),
      terms: [
        as(W, 'row'),
        as(shown(`g${k - 1}`, `g^${k - 1}`, nIn, B, gPrev), 'col'),
        { group: [{ op: '+' }, as(shown(`b${k}`, `b^${k}`, nOut, 1, layer.bias), 'row'), as(ones(B, '\\mathbf{1}^\\top', 'ones'), 'col')] },
      ],
      text:
        k === depth
          ? `Column $j$ of $f^${k}$ is layer ${k} applied to sample $j$. This is the output layer: its $f^${k}$ (the logits) goes to the loss head, not through $\\sigma$.`
          : `Column $j$ of $f^${k}$ is layer ${k} applied to sample $j$; the outer product $b^${k} \\mathbf{1}^\\top$ repeats the bias for each of the ${B} samples.`,
      code:
        k === depth
          ? `layer.forward(g^${k - 1}, out, ${B}): gemmRaw then addColumnVector (packages/core/src/network/layer.ts)`
          : `gemmRaw(W^${k}, g^${k - 1}) and addColumnVector(b^${k}), the kernels of layer.forward (packages/core/src/network/layer.ts)`,
    });
    if (layer.activation !== undefined) {
      // The f^k shown and the g^k the layer computed must agree entry by entry.
      for (let i = 0; i < f.length; i++) {
        if (layer.activation.value(f[i]!) !== out[i]) throw new Error(`computeTrace: layer ${k} gives g = ${out[i]} where σ(f) = ${layer.activation.value(f[i]!)}`);
      }
      g[k] = out;
      steps.push({
        phase: 'forward',
        equation: 2,
        layer: k,
        title: `Layer ${k}: the activation, entry by entry`,
        instance: `${under(`g^${k}`, nOut, B)} = \\sigma\\big(${under(`f^${k}`, nOut, B)}\\big), \\quad \\sigma = ${actTex(layer.activation.name).name}`,
        result: shown(`g${k}`, `g^${k}`, nOut, B, out),
        terms: [{ op: `${actTex(layer.activation.name).name}\\Big(` }, as(shown(`f${k}`, `f^${k}`, nOut, B, f), 'cell'), { op: '\\Big)' }],
        text: `$\\sigma = ${actTex(layer.activation.name).name}$ acts on each entry separately. The engine writes $g^${k}$ over $f^${k}$ in the same buffer: the backward pass needs only $g^${k}$, since $\\sigma'(f) = ${actTex(layer.activation.name).slope}$.`,
        code: `layer.forward(g^${k - 1}, out, ${B}) with biasActivationForward (packages/core/src/network/layer.ts)`,
      });
    } else {
      yHat = out.slice();
      // ŷ = softmax(f^L) in place, and the loss from the logits: the engine's head.
      loss = engine.head.forward(yHat, yT, nOut, B);
      g[k] = yHat;
      const fL = as(shown(`f${k}`, `f^${k}`, nOut, B, out), head.kind === 'softmax-ce' ? 'col' : 'cell');
      const targets = as(yShown, head.kind === 'softmax-ce' ? 'col' : 'cell');
      const lossTex = `\\mathcal{L} = ${formatNumber(loss)}`;
      if (head.kind === 'softmax-ce') {
        steps.push({
          phase: 'forward',
          equation: 3,
          layer: k,
          title: 'Softmax and the loss',
          instance: `${under('\\hat y', nOut, B)} = \\operatorname{softmax}\\big(${under(`f^${k}`, nOut, B)}\\big), \\quad ${lossTex}`,
          result: shown('yhat', '\\hat y', nOut, B, yHat),
          terms: [{ op: '\\operatorname{softmax}\\Big(' }, fL, { op: '\\Big)' }, { op: '\\quad\\text{labels}' }, targets],
          text: `Each column of $\\hat y$ holds the network's probabilities of the ${nOut} classes for one sample. The loss is the mean cross-entropy over the batch, $${lossTex}$, computed from the logits with log-sum-exp.`,
          code: `engine.head.forward(f^${k}, y, ${nOut}, ${B}) (packages/core/src/losses.ts)`,
        });
      } else {
        const outName = head.kind === 'sigmoid-bce' ? 'sigmoid' : head.output;
        const linear = outName === 'linear';
        const name = actTex(outName).name;
        steps.push({
          phase: 'forward',
          equation: 3,
          layer: k,
          title: linear ? 'The output and the loss' : `The output ${outName} and the loss`,
          instance: `${under('\\hat y', nOut, B)} = ${linear ? under(`f^${k}`, nOut, B) : `${name}\\big(${under(`f^${k}`, nOut, B)}\\big)`}, \\quad ${lossTex}`,
          result: shown('yhat', '\\hat y', nOut, B, yHat),
          terms: linear ? [fL, { op: '\\quad\\text{targets}' }, targets] : [{ op: `${name}\\Big(` }, fL, { op: '\\Big)' }, { op: '\\quad\\text{targets}' }, targets],
          text:
            head.kind === 'sigmoid-bce'
              ? `Each entry of $\\hat y$ is a probability of its own. The loss is the binary cross-entropy averaged over all $${nOut} \\times ${B}$ outputs, $${lossTex}$, computed from $f^${k}$ in a form that cannot overflow.`
              : `${linear ? `A linear output passes $f^${k}$ through: $\\hat y = f^${k}$.` : `$${name}$ acts on each entry of $f^${k}$.`} The loss is the squared error averaged over all $${nOut} \\times ${B}$ outputs, $${lossTex}$.`,
          code: `engine.head.forward(f^${k}, y, ${nOut}, ${B}) (packages/core/src/losses.ts)`,
        });
      }
    }
  }

  // Backward: dL/df^L from the head, then the lines of backward.md for k = L ... 1.
  const backwardStart = steps.length;
  const last = layers[depth - 1]!;
  let dF = new Float64Array(last.nOut * B);
  engine.head.backward(yHat, yT, dF, last.nOut, B);
  const m = last.nOut;
  const yHatShown = as(shown('yhat', '\\hat y', m, B, yHat), 'cell');
  const dfL = shown(`df${depth}`, d(`f^${depth}`), m, B, dF);
  const code = `engine.head.backward(ŷ, y, dF, ${m}, ${B}) (packages/core/src/losses.ts)`;
  if (head.kind === 'softmax-ce' || head.kind === 'sigmoid-bce' || head.output === 'linear') {
    const scale = head.kind === 'softmax-ce' ? `\\tfrac{1}{${B}}` : head.kind === 'sigmoid-bce' ? `\\tfrac{1}{${m} \\cdot ${B}}` : `\\tfrac{2}{${m} \\cdot ${B}}`;
    steps.push({
      phase: 'backward',
      equation: 4,
      layer: depth,
      title: 'Where backpropagation starts',
      instance: `${under(d(`f^${depth}`), m, B)} = ${scale}\\big(${under('\\hat y', m, B)} - ${under('y', m, B)}\\big)`,
      result: dfL,
      terms: [{ op: `${scale}\\Big(` }, yHatShown, { op: '-' }, as(yShown, 'cell'), { op: '\\Big)' }],
      text:
        head.kind === 'softmax-ce'
          ? 'Softmax and cross-entropy are fused: the derivative with respect to the logits is $\\hat y - y$ over the batch size, with no softmax Jacobian (see the notes on losses).'
          : head.kind === 'sigmoid-bce'
            ? `Sigmoid and binary cross-entropy are fused: the slope of the sigmoid cancels against the logarithm, leaving $\\hat y - y$ over the $${m} \\times ${B}$ outputs averaged (see the notes on losses).`
            : `The derivative of the mean squared error is $2(\\hat y - y)$ over the $${m} \\times ${B}$ outputs averaged; a linear output has slope 1, so that is $\\partial \\mathcal{L}/\\partial f^${depth}$ (see the notes on losses).`,
      code,
    });
  } else {
    const act = getActivation(head.output)!;
    const slope = Array.from(yHat, (v) => act.chain(1, v));
    const tex = actTex(head.output);
    steps.push({
      phase: 'backward',
      equation: 4,
      layer: depth,
      title: 'Where backpropagation starts',
      instance: `${under(d(`f^${depth}`), m, B)} = \\tfrac{2}{${m} \\cdot ${B}}\\big(${under('\\hat y', m, B)} - ${under('y', m, B)}\\big) \\odot ${under(`\\sigma'(f^${depth})`, m, B)}, \\quad \\sigma'(f) = ${tex.slope}`,
      result: dfL,
      terms: [{ op: `\\tfrac{2}{${m} \\cdot ${B}}\\Big(` }, yHatShown, { op: '-' }, as(yShown, 'cell'), { op: '\\Big)\\odot' }, as(shown(`sp${depth}`, `\\sigma'(f^${depth})`, m, B, slope), 'cell')],
      text: `The derivative of the mean squared error with respect to $\\hat y$ is $2(\\hat y - y)$ over the $${m} \\times ${B}$ outputs averaged; the chain rule through the output $${tex.name}$ multiplies it entrywise by its slope, written through $\\hat y$ (see the notes on losses).`,
      code,
    });
  }
  const gradients: LayerParameters[] = new Array(depth);
  for (let k = depth; k >= 1; k--) {
    const layer = layers[k - 1]!;
    const { nIn, nOut } = layer;
    const dFShown = shown(`df${k}`, d(`f^${k}`), nOut, B, dF);
    const gPrevShown = shown(`g${k - 1}`, `g^${k - 1}`, nIn, B, g[k - 1]!);
    layer.weightGradient(dF, g[k - 1]!, B);
    layer.biasGradient(dF, B);
    gradients[k - 1] = { weights: new Matrix(nOut, nIn, layer.gradWeights.slice()), bias: layer.gradBias.slice() };
    steps.push({
      phase: 'backward',
      equation: 5,
      layer: k,
      title: `Layer ${k}: the weight gradient`,
      instance: `${under(d(`W^${k}`), nOut, nIn)} = ${under(d(`f^${k}`), nOut, B)}\\,${under(`(g^${k - 1})^\\top`, B, nIn)}`,
      result: shown(`dW${k}`, d(`W^${k}`), nOut, nIn, layer.gradWeights),
      terms: [as(dFShown, 'row'), as(transposed(gPrevShown, `g${k - 1}T`, `(g^${k - 1})^\\top`), 'col')],
      text: `One matrix product sums over the ${B} samples: entry $(i, l)$ is $\\sum_j (\\partial \\mathcal{L}/\\partial f^${k})_{ij}\\, g^${k - 1}_{lj}$. It has the shape of $W^${k}$, as every $\\partial \\mathcal{L}/\\partial X$ has the shape of $X$.`,
      code: `layer.weightGradient(dF, g^${k - 1}, ${B}): gemmRaw with transB (packages/core/src/network/layer.ts)`,
    });
    steps.push({
      phase: 'backward',
      equation: 6,
      layer: k,
      title: `Layer ${k}: the bias gradient`,
      instance: `${under(d(`b^${k}`), nOut, 1)} = ${under(d(`f^${k}`), nOut, B)}\\,${under('\\mathbf{1}', B, 1)}`,
      result: shown(`db${k}`, d(`b^${k}`), nOut, 1, layer.gradBias),
      terms: [as(dFShown, 'row'), as(shown('onesT', '\\mathbf{1}', B, 1, new Array(B).fill(1)), 'col')],
      text: `The $\\mathbf{1}^\\top$ that broadcast the bias in the forward pass comes back as $\\mathbf{1}$: the bias gradient is the sum of each row of $\\partial \\mathcal{L}/\\partial f^${k}$ over the samples.`,
      code: `layer.biasGradient(dF, ${B}): sumRows (packages/core/src/network/layer.ts)`,
    });
    if (k === 1) break;
    const dG = new Float64Array(nIn * B);
    layer.inputGradient(dF, dG, B);
    const WT = transposed(shown(`W${k}`, `W^${k}`, nOut, nIn, layer.weights), `W${k}T`, `(W^${k})^\\top`);
    steps.push({
      phase: 'backward',
      equation: 7,
      layer: k,
      title: `Layer ${k}: the gradient flows to layer ${k - 1}`,
      instance: `${under(d(`g^${k - 1}`), nIn, B)} = ${under(`(W^${k})^\\top`, nIn, nOut)}\\,${under(d(`f^${k}`), nOut, B)}`,
      result: shown(`dg${k - 1}`, d(`g^${k - 1}`), nIn, B, dG),
      terms: [as(WT, 'row'), as(dFShown, 'col')],
      text: `The same weights, transposed, carry the error back: each unit of layer ${k - 1} receives the errors of the units it feeds, weighted by $W^${k}$.`,
      code: `layer.inputGradient(dF, dPrev, ${B}): gemmRaw with transA (packages/core/src/network/layer.ts)`,
    });
    const below = layers[k - 2]!;
    const gBelow = g[k - 1]!;
    const slope = new Float64Array(nIn * B);
    for (let i = 0; i < slope.length; i++) slope[i] = below.activation!.chain(1, gBelow[i]!);
    const next = new Float64Array(nIn * B);
    below.activation!.backward(gBelow, dG, next, nIn * B);
    steps.push({
      phase: 'backward',
      equation: 8,
      layer: k - 1,
      title: `Layer ${k - 1}: back through the activation`,
      instance: `${under(d(`f^${k - 1}`), nIn, B)} = ${under(d(`g^${k - 1}`), nIn, B)} \\odot ${under(`\\sigma'(f^${k - 1})`, nIn, B)}, \\quad \\sigma'(f) = ${actTex(below.activation?.name).slope}`,
      result: shown(`df${k - 1}`, d(`f^${k - 1}`), nIn, B, next),
      terms: [as(shown(`dg${k - 1}`, d(`g^${k - 1}`), nIn, B, dG), 'cell'), { op: '\\odot' }, as(shown(`sp${k - 1}`, `\\sigma'(f^${k - 1})`, nIn, B, slope), 'cell')],
      text: `An elementwise activation has a diagonal Jacobian, so the chain rule is an entrywise product $\\odot$. ${actTex(below.activation?.name).words.replaceAll('$g$', `$g^${k - 1}$`)}`,
      code: `layer.activation.backward(g^${k - 1}, dG, dF, ${nIn * B}) (packages/core/src/activations.ts)`,
    });
    dF = next;
  }

  // The check: the network's own gradients(), and central differences.
  const reference = net.gradients(setup.x.map((r) => [...r]), setup.y.map((r) => [...r])).layers;
  let maxDiff = 0;
  gradients.forEach((gr, i) => {
    const ref = reference[i]!;
    gr.weights.data.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - ref.weights.data[j]!))));
    gr.bias.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - ref.bias[j]!))));
  });
  const x = setup.x.map((r) => [...r]);
  const y = setup.y.map((r) => [...r]);
  const result = gradcheck(net, x, y, { gradients, points: 2, epsilon: 1e-6 });
  const h = 1e-6;
  const numeric = (param: Float64Array | Float32Array): number[] =>
    Array.from(param, (_, i) => {
      const saved = param[i]!;
      param[i] = saved + h;
      const up = net.evaluate(x, y).loss;
      param[i] = saved - h;
      const down = net.evaluate(x, y).loss;
      param[i] = saved;
      return (up - down) / (2 * h);
    });
  const checks = layers.map((layer: Layer): LayerCheck => {
    const k = layer.k;
    const rel = (kind: 'weights' | 'bias'): number => result.arrays.find((a) => a.layer === k && a.kind === kind)!.relativeError;
    return {
      layer: k,
      dW: shown(`dW${k}`, d(`W^${k}`), layer.nOut, layer.nIn, gradients[k - 1]!.weights.data),
      db: shown(`db${k}`, d(`b^${k}`), layer.nOut, 1, gradients[k - 1]!.bias),
      numericW: shown(`nW${k}`, `\\text{central diff.}`, layer.nOut, layer.nIn, numeric(layer.weights)),
      numericB: shown(`nb${k}`, `\\text{central diff.}`, layer.nOut, 1, numeric(layer.bias)),
      relW: rel('weights'),
      relB: rel('bias'),
    };
  });
  steps.push({
    phase: 'check',
    equation: 9,
    layer: 0,
    title: 'Gradient check of every layer',
    instance: `${d('\\theta')} \\approx \\frac{\\mathcal{L}(\\theta + h) - \\mathcal{L}(\\theta - h)}{2h}, \\quad h = 10^{-6}`,
    terms: [],
    text: 'Each parameter $\\theta$ is nudged by $\\pm h$ and the loss evaluated again (net.evaluate); the quotient estimates its derivative. Relative errors near $10^{-10}$ are what float64 rounding allows. The network\'s own net.gradients(x, y) returns the same $\\partial \\mathcal{L}/\\partial W^k$ and $\\partial \\mathcal{L}/\\partial b^k$ as the steps above, to the last bit when the largest difference is 0.',
    code: 'gradcheck(net, x, y, { gradients, points: 2, epsilon: 1e-6 }) and net.gradients(x, y) (packages/core/src/gradcheck.ts)',
  });
  return { steps, loss, checks, head, depth, gradcheck: result, maxDiffToGradients: maxDiff, backwardStart };
}
