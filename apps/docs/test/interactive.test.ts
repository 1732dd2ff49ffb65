// End-to-end tests of the site's two interactive figures that compute in the page: the
// step-through of one batch (its numbers against @nabla/core's gradients computed here, in
// Node) and the in-browser benchmark (Nabla against TensorFlow.js's wasm backend in a worker).
// On the production build (build/), served on 127.0.0.1, in the pinned headless Chromium.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MLP } from '@nabla/core';
import { launchBrowser } from '@nabla/test-browser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../scripts/server.mjs';
import { formatNumber } from '../src/components/step-through/notation';
import { SETUP } from '../src/components/step-through/trace';

const artifacts = join(import.meta.dirname, '..', 'test-artifacts');

let server: { url: string; close(): Promise<void> };
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ port: 0 });
  browser = await launchBrowser();
  mkdirSync(artifacts, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a page, recording console errors, page errors, every request and those to another origin. */
async function open(
  path: string,
  viewport = { width: 1280, height: 900 },
  colorScheme: 'light' | 'dark' = 'light',
): Promise<{ page: Page; errors: string[]; foreign: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport, colorScheme });
  const errors: string[] = [];
  const foreign: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    const u = r.url();
    requests.push(u);
    if (!u.startsWith(server.url) && !u.startsWith('data:') && !u.startsWith('blob:')) foreign.push(u);
  });
  const response = await page.goto(server.url + path, { waitUntil: 'load' });
  expect(response?.status(), `${path} status`).toBe(200);
  return { page, errors, foreign, requests };
}

/**
 * a and b agree to rounding: the page runs Chromium's V8 and this test Node 20's, whose exp and
 * tanh can differ in the last bit (seen: one entry of dL/db^3 differed by one ulp). Inside the page
 * the step-through and net.gradients() are compared exactly (st-check-diff below).
 */
function expectClose(a: readonly number[], b: readonly number[], what: string): void {
  expect(a.length, what).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i]!), `${what}[${i}]: ${v} against ${b[i]}`).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(b[i]!), 1e-3)));
}

/** The full-precision entries and the printed cells of the matrix with `role` in the current step. */
async function matrix(page: Page, selector: string): Promise<{ key: string; values: number[]; cells: string[] }> {
  const m = page.locator(selector).first();
  return {
    key: (await m.getAttribute('data-key')) ?? '',
    values: JSON.parse((await m.getAttribute('data-values')) ?? '[]') as number[],
    cells: await m.locator('td').allTextContents(),
  };
}

