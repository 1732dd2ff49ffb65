// What the step-through figure writes down: the lines of the notes it walks through, in order,
// and how it prints a number. Shared by the page component (server-rendered) and trace.ts.

export type Phase = 'forward' | 'backward' | 'check';

/** The loss head of a network, as the lines of the notes tell them apart. */
export type HeadKind =
  | { readonly kind: 'softmax-ce' }
  | { readonly kind: 'sigmoid-bce' }
  /** mse after an elementwise output activation (linear for regression). */
  | { readonly kind: 'mse'; readonly output: string };

export function headOf(network: { readonly output: string; readonly loss: string }): HeadKind {
  if (network.loss === 'cross-entropy') return { kind: 'softmax-ce' };
  if (network.loss === 'binary-cross-entropy') return { kind: 'sigmoid-bce' };
  return { kind: 'mse', output: network.output };
}

/** Each activation's name in TeX and its derivative written through g = σ(f), as the engine computes it. */
export const ACTIVATION_TEX: Readonly<Record<string, { readonly name: string; readonly slope: string; readonly words: string }>> = {
  tanh: { name: '\\tanh', slope: '1 - g^2', words: "$\\tanh'$ is read from $g$, which the forward pass kept: $1 - g^2$." },
  sigmoid: { name: '\\operatorname{sigmoid}', slope: 'g\\,(1 - g)', words: "The logistic function's slope is read from $g$, which the forward pass kept: $g(1 - g)$." },
  relu: { name: '\\operatorname{relu}', slope: '1 \\text{ where } g > 0 \\text{, else } 0', words: 'The slope of relu is 1 where the unit is on ($g > 0$) and 0 where it is off: the gradient passes or stops.' },
  'leaky-relu': { name: '\\operatorname{leaky}', slope: '1 \\text{ where } g > 0 \\text{, else } 0.01', words: 'The slope of leaky relu is 1 where $g > 0$ and 0.01 elsewhere, read from the sign of $g$.' },
  softplus: { name: '\\operatorname{softplus}', slope: '1 - e^{-g}', words: "softplus' is the logistic function of $f$, which is $1 - e^{-g}$ in terms of the $g$ the forward pass kept." },
  linear: { name: '\\operatorname{id}', slope: '1', words: 'A linear layer has slope 1: the gradient passes unchanged.' },
};

/** The loss line and the line where backpropagation starts, for a head (L the output layer). */
export function headLines(head: HeadKind, L: number): { readonly loss: string; readonly start: string } {
  const dfL = `\\frac{\\partial \\mathcal{L}}{\\partial f^{${L}}}`;
  if (head.kind === 'softmax-ce') {
    return {
      loss: `\\begin{aligned}&\\hat y = \\operatorname{softmax}(f^{${L}}) \\\\ &\\mathcal{L} = -\\tfrac{1}{B}\\textstyle\\sum_{i,j} y_{ij}\\log \\hat y_{ij}\\end{aligned}`,
      start: `${dfL} = \\tfrac{1}{B}(\\hat y - y)`,
    };
  }
  if (head.kind === 'sigmoid-bce') {
    return {
      loss: `\\begin{aligned}&\\hat y = \\operatorname{sigmoid}(f^{${L}}) \\\\ &\\mathcal{L} = -\\tfrac{1}{n_{${L}} B}\\textstyle\\sum_{i,j} \\big(y_{ij}\\log \\hat y_{ij} + (1 - y_{ij})\\log(1 - \\hat y_{ij})\\big)\\end{aligned}`,
      start: `${dfL} = \\tfrac{1}{n_{${L}} B}(\\hat y - y)`,
    };
  }
  const linear = head.output === 'linear';
  const act = ACTIVATION_TEX[head.output]?.name ?? '\\sigma';
  return {
    loss: `\\begin{aligned}&\\hat y = ${linear ? `f^{${L}}` : `${act}(f^{${L}})`} \\\\ &\\mathcal{L} = \\tfrac{1}{n_{${L}} B}\\textstyle\\sum_{i,j} (\\hat y_{ij} - y_{ij})^2\\end{aligned}`,
    start: linear ? `${dfL} = \\tfrac{2}{n_{${L}} B}(\\hat y - y)` : `${dfL} = \\tfrac{2}{n_{${L}} B}(\\hat y - y) \\odot \\sigma'(f^{${L}})`,
  };
}

/** The lines of the notes (forward.md, losses.md, backward.md, gradcheck.md) for a head, as TeX; a step names one by index. */
export function linesFor(head: HeadKind, L: number): readonly { readonly tex: string; readonly phase: Phase }[] {
  const h = headLines(head, L);
  return [
    { phase: 'forward', tex: 'g^0 = x^\\top' },
    { phase: 'forward', tex: 'f^k = W^k g^{k-1} + b^k \\mathbf{1}^\\top' },
    { phase: 'forward', tex: 'g^k = \\sigma(f^k)' },
    { phase: 'forward', tex: h.loss },
    { phase: 'backward', tex: h.start },
    { phase: 'backward', tex: '\\frac{\\partial \\mathcal{L}}{\\partial W^k} = \\frac{\\partial \\mathcal{L}}{\\partial f^k}\\,(g^{k-1})^\\top' },
    { phase: 'backward', tex: '\\frac{\\partial \\mathcal{L}}{\\partial b^k} = \\frac{\\partial \\mathcal{L}}{\\partial f^k}\\,\\mathbf{1}' },
    { phase: 'backward', tex: '\\frac{\\partial \\mathcal{L}}{\\partial g^{k-1}} = (W^k)^\\top\\,\\frac{\\partial \\mathcal{L}}{\\partial f^k}' },
    { phase: 'backward', tex: "\\frac{\\partial \\mathcal{L}}{\\partial f^{k}} = \\frac{\\partial \\mathcal{L}}{\\partial g^{k}} \\odot \\sigma'(f^{k})" },
    { phase: 'check', tex: '\\frac{\\partial \\mathcal{L}}{\\partial \\theta} \\approx \\frac{\\mathcal{L}(\\theta + h) - \\mathcal{L}(\\theta - h)}{2h}' },
  ];
}

/** The lines of the figure's default network (2-4-3-2, softmax with cross-entropy). */
export const LINES = linesFor({ kind: 'softmax-ce' }, 3);

/** Integers as they are, else four decimals (three from 1 up), exponent form for small and large magnitudes: what every cell shows. */
export function formatNumber(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e4) return String(v);
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e4) return v.toExponential(2);
  return v.toFixed(a >= 1 ? 3 : 4);
}

/** Text with inline math between dollar signs, split into plain and TeX pieces (odd pieces are TeX). */
export function splitMath(text: string): string[] {
  return text.split('$');
}
