// End-to-end tests of the site's two interactive figures that compute in the page: the
// step-through of one batch (its numbers against @nabla/core's gradients computed here, in
// Node) and the in-browser benchmark (Nabla against TensorFlow.js's wasm backend in a worker).
// On the production build (build/), served on 127.0.0.1, in the pinned headless Chromium.
import { join } from 'node:path';
import { MLP } from '@nabla/core';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { formatNumber } from '../src/components/step-through/notation';
import { SETUP } from '../src/components/step-through/trace';
import { stepThroughQuery } from '../src/components/playground/step-link';
import { encodeParams, parseSetup } from '../src/components/step-through/url';
import { buildData, featureRows } from '../src/workers/playground-data';
import { Trainer } from '../src/workers/playground-engine';
import { type DataMessage, defaultConfig, type PlaygroundConfig, type SnapshotMessage } from '../src/workers/playground-protocol';
import { artifacts, type OpenedPage, openPage, serveSite, watchLongTasks } from './harness';


const site = serveSite();

/** Opens a page of the site in a viewport and colour scheme, recording errors and requests. */
const open = (path: string, viewport = { width: 1280, height: 900 }, colorScheme: 'light' | 'dark' = 'light'): Promise<OpenedPage> =>
  openPage(site, path, { viewport, colorScheme });

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

/** Every step's result matrix by key (the last step of each key wins), walking the figure from the first step to the check. */
async function walk(page: Page): Promise<{ count: number; results: Map<string, { rows: number; cols: number; values: number[] }> }> {
  const count = Number(await page.getByTestId('st-count').textContent({ timeout: 10_000 }));
  const results = new Map<string, { rows: number; cols: number; values: number[] }>();
  for (let i = 1; i < count; i++) {
    await expect.poll(() => page.getByTestId('st-index').textContent()).toBe(String(i));
    const m = page.locator('[data-testid="st-picture"] [data-role="result"]').first();
    results.set((await m.getAttribute('data-key')) ?? '', {
      rows: Number(await m.getAttribute('data-rows')),
      cols: Number(await m.getAttribute('data-cols')),
      values: JSON.parse((await m.getAttribute('data-values')) ?? '[]') as number[],
    });
    await page.getByTestId('st-next').click();
  }
  return { count, results };
}

/** The TeX of the lines of the notes listed on the left of the figure. */
const lineTex = (page: Page): Promise<string[]> => page.locator('[data-phase] annotation').allTextContents();

/** A network's parameters flat as the link carries them: W^k row-major then b^k, layer by layer. */
const flat = (net: MLP): number[] => net.getParameters().flatMap((l) => [...l.weights.data, ...l.bias]);