describe('the step-through figure', () => {
  it('steps from the input to the end of the backward pass, and its dL/dW and dL/db equal net.gradients() for the same seed', async () => {
    // The reference, computed here in Node with the public API only.
    const net = new MLP(SETUP.network);
    const reference = net.gradients(
      SETUP.x.map((r) => [...r]),
      SETUP.y.map((r) => [...r]),
    ).layers;
    // ŷ as columns (predict returns a row per sample), and the loss.
    const predicted = net.predict(SETUP.x.map((r) => [...r]));
    const yHat = predicted[0]!.flatMap((_, i) => predicted.map((row) => row[i]!));
    const loss = net.evaluate(
      SETUP.x.map((r) => [...r]),
      SETUP.y.map((r) => [...r]),
    ).loss;
    const expected = new Map<string, number[]>();
    reference.forEach((l, i) => {
      expected.set(`dW${i + 1}`, Array.from(l.weights.data));
      expected.set(`db${i + 1}`, Array.from(l.bias));
    });

    const { page, errors, foreign } = await open('/docs/notes/step-through', { width: 1280, height: 1400 });
    // The static HTML describes the figure before any script runs.
    expect(await page.locator('[data-figure="step-through"] figcaption').textContent()).toContain('2-4-3-2');
    const count = Number(await page.getByTestId('st-count').textContent({ timeout: 10_000 }));
    expect(count).toBeGreaterThan(15);
    const figure = page.getByTestId('step-through');
    const seen = new Set<string>();
    const titles: string[] = [];
    for (let i = 1; i <= count; i++) {
      await expect.poll(() => page.getByTestId('st-index').textContent()).toBe(String(i));
      titles.push((await page.getByTestId('st-title').textContent()) ?? '');
      expect(await page.locator('[data-current="yes"]').count(), `step ${i} highlights one line`).toBe(1);
      if (i < count) {
        const result = await matrix(page, '[data-testid="st-picture"] [data-role="result"]');
        if (result.key === 'yhat') {
          expectClose(result.values, yHat, `step ${i}: ŷ`);
          expect(await page.getByTestId('st-picture').locator('xpath=..').textContent()).toContain(formatNumber(loss));
        }
        const want = expected.get(result.key);
        if (want) {
          // The displayed gradient is the engine's, and each cell prints it.
          expectClose(result.values, want, `step ${i}: ${result.key}`);
          expect(result.cells).toEqual(want.map(formatNumber));
          seen.add(result.key);
        }
        if (i === 2) {
          // f^1 = W^1 g^0 + b^1 1ᵀ: entry (1, 2) comes from row 1 of W^1 (2 entries), column 2 of
          // g^0 (2), row 1 of b^1 (1) and column 2 of 1ᵀ (1), outlined with the entry itself.
          await page.locator('[data-testid="st-picture"] [data-role="result"] tr').nth(1).locator('td').nth(2).hover();
          expect(await page.locator('[data-testid="st-picture"] td[class*="hot"]').count()).toBe(7);
          await page.screenshot({ path: join(artifacts, 'step-through-forward.png') });
        }
        if (result.key === 'dW2') await page.screenshot({ path: join(artifacts, 'step-through-backward.png') });
        // Half the steps by keyboard, half by the button.
        if (i % 2 === 0) {
          await figure.focus();
          await page.keyboard.press('ArrowRight');
        } else {
          await page.getByTestId('st-next').click();
        }
      }
    }
    expect(Array.from(seen).sort()).toEqual(Array.from(expected.keys()).sort());
    expect(titles[0]).toContain('batch');

    // The last step: the gradient check of every layer.
    expect(await page.getByTestId('st-check-status').getAttribute('data-pass')).toBe('yes');
    expect(Number(await page.getByTestId('st-check-max').textContent())).toBeLessThan(1e-6);
    expect(await page.getByTestId('st-check-diff').textContent()).toBe('0');
    for (let k = 1; k <= reference.length; k++) {
      const layer = `[data-testid="st-check-layer-${k}"]`;
      const analyticW = await matrix(page, `${layer} [data-role="analytic"][data-key="dW${k}"]`);
      const numericW = await matrix(page, `${layer} [data-role="numeric"][data-key="nW${k}"]`);
      const numericB = await matrix(page, `${layer} [data-role="numeric"][data-key="nb${k}"]`);
      expectClose(analyticW.values, expected.get(`dW${k}`)!, `check dW${k}`);
      // Central differences with h = 1e-6 in float64 agree to about 1e-9 on gradients of size 0.1.
      numericW.values.forEach((v, j) => expect(Math.abs(v - expected.get(`dW${k}`)![j]!)).toBeLessThan(1e-7));
      numericB.values.forEach((v, j) => expect(Math.abs(v - expected.get(`db${k}`)![j]!)).toBeLessThan(1e-7));
    }
    await page.locator('[data-figure="step-through"]').screenshot({ path: join(artifacts, 'step-through-check.png') });

    // The jumps and Previous.
    await page.getByTestId('st-backward').click();
    expect(await page.getByTestId('st-title').textContent()).toBe('Where backpropagation starts');
    await page.getByTestId('st-prev').click();
    expect(await page.getByTestId('st-title').textContent()).toBe('Softmax and the loss');
    await page.getByTestId('st-forward').click();
    expect(await page.getByTestId('st-index').textContent()).toBe('1');
    await figure.focus();
    await page.keyboard.press('End');
    expect(await page.getByTestId('st-index').textContent()).toBe(String(count));
    await page.keyboard.press('b');
    expect(await page.getByTestId('st-title').textContent()).toBe('Where backpropagation starts');

    expect(await page.locator('.katex-error').count()).toBe(0);
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('fits a narrow screen in the dark theme: the figure stacks and nothing overflows the page', async () => {
    const { page, errors } = await open('/docs/notes/step-through', { width: 420, height: 900 }, 'dark');
    await page.getByTestId('st-count').waitFor({ timeout: 10_000 });
    await page.getByTestId('st-backward').click();
    await page.getByTestId('step-through').scrollIntoViewIfNeeded();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.screenshot({ path: join(artifacts, 'step-through-narrow.png') });
    expect(overflow).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the in-browser benchmark', () => {
  it('trains with Nabla and TensorFlow.js (wasm) in a worker and prints both medians and their ratio, with no main-thread task over 100 ms', async () => {
    const { page, errors, foreign, requests } = await open('/benchmarks');
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: false });
    });
    const run = page.getByTestId('bb-run');
    await run.scrollIntoViewIfNeeded();
    await run.click();
    const started = Date.now();
    await page.getByTestId('bb-ratio').or(page.getByTestId('bb-error')).waitFor({ timeout: 45_000 });
    const seconds = (Date.now() - started) / 1000;
    if ((await page.getByTestId('bb-error').count()) > 0) throw new Error(`the benchmark failed: ${await page.getByTestId('bb-error').textContent()}`);
    const ratio = Number(await page.getByTestId('bb-ratio').textContent());
    const median = async (c: string): Promise<number> => Number((await page.getByTestId(`bb-median-${c}`).textContent())?.replaceAll(',', ''));
    const nabla = await median('nabla');
    const tfjs = await median('tfjs-wasm');
    expect(nabla).toBeGreaterThan(0);
    expect(tfjs).toBeGreaterThan(0);
    // The printed ratio is the ratio of the printed (rounded) medians, to rounding.
    expect(Math.abs(ratio - nabla / tfjs)).toBeLessThan(0.01 + 0.001 * ratio);
    expect(['relaxed', 'simd128', 'TypeScript (no WebAssembly SIMD)']).toContain(await page.getByTestId('bb-variant').textContent());
    expect(await page.getByTestId('bb-backend').textContent()).toBe('wasm');
    // TensorFlow.js's .wasm came from this site, not from a CDN.
    const wasm = requests.filter((u) => u.startsWith(`${server.url}/workers/tfjs-wasm/`) && u.endsWith('.wasm'));
    expect(wasm.length).toBeGreaterThan(0);
    // The page says it stays responsive while the worker trains.
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    expect(longTasks.filter((d) => d > 100)).toEqual([]);
    console.log(
      `in-browser benchmark: Nabla ${nabla} samples/s, TensorFlow.js wasm ${tfjs} samples/s, ratio ${ratio}, kernel ${await page.getByTestId('bb-variant').textContent()}, ` +
        `${wasm.map((u) => u.slice(u.lastIndexOf('/') + 1)).join(', ')}, ${seconds.toFixed(1)} s`,
    );
    await page.getByTestId('bb-result').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, 'benchmarks-in-browser.png') });
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });
});
