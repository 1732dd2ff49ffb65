// The benchmark page's round-two sections rendered to HTML (as the static build does) from
// results files that lack them: each says so instead of failing the build or drawing nothing.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import NumpySection from '../src/components/bench/NumpySection';
import PeakSection from '../src/components/bench/PeakSection';
import SweepSection from '../src/components/bench/SweepSection';
import ThreadsSection from '../src/components/bench/ThreadsSection';

const html = (el: Parameters<typeof renderToStaticMarkup>[0]): string => renderToStaticMarkup(el);
const absences = (s: string): number => s.split('data-testid="bench-absent"').length - 1;

describe('the round-two sections of /benchmarks on an older results file', () => {
  it('PeakSection({ speed: {} }) says the peak and the SIMD GEMMs are absent', () => {
    const out = html(createElement(PeakSection, { speed: {} }));
    expect(out).toContain('Against the platform&#x27;s limit');
    expect(absences(out)).toBe(2);
    expect(out).toContain('section peak');
    expect(out).not.toContain('<table');
  });

  it('NumpySection({ speed }) without numpy-1t says NumPy is absent and draws no table', () => {
    const speed = { training: { results: [{ name: 'nabla', config: 'x', samplesPerSecond: { median: 1, min: 1, max: 1 } }] } };
    const out = html(createElement(NumpySection, { speed }));
    expect(absences(out)).toBe(1);
    expect(out).toContain('numpy-1t');
    expect(out).not.toContain('data-testid="numpy-table"');
  });

  it('ThreadsSection({ speed: {} }) says the threads run is absent', () => {
    const out = html(createElement(ThreadsSection, { speed: {} }));
    expect(out).toContain('Both cores');
    expect(absences(out)).toBe(1);
    expect(out).not.toContain('<table');
  });

  it('SweepSection({ sweep: {} }) says the sweep is absent and draws no chart', () => {
    const out = html(createElement(SweepSection, { sweep: {} }));
    expect(out).toContain('How cost grows');
    expect(absences(out)).toBe(1);
    expect(out).toContain('pnpm bench:speed --only=sweep');
    expect(out).not.toContain('data-chart=');
  });

  it('SweepSection draws only the contestants a file has: one path each, and no empty axis', () => {
    const stat = (m: number) => ({ median: m, min: m, max: m });
    const row = (value: number, contestant: string, m: number) => ({
      axis: 'batch',
      value,
      sizes: [784, 128, 64, 10],
      batch: value,
      contestant,
      train: stat(m),
      infer: stat(2 * m),
      trainGflops: m / 1000,
      inferGflops: m / 500,
    });
    const sweep = { rounds: 1, results: [row(1, 'nabla-1t', 100), row(4, 'nabla-1t', 300), row(16, 'nabla-1t', 900), row(1, 'tfjs-wasm', 50), row(16, 'tfjs-wasm', 200)] };
    const out = html(createElement(SweepSection, { sweep }));
    expect(out.match(/data-chart="/g)?.length).toBe(2);
    const paths = Array.from(out.matchAll(/<path d="([^"]*)"[^>]*data-contestant="([^"]*)"/g), (m) => ({ d: m[1]!, name: m[2]! }));
    expect(paths.map((p) => p.name)).toEqual(['nabla-1t', 'tfjs-wasm', 'nabla-1t', 'tfjs-wasm']);
    // tfjs-wasm has no batch 4: its line has two points, and its table cell says so.
    expect(paths.map((p) => (p.d.match(/[ML]/g) ?? []).length)).toEqual([3, 2, 3, 2]);
    expect(out).toContain('<td data-contestant="tfjs-wasm">—</td>');
  });
});
