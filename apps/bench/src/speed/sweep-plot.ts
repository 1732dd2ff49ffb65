// Charts of the sweeps for apps/bench/README.md: one SVG per axis (hidden width, batch) and
// workload (training, inference), samples/s on a log scale against the swept value on a log-2
// scale, one line per contestant, with GFLOP/s written at every point. Plain SVG text, no
// dependency; written next to sweep.json by `pnpm bench:speed --only=sweep`, or from an existing
// results/sweep.json with `pnpm --filter @nabla/bench exec tsx src/speed/sweep-plot.ts`.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What a chart needs of one sweep result (see SweepRow in sweep.ts). */
export interface PlotRow {
  readonly axis: 'width' | 'batch';
  readonly value: number;
  readonly contestant: string;
  readonly train: { readonly median: number };
  readonly infer: { readonly median: number };
  readonly trainGflops: number;
  readonly inferGflops: number;
}

const W = 720;
const H = 420;
const M = { left: 78, right: 150, top: 44, bottom: 56 };
/** Colour and dash per contestant: distinguishable in print and for colour-blind readers. */
const STYLE: Record<string, { color: string; dash: string }> = {
  'nabla-1t': { color: '#1f5fbf', dash: '' },
  'nabla-2t': { color: '#0a8a5f', dash: '' },
  'tfjs-wasm': { color: '#c2410c', dash: '6 4' },
  'numpy-1t': { color: '#6b21a8', dash: '2 3' },
};
const fallback = { color: '#555555', dash: '4 2' };

const esc = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const fmt = (v: number): string => (v >= 1e6 ? `${v / 1e6}M` : v >= 1e3 ? `${v / 1e3}k` : v >= 1 ? String(Math.round(v)) : v.toPrecision(2));

/** One chart: `rows` of one axis, samples/s of `what` against the swept value. */
export function sweepSvg(rows: readonly PlotRow[], axis: 'width' | 'batch', what: 'train' | 'infer', title: string): string {
  const pts = rows.filter((r) => r.axis === axis);
  const xs = Array.from(new Set(pts.map((r) => r.value))).sort((a, b) => a - b);
  const ys = pts.map((r) => r[what].median).filter((v) => v > 0);
  if (xs.length === 0 || ys.length === 0) throw new Error(`sweepSvg: no ${what} results on the ${axis} axis`);
  const lx = (v: number): number => Math.log2(v);
  const [x0, x1] = [lx(xs[0]!), lx(xs[xs.length - 1]!)];
  const y0 = Math.floor(Math.log10(Math.min(...ys)));
  const y1 = Math.ceil(Math.log10(Math.max(...ys)));
  const px = (v: number): number => M.left + ((lx(v) - x0) / Math.max(x1 - x0, 1)) * (W - M.left - M.right);
  const py = (v: number): number => H - M.bottom - ((Math.log10(v) - y0) / Math.max(y1 - y0, 1)) * (H - M.top - M.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${M.left}" y="24" font-size="14" font-weight="bold">${esc(title)}</text>`,
  ];
  for (let e = y0; e <= y1; e++) {
    const y = py(10 ** e);
    out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y}" y2="${y}" stroke="#dddddd"/>`);
    out.push(`<text x="${M.left - 8}" y="${y + 4}" text-anchor="end">${fmt(10 ** e)}</text>`);
  }
  for (const v of xs) {
    const x = px(v);
    out.push(`<line x1="${x}" x2="${x}" y1="${M.top}" y2="${H - M.bottom}" stroke="#eeeeee"/>`);
    out.push(`<text x="${x}" y="${H - M.bottom + 18}" text-anchor="middle">${v}</text>`);
  }
  out.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 14}" text-anchor="middle">${axis === 'width' ? 'hidden width W (784-W-W-10, batch 64)' : 'batch (784-128-64-10)'}</text>`);
  out.push(`<text transform="translate(18 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">samples/s (log scale); labels: GFLOP/s</text>`);
  const names = Array.from(new Set(pts.map((r) => r.contestant)));
  names.forEach((name, i) => {
    const s = STYLE[name] ?? fallback;
    const line = xs.flatMap((v) => pts.filter((r) => r.contestant === name && r.value === v && r[what].median > 0));
    const d = line.map((r, j) => `${j === 0 ? 'M' : 'L'}${px(r.value).toFixed(1)},${py(r[what].median).toFixed(1)}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    for (const r of line) {
      const [x, y] = [px(r.value), py(r[what].median)];
      const gflops = what === 'train' ? r.trainGflops : r.inferGflops;
      out.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3" fill="${s.color}"><title>${esc(name)}: ${Math.round(r[what].median)} samples/s, ${gflops.toFixed(1)} GFLOP/s</title></circle>`);
      out.push(`<text x="${(x + 5).toFixed(1)}" y="${(y - 5).toFixed(1)}" font-size="10" fill="${s.color}">${gflops.toFixed(0)}</text>`);
    }
    const ly = M.top + 10 + i * 20;
    out.push(`<line x1="${W - M.right + 14}" x2="${W - M.right + 44}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    out.push(`<text x="${W - M.right + 50}" y="${ly + 4}">${esc(name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** The four charts of a sweep, as [file name, SVG]. */
export function sweepCharts(rows: readonly PlotRow[]): [string, string][] {
  return [
    ['sweep-train-width.svg', sweepSvg(rows, 'width', 'train', 'Training samples/s by hidden width')],
    ['sweep-infer-width.svg', sweepSvg(rows, 'width', 'infer', 'Inference samples/s by hidden width')],
    ['sweep-train-batch.svg', sweepSvg(rows, 'batch', 'train', 'Training samples/s by batch')],
    ['sweep-infer-batch.svg', sweepSvg(rows, 'batch', 'infer', 'Inference samples/s by batch')],
  ];
}

/** Write the charts of `results` into `dir`; returns the file names. */
export function writeSweepCharts(results: readonly PlotRow[], dir: string): string[] {
  return sweepCharts(results).map(([name, svg]) => {
    writeFileSync(join(dir, name), svg);
    return name;
  });
}

// Run alone: chart the committed results/sweep.json.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'results');
  const sweep = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as { results: PlotRow[] };
  console.log(`wrote ${writeSweepCharts(sweep.results, dir).join(', ')} in results/`);
}