describe('the step-through figure from a link', () => {
  it('stepThroughQuery(config, data, snapshot) carries the trainer\'s network, parameters and three samples of its last batch; parseSetup reads them back', () => {
    for (const patch of [{ hidden: [5, 3], activations: ['relu', 'tanh'] }, { dataset: 'plane', problem: 'regression', features: ['x1', 'x2', 'sinx1'], hidden: [4] }] as Partial<PlaygroundConfig>[]) {
      const config = { ...defaultConfig, ...patch } as PlaygroundConfig;
      const data = buildData(config);
      const t = new Trainer(config, data);
      for (let i = 0; i < 4; i++) expect(t.step().ok).toBe(true);
      const snapshot = { params: t.params(), sizes: t.net.sizes, steps: t.steps, lastBatch: t.lastBatch } as unknown as SnapshotMessage;
      const parsed = parseSetup(`?${stepThroughQuery(config, data as unknown as DataMessage, snapshot)}`);
      expect(parsed.message).toBeUndefined();
      const { setup } = parsed;
      expect(setup.network.sizes).toEqual(t.net.sizes);
      expect(setup.network.activation).toEqual(config.activations.slice(0, config.hidden.length));
      expect(setup.network.loss).toBe(data.classes > 0 ? 'cross-entropy' : 'mse');
      expect(setup.steps).toBe(4);
      expect(Array.from(setup.params!)).toEqual(Array.from(t.params()));
      const picks = Array.from(t.lastBatch).slice(0, 3);
      const rows = featureRows(Float64Array.from(picks.flatMap((p) => [data.points[2 * p]!, data.points[2 * p + 1]!])), config.features);
      expect(setup.x.flat()).toEqual(Array.from(Float32Array.from(rows)));
      expect(setup.y.map((r) => (data.classes > 0 ? r.indexOf(1) : r[0]))).toEqual(picks.map((p) => Math.fround(data.targets[p]!)));
    }
    // Larger than the figure shows: only the sizes, and the figure says why.
    const big = { ...defaultConfig, hidden: [12, 4], activations: ['tanh', 'tanh'] } as PlaygroundConfig;
    const query = stepThroughQuery(big, buildData(big) as unknown as DataMessage, null);
    expect(query).toBe('sizes=2-12-4-2');
    expect(parseSetup(`?${query}`).message).toContain('2-12-4-2 is larger than the figure shows legibly');
  });

  it('shows the network a playground-style URL names, with its shapes, and its dL/dW and dL/db equal net.gradients() for those parameters and that batch', async () => {
    // Parameters of another network (float32, as the playground trains), not those of the link's seed.
    const trained = new MLP({ sizes: [3, 5, 4, 3], activation: ['relu', 'sigmoid'], seed: 11 });
    const params = flat(trained);
    const x = [
      [0.5, -1.25, 0.3],
      [1.5, 0.25, -2],
      [-0.75, 0.8, 1],
    ];
    const labels = [2, 0, 1];
    const y = labels.map((c) => [0, 1, 2].map((i) => (i === c ? 1 : 0)));
    const query = `sizes=3-5-4-3&act=relu,sigmoid&out=softmax&loss=cross-entropy&seed=3&x=${x.map((r) => r.join(',')).join('%3B')}&y=${labels.join(',')}&w=${encodeParams(params)}&steps=42`;
    expect(encodeParams(params)[0]).toBe('f');
    // The reference, in Node with the public API: the same network in float64 with those parameters.
    const net = new MLP({ sizes: [3, 5, 4, 3], activation: ['relu', 'sigmoid'], output: 'softmax', loss: 'cross-entropy', dtype: 'float64', seed: 3 });
    net.setParameters(trained.getParameters().map((l) => ({ weights: l.weights, bias: l.bias })));
    const reference = net.gradients(x, y).layers;
    const { page, errors, foreign } = await open(`/docs/notes/step-through?${query}`, { width: 1280, height: 1400 });
    const { count, results } = await walk(page);
    expect(await page.getByTestId('st-source').getAttribute('data-sizes')).toBe('3-5-4-3');
    expect(await page.getByTestId('st-source').textContent()).toContain('after 42 batches');
    expect(await page.getByTestId('st-message').count()).toBe(0);
    expect(await page.locator('[data-figure="step-through"] figcaption').textContent()).toContain('3-5-4-3 (relu, sigmoid hidden layers');
    // 1 input step, 2 per hidden layer, 1 for the output layer, the loss, the start of the backward pass, 2 per layer and 2 per hidden layer back, the check.
    expect(count).toBe(1 + 2 * 2 + 2 + 1 + 3 * 2 + 2 * 2 + 1);
    const sizes = [3, 5, 4, 3];
    expect(results.get('g0')).toMatchObject({ rows: 3, cols: 3, values: [0.5, 1.5, -0.75, -1.25, 0.25, 0.8, 0.3, -2, 1] });
    for (let k = 1; k <= 3; k++) {
      const dW = results.get(`dW${k}`)!;
      const db = results.get(`db${k}`)!;
      expect([dW.rows, dW.cols], `dW${k} shape`).toEqual([sizes[k], sizes[k - 1]]);
      expect([db.rows, db.cols], `db${k} shape`).toEqual([sizes[k], 1]);
      expectClose(dW.values, Array.from(reference[k - 1]!.weights.data), `dW${k}`);
      expectClose(db.values, Array.from(reference[k - 1]!.bias), `db${k}`);
    }
    // The weights shown are the link's, not the seed's.
    await page.getByTestId('st-forward').click();
    await page.getByTestId('st-next').click();
    expect((await matrix(page, '[data-testid="st-picture"] [data-key="W1"]')).values).toEqual(params.slice(0, 15));
    await page.screenshot({ path: join(artifacts, 'step-through-link-forward.png') });
    await page.getByTestId('st-end').click();
    expect(await page.getByTestId('st-check-status').getAttribute('data-pass')).toBe('yes');
    expect(await page.getByTestId('st-check-diff').textContent()).toBe('0');
    expect(await page.locator('.katex-error').count()).toBe(0);
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('a regression link (linear output, mean squared error, float64 parameters) shows the mse lines and dL/df^L = 2/(n_L B)(ŷ - y)', async () => {
    const trained = new MLP({ sizes: [2, 6, 1], activation: 'tanh', output: 'linear', loss: 'mse', dtype: 'float64', seed: 5 });
    const params = flat(trained);
    const x = [
      [0.1, 0.2],
      [-1, 0.5],
      [2, -0.25],
    ];
    const y = [[0.3], [-1.2], [0.5]];
    const w = encodeParams(params);
    expect(w[0]).toBe('d');
    const query = `sizes=2-6-1&act=tanh&out=linear&loss=mse&seed=1&x=${x.map((r) => r.join(',')).join('%3B')}&y=${y.join('%3B')}&w=${w}`;
    const reference = trained.gradients(x, y);
    const { page, errors } = await open(`/docs/notes/step-through?${query}`, { width: 1280, height: 1200 });
    const { results } = await walk(page);
    const tex = await lineTex(page);
    expect(tex.some((t) => t.includes('\\hat y = f^{2}') && t.includes('(\\hat y_{ij} - y_{ij})^2'))).toBe(true);
    expect(tex).toContain('\\frac{\\partial \\mathcal{L}}{\\partial f^{2}} = \\tfrac{2}{n_{2} B}(\\hat y - y)');
    expect(tex.join(' ')).not.toContain('softmax');
    const yHat = trained.predict(x).map((r) => r[0]!);
    expectClose(results.get('df2')!.values, yHat.map((v, j) => (2 / 3) * (v - y[j]![0]!)), 'dL/df^2');
    for (let k = 1; k <= 2; k++) {
      expectClose(results.get(`dW${k}`)!.values, Array.from(reference.layers[k - 1]!.weights.data), `dW${k}`);
      expectClose(results.get(`db${k}`)!.values, Array.from(reference.layers[k - 1]!.bias), `db${k}`);
    }
    await page.getByTestId('st-backward').click();
    await page.screenshot({ path: join(artifacts, 'step-through-link-regression.png') });
    expect(await page.locator('.katex-error').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a malformed, too large or inconsistent link shows a message naming the problem and the default 2-4-3-2 figure', async () => {
    const cases: [string, string][] = [
      ['sizes=3-5-x&x=1,2,3&y=0', 'sizes must be'],
      ['sizes=2-16-2&x=1,2&y=0', 'larger than the figure shows'],
      ['sizes=2-3-2&act=tanh&x=1,2%3B3,4&y=0,7', 'y: the class of sample 2'],
      ['sizes=2-3-2&act=tanh&x=1,2&y=0&w=fAAAAAAAAAAA', 'w holds 2 parameters, the network has 17'],
      ['sizes=2-3-2&act=swish&x=1,2&y=0', 'unknown activation "swish"'],
      [`sizes=2-3-2&x=${'1,'.repeat(4000)}`, 'characters long'],
    ];
    for (const [query, words] of cases) {
      const { page, errors } = await open(`/docs/notes/step-through?${query}`, { width: 1280, height: 1000 });
      await expect.poll(() => page.getByTestId('st-message').textContent({ timeout: 10_000 })).toContain(words);
      expect(await page.getByTestId('st-message').textContent()).toContain('own 2-4-3-2 network');
      expect(await page.getByTestId('st-count').textContent()).toBe('19');
      expect(await page.getByTestId('st-source').count()).toBe(0);
      await page.getByTestId('st-next').click();
      const w1 = await matrix(page, '[data-testid="st-picture"] [data-key="W1"]');
      expect(w1.values).toEqual(flat(new MLP(SETUP.network)).slice(0, 8));
      if (words === 'larger than the figure shows') await page.locator('[data-figure="step-through"]').screenshot({ path: join(artifacts, 'step-through-link-bad.png') });
      expect(errors).toEqual([]);
      await page.close();
    }
  });
});

describe('the in-browser benchmark', () => {
  it('trains with Nabla (one and two threads) and TensorFlow.js (wasm) in a worker and prints the medians and their ratios, with no main-thread task over 100 ms', async () => {
    const { page, errors, foreign, requests } = await open('/benchmarks');
  await watchLongTasks(page);
    const run = page.getByTestId('bb-run');
    await run.scrollIntoViewIfNeeded();
    await run.click();
    const started = Date.now();
    await page.getByTestId('bb-ratio').or(page.getByTestId('bb-error')).waitFor({ timeout: 90_000 });
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
    // The test server sends COOP/COEP, so the page is isolated and Nabla runs on two threads too,
    // training the very same model (the same loss, bit for bit) as on one.
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const nabla2t = await median('nabla-2t');
    expect(nabla2t).toBeGreaterThan(0);
    const ratio2t = Number(await page.getByTestId('bb-ratio-2t').textContent());
    expect(Math.abs(ratio2t - nabla2t / tfjs)).toBeLessThan(0.01 + 0.001 * ratio2t);
    expect(await page.getByTestId('bb-same-loss').textContent()).toBe('the same loss after every run, bit for bit');
    // TensorFlow.js's .wasm came from this site, not from a CDN.
    const wasm = requests.filter((u) => u.startsWith(`${site.url}/workers/tfjs-wasm/`) && u.endsWith('.wasm'));
    expect(wasm.length).toBeGreaterThan(0);
    // The page says it stays responsive while the worker trains.
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    expect(longTasks.filter((d) => d > 100)).toEqual([]);
    console.log(
      `in-browser benchmark: Nabla ${nabla} samples/s (two threads ${nabla2t}), TensorFlow.js wasm ${tfjs} samples/s, ratio ${ratio} (${ratio2t}), kernel ${await page.getByTestId('bb-variant').textContent()}, ` +
        `${wasm.map((u) => u.slice(u.lastIndexOf('/') + 1)).join(', ')}, ${seconds.toFixed(1)} s`,
    );
    await page.getByTestId('bb-result').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, 'benchmarks-in-browser.png') });
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  }, 150_000);
});
