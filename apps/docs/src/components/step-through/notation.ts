// What the step-through figure writes down: the lines of the notes it walks through, in order,
// and how it prints a number. Shared by the page component (server-rendered) and trace.ts.

export type Phase = 'forward' | 'backward' | 'check';

/** The lines of the notes (forward.md, losses.md, backward.md, gradcheck.md), as TeX; a step names one by index. */
export const LINES: readonly { readonly tex: string; readonly phase: Phase }[] = [
  { phase: 'forward', tex: 'g^0 = x^\\top' },
  { phase: 'forward', tex: 'f^k = W^k g^{k-1} + b^k \\mathbf{1}^\\top' },
  { phase: 'forward', tex: 'g^k = \\sigma(f^k)' },
  { phase: 'forward', tex: '\\begin{aligned}&\\hat y = \\operatorname{softmax}(f^3) \\\\ &\\mathcal{L} = -\\tfrac{1}{B}\\textstyle\\sum_{i,j} y_{ij}\\log \\hat y_{ij}\\end{aligned}' },
  { phase: 'backward', tex: '\\frac{\\partial \\mathcal{L}}{\\partial f^3} = \\tfrac{1}{B}(\\hat y - y)' },
  { phase: 'backward', tex: '\\frac{\\partial \\mathcal{L}}{\\partial W^k} = \\frac{\\partial \\mathcal{L}}{\\partial f^k}\\,(g^{k-1})^\\top' },
  { phase: 'backward', tex: '\\frac{\\partial \\mathcal{L}}{\\partial b^k} = \\frac{\\partial \\mathcal{L}}{\\partial f^k}\\,\\mathbf{1}' },
  { phase: 'backward', tex: '\\frac{\\partial \\mathcal{L}}{\\partial g^{k-1}} = (W^k)^\\top\\,\\frac{\\partial \\mathcal{L}}{\\partial f^k}' },
  { phase: 'backward', tex: "\\frac{\\partial \\mathcal{L}}{\\partial f^{k}} = \\frac{\\partial \\mathcal{L}}{\\partial g^{k}} \\odot \\sigma'(f^{k})" },
  { phase: 'check', tex: '\\frac{\\partial \\mathcal{L}}{\\partial \\theta} \\approx \\frac{\\mathcal{L}(\\theta + h) - \\mathcal{L}(\\theta - h)}{2h}' },
];

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
