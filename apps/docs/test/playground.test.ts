// End-to-end tests of the playground page (/playground) on the production build, served on
// 127.0.0.1 and driven in the pinned headless Chromium; screenshots of each mode go to
// test-artifacts/. The worker's trainer is also run in Node to check what one step is.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkpointSchedule, simulateSchedule } from '@nabla/core';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parseUrlState } from '../src/components/playground/url';
import { buildData } from '../src/workers/playground-data';
import { strategyOf, Trainer } from '../src/workers/playground-engine';
import { controlNames } from '../src/components/playground/url';
import { artifacts, longTasks, openPage, serveSite, watchLongTasks } from './harness';

const site = serveSite();

/** Open /playground?query, record errors and foreign requests, wait for the first snapshot. */
async function open(query: string): Promise<{ page: Page; errors: string[]; foreign: string[] }> {
  const { page, errors, foreign } = await openPage(site, `/playground${query ? `?${query}` : ''}`, { viewport: { width: 1400, height: 1300 } });
  await expect.poll(() => page.getByTestId('pg-loss-train').getAttribute('data-value'), { timeout: 15_000 }).not.toBe('');
  return { page, errors, foreign };
}

const num = async (page: Page, id: string): Promise<number> => Number(await page.getByTestId(id).textContent());
const lossOf = async (page: Page, id = 'pg-loss-train'): Promise<number> => Number(await page.getByTestId(id).getAttribute('data-value'));

/** Click "step" n times and wait until the page shows n more batches. */
async function steps(page: Page, n: number): Promise<void> {
  const before = await num(page, 'pg-steps');
  for (let i = 0; i < n; i++) await page.getByTestId('pg-step').click();
  await expect.poll(() => num(page, 'pg-steps')).toBe(before + n);
}

/** Press pause and wait until the worker's last snapshot has been drawn (the batch count holds still). */
async function pause(page: Page): Promise<void> {
  await page.getByTestId('pg-play').click();
  await settled(page);
}

/** Wait until the worker has stopped and its last snapshot is drawn. */
async function settled(page: Page): Promise<void> {
  await expect.poll(() => page.getByTestId('pg-play').getAttribute('aria-label')).toBe('Play');
  let last = -1;
  await expect
    .poll(async () => {
      const now = await num(page, 'pg-steps');
      const still = now === last;
      last = now;
      return still;
    }, { interval: 200 })
    .toBe(true);
}

const SPIRAL = 'dataset=spiral&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2&hidden=8,8,6&activation=tanh&optimizer=adam&learningRate=0.01&batchSize=10';

describe('the playground page', () => {
  it('spiral: the displayed training loss falls below 0.05 within 15 s of play, with no main-thread task over 50 ms in 4 s of training', async () => {
    const { page, errors, foreign } = await open(SPIRAL);
    const first = await lossOf(page);
    await watchLongTasks(page);
    await page.getByTestId('pg-play').click();
    await page.waitForTimeout(4000);
    await expect.poll(() => lossOf(page), { timeout: 11_000, interval: 250 }).toBeLessThan(0.05);
    const tasks = await longTasks(page);
    await pause(page);
    expect(await num(page, 'pg-steps')).toBeGreaterThan(1000);
    expect(first).toBeGreaterThan(0.5);
    expect(tasks.filter((d) => d > 50)).toEqual([]);
    expect(await page.locator('[data-figure="network"] svg').count()).toBeGreaterThan(0);
    expect(await page.locator('canvas[data-unit]').count()).toBe(2 + 7 + 8 + 8 + 6 - 2);
    await page.screenshot({ path: join(artifacts, 'playground-spiral.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('a shared URL restores every control and gives the same loss after 25 steps, bit for bit', async () => {
    const query =
      'dataset=xor&noise=10&ratio=60&samples=300&dataSeed=3&features=x1,x2,x1x2&hidden=5,3&activation=relu,tanh&dropout=0.1,0&learningRate=0.01&batchSize=7&regularization=l2&regRate=0.001&problem=classification&seed=9&optimizer=momentum&schedule=exponential&checkpoint=every&checkpointK=2&resolution=30&targetLoss=0.01&maxEpochs=500&slowMotion=0&showTest=1&discretize=1';
    const a = await open(query);
    const values: Record<string, string> = {
      'pg-dataset': 'xor',
      'pg-noise': '10',
      'pg-ratio': '60',
      'pg-samples': '300',
      'pg-activation-0': 'relu',
      'pg-activation-1': 'tanh',
      'pg-dropout-0': '0.1',
      'pg-dropout-1': '0',
      'pg-learningRate': '0.01',
      'pg-batchSize': '7',
      'pg-regularization': 'l2',
      'pg-regRate': '0.001',
      'pg-problem': 'classification',
      'pg-seed': '9',
      'pg-optimizer': 'momentum',
      'pg-schedule': 'exponential',
      'pg-checkpoint': 'every',
      'pg-checkpointK': '2',
      'pg-resolution': '30',
      'pg-targetLoss': '0.01',
      'pg-maxEpochs': '500',
      'pg-slowMotion': '0',
    };
    for (const [id, v] of Object.entries(values)) expect(await a.page.getByTestId(id).inputValue(), id).toBe(v);
    for (const f of ['x1', 'x2', 'x1x2']) expect(await a.page.getByTestId(`pg-feature-${f}`).isChecked(), f).toBe(true);
    for (const f of ['x1sq', 'x2sq', 'sinx1', 'sinx2', 'cosx1', 'cosx2']) expect(await a.page.getByTestId(`pg-feature-${f}`).isChecked(), f).toBe(false);
    expect(await a.page.getByTestId('pg-showTest').isChecked()).toBe(true);
    expect(await a.page.getByTestId('pg-discretize').isChecked()).toBe(true);
    expect(await a.page.locator('[data-testid^="pg-layer-"]').count()).toBe(2);
    // The address bar the page writes back holds the same state.
    expect(parseUrlState(new URL(a.page.url()).search)).toEqual(parseUrlState(query));
    await steps(a.page, 25);
    const lossA = await lossOf(a.page);
    const testA = await lossOf(a.page, 'pg-loss-test');
    const shared = a.page.url();
    await a.page.close();
    const b = await open(new URL(shared).search.slice(1));
    await steps(b.page, 25);
    expect(await lossOf(b.page)).toBe(lossA);
    expect(await lossOf(b.page, 'pg-loss-test')).toBe(testA);
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
    await b.page.close();
  });

  it('step trains on exactly one batch: the page matches the trainer run in Node for one step, not zero or two', async () => {
    const query = 'dataset=circle&hidden=4,2&activation=tanh&learningRate=0.3&batchSize=10';
    const { page, errors } = await open(query);
    const state = parseUrlState(query);
    const t = new Trainer(state.config, buildData(state.config));
    const losses = [t.metrics().trainLoss];
    for (let i = 0; i < 2; i++) {
      expect(t.step().ok).toBe(true);
      losses.push(t.metrics().trainLoss);
    }
    // Float32 kernels may round differently in Chromium (fused multiply-add) and Node; the steps differ by far more.
    expect(Math.abs(losses[1]! - losses[0]!)).toBeGreaterThan(1e-3);
    expect(Math.abs(losses[2]! - losses[1]!)).toBeGreaterThan(1e-3);
    expect(await lossOf(page)).toBeCloseTo(losses[0]!, 5);
    await steps(page, 1);
    expect(await num(page, 'pg-steps')).toBe(1);
    expect(await lossOf(page)).toBeCloseTo(losses[1]!, 5);
    // The plot rings the batch just trained on: batchSize points.
    await expect.poll(() => page.locator('canvas[data-figure="boundary"]').getAttribute('data-batch')).toBe('10');
    await page.locator('canvas[data-figure="boundary"]').screenshot({ path: join(artifacts, 'playground-step.png') });
    await steps(page, 1);
    expect(await lossOf(page)).toBeCloseTo(losses[2]!, 5);
    // Reset: a fresh network from the same seed, at step 0 with the first loss again.
    await page.getByTestId('pg-reset').click();
    await expect.poll(() => num(page, 'pg-steps')).toBe(0);
    await expect.poll(() => lossOf(page)).toBeCloseTo(losses[0]!, 5);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('an epoch limit stops training with a message; slow motion trains at most the chosen batches per second', async () => {
    const { page, errors } = await open('dataset=circle&samples=200&ratio=50&batchSize=10&maxEpochs=3');
    await page.getByTestId('pg-play').click();
    await expect.poll(() => page.getByTestId('pg-stopped').textContent(), { timeout: 10_000 }).toContain('after 3 epochs');
    await settled(page);
    expect(await num(page, 'pg-epoch')).toBe(3);
    expect(await num(page, 'pg-steps')).toBe(30);
    await page.close();
    const slow = await open('dataset=circle&slowMotion=4');
    await slow.page.getByTestId('pg-play').click();
    await slow.page.waitForTimeout(1000);
    await pause(slow.page);
    const n = await num(slow.page, 'pg-steps');
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThanOrEqual(8);
    expect(errors).toEqual([]);
    expect(slow.errors).toEqual([]);
    await slow.page.close();
  });

  it('3-class blobs train with softmax: test accuracy above 90% and a 3 x 3 confusion matrix', async () => {
    const { page, errors } = await open('dataset=blobs&classes=3&hidden=6&activation=tanh&learningRate=0.1&noise=10');
    await watchLongTasks(page);
    await page.getByTestId('pg-play').click();
    await expect.poll(async () => Number.parseFloat((await page.getByTestId('pg-acc-test').textContent()) ?? '0'), { timeout: 15_000 }).toBeGreaterThan(90);
    await page.getByTestId('pg-play').click();
    expect((await longTasks(page)).filter((d) => d > 50)).toEqual([]);
    expect(await page.locator('[data-testid="pg-confusion"] td').count()).toBe(9);
    await page.getByTestId('pg-showTest').check();
    await page.screenshot({ path: join(artifacts, 'playground-blobs.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('MNIST digits: the subset prepared at build time trains to over 75% test accuracy, digits drawn with their predictions, a 10 x 10 confusion matrix', async () => {
    const { page, errors } = await open('dataset=mnist&hidden=32&activation=relu&optimizer=adam&learningRate=0.003&batchSize=20');
    expect(await page.getByTestId('pg-data-desc').textContent()).toContain('1000 images');
    await page.getByTestId('pg-play').click();
    await expect.poll(async () => Number.parseFloat((await page.getByTestId('pg-acc-test').textContent()) ?? '0'), { timeout: 15_000 }).toBeGreaterThan(75);
    await pause(page);
    expect(await page.locator('[data-testid="pg-confusion"] td').count()).toBe(100);
    expect(await page.locator('canvas[data-figure="digits"]').count()).toBe(1);
    expect(await page.locator('canvas[data-figure="boundary"]').count()).toBe(0);
    await page.screenshot({ path: join(artifacts, 'playground-mnist.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('regression: multi-Gaussian trains, R² and RMSE shown', async () => {
    const { page, errors } = await open('dataset=multigauss&hidden=8,8&activation=tanh&optimizer=adam&learningRate=0.03');
    await page.getByTestId('pg-play').click();
    await expect.poll(() => num(page, 'pg-r2'), { timeout: 15_000 }).toBeGreaterThan(0.5);
    await page.getByTestId('pg-play').click();
    expect(await num(page, 'pg-rmse')).toBeGreaterThan(0);
    await page.screenshot({ path: join(artifacts, 'playground-regression.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('CSV upload trains; a ragged CSV shows the error and leaves the previous data in place', async () => {
    const { page, errors } = await open('hidden=6&activation=tanh&learningRate=0.1');
    const rows = ['a,b,colour,label'];
    for (let i = 0; i < 200; i++) {
      const a = Math.sin(i * 1.7) * 3;
      const b = Math.cos(i * 2.3) * 3;
      rows.push(`${a.toFixed(3)},${b.toFixed(3)},${i % 3},${a * b > 0 ? 'same' : 'different'}`);
    }
    await page.getByTestId('pg-csv').setInputFiles({ name: 'signs.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
    await expect.poll(() => page.getByTestId('pg-data-desc').textContent()).toContain('signs.csv');
    expect(await page.getByTestId('pg-data-desc').textContent()).toContain('2 classes');
    await page.getByTestId('pg-feature-x1x2').check();
    await page.getByTestId('pg-play').click();
    await expect.poll(async () => Number.parseFloat((await page.getByTestId('pg-acc-train').textContent()) ?? '0'), { timeout: 15_000 }).toBeGreaterThan(90);
    await pause(page);
    const stepsBefore = await num(page, 'pg-steps');
    const ragged = 'a,b,label\n1,2,x\n3,4\n5,6,y\n';
    await page.getByTestId('pg-csv').setInputFiles({ name: 'ragged.csv', mimeType: 'text/csv', buffer: Buffer.from(ragged) });
    await expect.poll(() => page.getByTestId('pg-error').textContent()).toMatch(/ragged\.csv.*line 3/);
    expect(await page.getByTestId('pg-data-desc').textContent()).toContain('signs.csv');
    expect(await page.getByTestId('pg-dataset').inputValue()).toBe('csv');
    expect(await num(page, 'pg-steps')).toBe(stepsBefore);
    // A file whose feature column is not numeric is refused by the worker, and the data stays too.
    await page.getByTestId('pg-csv').setInputFiles({ name: 'words.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b,label\n1,x,0\n2,y,1\n3,z,0\n') });
    await expect.poll(() => page.getByTestId('pg-error').textContent()).toContain('words.csv');
    expect(await page.getByTestId('pg-data-desc').textContent()).toContain('signs.csv');
    // Nothing was rebuilt: the run goes on from where it was, on the previous file.
    await page.waitForTimeout(300);
    expect(await num(page, 'pg-steps')).toBe(stepsBefore);
    expect(await page.getByTestId('pg-csv-target').inputValue()).toBe('label');
    await steps(page, 1);
    expect(await page.getByTestId('pg-data-desc').textContent()).toContain('signs.csv');
    await page.screenshot({ path: join(artifacts, 'playground-csv.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('changing the checkpoint strategy sets the memory meter to what simulateSchedule predicts, and the loss goes on unchanged', async () => {
    const query = 'dataset=circle&hidden=6,6,6,6,6,6&activation=tanh&learningRate=0.03&batchSize=10&checkpoint=none';
    const sizes = [2, 6, 6, 6, 6, 6, 6, 2];
    const L = sizes.length - 1;
    const predicted = (choice: 'none' | 'every' | 'sqrt' | 'budget', k: number): { bytes: number; forwards: number } => {
      const sim = simulateSchedule(L, checkpointSchedule(L, strategyOf(choice, k, L)), sizes);
      return { bytes: sim.peakUnits * 10 * 4, forwards: sim.forwardEvaluations };
    };
    const a = await open(query);
    await steps(a.page, 10);
    const expectMeter = async (choice: 'none' | 'every' | 'sqrt' | 'budget', k: number): Promise<void> => {
      const p = predicted(choice, k);
      await expect.poll(() => num(a.page, 'pg-ckpt-bytes')).toBe(p.bytes);
      expect(await num(a.page, 'pg-ckpt-predicted')).toBe(p.bytes);
      expect(await num(a.page, 'pg-ckpt-forwards')).toBe(p.forwards);
      expect(await num(a.page, 'pg-ckpt-diff')).toBe(0);
    };
    await expectMeter('none', 2);
    const loss10 = await lossOf(a.page);
    await a.page.getByTestId('pg-checkpoint').selectOption('sqrt');
    await expectMeter('sqrt', 2);
    expect(predicted('sqrt', 2).bytes).toBeLessThan(predicted('none', 2).bytes);
    expect(await lossOf(a.page)).toBe(loss10);
    await a.page.getByTestId('pg-checkpoint').selectOption('budget');
    await a.page.getByTestId('pg-checkpointK').fill('2');
    await expectMeter('budget', 2);
    await steps(a.page, 10);
    const mixed = await lossOf(a.page);
    await a.page.locator('[data-panel="checkpoint"]').screenshot({ path: join(artifacts, 'playground-checkpointing.png') });
    // The same 20 steps storing every activation throughout give the same loss.
    const b = await open(query);
    await steps(b.page, 20);
    expect(await lossOf(b.page)).toBe(mixed);
    expect(a.errors).toEqual([]);
    await a.page.close();
    await b.page.close();
  });

  it('a click on an edge edits its weight; a target loss stops training with a message', async () => {
    const { page, errors } = await open('dataset=gauss&hidden=3&activation=tanh&learningRate=0.03&targetLoss=0.05');
    const circles = await page.locator('[data-figure="network"] svg circle').evaluateAll((cs) =>
      cs.map((c) => {
        const r = c.getBoundingClientRect();
        return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
      }),
    );
    const xs = Array.from(new Set(circles.map((c) => Math.round(c.x)))).sort((a, b) => a - b);
    expect(xs.length).toBe(3);
    const from = circles.find((c) => Math.round(c.x) === xs[0])!;
    const to = circles.find((c) => Math.round(c.x) === xs[1])!;
    const before = await lossOf(page);
    await page.mouse.click((from.x + to.x) / 2, (from.y + to.y) / 2);
    const editor = page.getByTestId('pg-edge-editor');
    await editor.waitFor();
    expect(await editor.textContent()).toMatch(/W1\[\d\]\[\d\]/);
    await editor.locator('input').fill('4');
    await editor.locator('input').press('Enter');
    await expect.poll(() => lossOf(page)).not.toBe(before);
    await page.getByTestId('pg-play').click();
    await expect.poll(() => page.getByTestId('pg-stopped').textContent(), { timeout: 15_000 }).toContain('reached the target 0.05');
    await expect.poll(() => lossOf(page)).toBeLessThanOrEqual(0.05);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a network larger than TensorFlow Playground allows (8 layers, up to 64 units) trains on the three-arm spiral, its diagram elided', async () => {
    const { page, errors } = await open('dataset=spiral3&hidden=64,48,32,32,16,16,8,8&activation=relu&optimizer=adam&learningRate=0.003&batchSize=20');
    expect(await page.locator('[data-testid^="pg-layer-"]').count()).toBe(8);
    await page.getByTestId('pg-play').click();
    await expect.poll(() => lossOf(page), { timeout: 15_000 }).toBeLessThan(0.5);
    await pause(page);
    expect(await page.locator('[data-figure="network"]').textContent()).toMatch(/more/);
    await page.screenshot({ path: join(artifacts, 'playground-large.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the component embedded in the guide page trains with its props as initial state and leaves the address alone', async () => {
    const page = await site.browser.newPage({ viewport: { width: 1400, height: 1300 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${site.url}/docs/guides/playground`, { waitUntil: 'load' });
    await expect.poll(() => page.getByTestId('pg-loss-train').getAttribute('data-value'), { timeout: 15_000 }).not.toBe('');
    expect(await page.getByTestId('pg-dataset').inputValue()).toBe('spiral');
    expect(await page.getByTestId('pg-optimizer').inputValue()).toBe('adam');
    expect(await page.locator('[data-testid^="pg-layer-"]').count()).toBe(2);
    expect(await page.locator('[data-control="csv"], [data-control="model"]').count()).toBe(0);
    const first = await lossOf(page);
    await page.getByTestId('pg-play').click();
    await expect.poll(() => lossOf(page), { timeout: 15_000 }).toBeLessThan(first / 2);
    await pause(page);
    expect(new URL(page.url()).search).toBe('');
    await page.locator('[data-testid="playground"]').screenshot({ path: join(artifacts, 'playground-embedded.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('every control can be hidden through the URL', async () => {
    const all = await open('dataset=blobs&checkpoint=every');
    for (const name of controlNames) expect(await all.page.locator(`[data-control="${name}"]`).count(), `${name} is shown by default`).toBeGreaterThan(0);
    await all.page.close();
    const none = await open(`dataset=blobs&checkpoint=every&hide=${controlNames.join(',')}`);
    for (const name of controlNames) expect(await none.page.locator(`[data-control="${name}"]`).count(), `${name} is hidden`).toBe(0);
    // The figures stay: hiding is for controls.
    expect(await none.page.locator('canvas[data-figure="boundary"]').count()).toBe(1);
    await none.page.screenshot({ path: join(artifacts, 'playground-classroom.png'), fullPage: true });
    await none.page.close();
    const some = await open('hide=dataset,features');
    expect(await some.page.locator('[data-control="dataset"]').count()).toBe(0);
    expect(await some.page.locator('[data-control="features"]').count()).toBe(0);
    expect(await some.page.locator('[data-control="noise"]').count()).toBe(1);
    await some.page.close();
  });

  it('divergence stops training with a message and keeps the last finite weights; export and load the model JSON', async () => {
    const { page, errors } = await open('dataset=plane&hidden=8,8&activation=linear&optimizer=sgd&learningRate=1&batchSize=10');
    await page.getByTestId('pg-play').click();
    await expect.poll(() => page.getByTestId('pg-stopped').textContent(), { timeout: 15_000 }).toContain('diverged');
    await settled(page);
    expect(Number.isFinite(await lossOf(page))).toBe(true);
    const variant = await page.getByTestId('pg-variant').textContent();
    const loss = await lossOf(page);
    const download = page.waitForEvent('download');
    await page.getByTestId('pg-export').click();
    const file = join(artifacts, 'playground-model.json');
    await (await download).saveAs(file);
    const json = JSON.parse(readFileSync(file, 'utf8')) as { kernelVariant: string; sizes: number[]; format: string };
    expect(json.format).toBe('nabla-mlp');
    expect(json.kernelVariant).toBe(variant);
    expect(json.sizes).toEqual([2, 8, 8, 1]);
    await page.close();
    // Load it into a playground with another network: the controls follow the model and the loss is the exported one.
    const b = await open('dataset=plane&hidden=3&activation=tanh&learningRate=0.03');
    await b.page.getByTestId('pg-model-file').setInputFiles(file);
    await expect.poll(() => b.page.locator('[data-testid^="pg-layer-"]').count()).toBe(2);
    await expect.poll(() => lossOf(b.page)).toBe(loss);
    expect(await b.page.getByTestId('pg-activation-0').inputValue()).toBe('linear');
    expect(errors).toEqual([]);
    expect(b.errors).toEqual([]);
    await b.page.close();
  });

  it('after a few steps the link "step through one batch of this network" opens the step-through on the playground\'s network, its W^1 the exported model\'s', async () => {
    const { page, errors } = await open('dataset=circle&features=x1,x2,x1sq&hidden=5,3&activation=tanh,relu&learningRate=0.3&batchSize=10');
    await steps(page, 3);
    await settled(page);
    const download = page.waitForEvent('download');
    await page.getByTestId('pg-export').click();
    const file = join(artifacts, 'playground-step-through-model.json');
    await (await download).saveAs(file);
    const json = JSON.parse(readFileSync(file, 'utf8')) as { sizes: number[]; layers: { weights: number[][]; bias: number[] }[] };
    expect(json.sizes).toEqual([3, 5, 3, 2]);
    const link = page.getByTestId('pg-step-through');
    expect(await link.textContent()).toContain('step through one batch of this network');
    await page.locator('[data-panel="training"]').screenshot({ path: join(artifacts, 'playground-step-through-panel.png') });
    await link.click();
    await page.waitForURL(/\/docs\/notes\/step-through\?/);
    expect(new URL(page.url()).searchParams.get('steps')).toBe('3');
    await page.getByTestId('st-count').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('st-source').getAttribute('data-sizes')).toBe('3-5-3-2');
    expect(await page.getByTestId('st-message').count()).toBe(0);
    await page.getByTestId('st-next').click();
    const w1 = page.locator('[data-testid="st-picture"] [data-key="W1"]').first();
    expect([Number(await w1.getAttribute('data-rows')), Number(await w1.getAttribute('data-cols'))]).toEqual([5, 3]);
    // The playground trains in float32; the link carries those values exactly.
    expect(JSON.parse((await w1.getAttribute('data-values')) ?? '[]')).toEqual(json.layers[0]!.weights.flat());
    // Three training samples of the circle set, as features x1, x2, x1^2 (x1^2 is x1 squared, to float32 rounding).
    const g0 = JSON.parse((await page.locator('[data-testid="st-picture"] [data-key="g0"]').first().getAttribute('data-values')) ?? '[]') as number[];
    expect(g0.length).toBe(9);
    for (let j = 0; j < 3; j++) expect(g0[6 + j]!).toBeCloseTo(g0[j]! ** 2, 5);
    await page.screenshot({ path: join(artifacts, 'playground-step-through-link.png') });
    await page.getByTestId('st-end').click();
    expect(await page.getByTestId('st-check-status').getAttribute('data-pass')).toBe('yes');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('samples/s of the worker loop in Node with and without the maps on every snapshot (printed, not asserted as a speed)', () => {
    // The worker's loop without the worker: 12 ms of batches, then a snapshot's work (metrics,
    // checkpoint report, parameters and, in one arm, the 50 x 50 grid and the unit maps, every time).
    const state = parseUrlState('dataset=circle&hidden=8,8&activation=tanh&batchSize=10');
    const rates: Record<string, number[]> = { maps: [], none: [] };
    // Round 0 warms the JIT up and is not counted.
    for (let round = 0; round < 5; round++) {
      for (const arm of round % 2 ? ['none', 'maps'] : ['maps', 'none']) {
        const t = new Trainer(state.config, buildData(state.config));
        const start = performance.now();
        let samples = 0;
        while (performance.now() - start < (round === 0 ? 200 : 500)) {
          const chunk = performance.now();
          while (performance.now() - chunk < 12) {
            t.step();
            samples += t.batchSize;
          }
          t.metrics();
          t.checkpointReport('none', 2);
          t.params();
          if (arm === 'maps') {
            t.grid(50);
            t.unitMaps(96);
          }
        }
        if (round > 0) rates[arm]!.push(samples / ((performance.now() - start) / 1000));
      }
    }
    const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
    const show = (a: number[]): string => `${Math.round(median(a))} (${Math.round(Math.min(...a))}-${Math.round(Math.max(...a))})`;
    console.log(`playground loop in Node, circle, 2-8-8-2 tanh, batch 10, samples/s median (min-max) of 4 interleaved 0.5 s rounds: maps on every snapshot ${show(rates.maps!)}, no maps ${show(rates.none!)}`);
    expect(rates.maps!.every((r) => r > 0) && rates.none!.every((r) => r > 0)).toBe(true);
  });

  it('samples/s with and without the heatmap (printed, not asserted as a speed)', async () => {
    // One run, the heatmap switched on and off in turn (interleaved); the rate is batches counted by the page over 0.7 s.
    const { page } = await open('dataset=circle&hidden=8,8&activation=tanh&batchSize=10&resolution=50');
    await page.getByTestId('pg-play').click();
    const rates: Record<string, number[]> = { '50': [], '0': [] };
    for (let round = 0; round < 3; round++) {
      for (const res of round % 2 ? ['0', '50'] : ['50', '0']) {
        await page.getByTestId('pg-resolution').fill(res);
        await page.waitForTimeout(250);
        const s0 = await num(page, 'pg-steps');
        const t0 = Date.now();
        await page.waitForTimeout(700);
        const s1 = await num(page, 'pg-steps');
        rates[res]!.push(((s1 - s0) * 10) / ((Date.now() - t0) / 1000));
      }
    }
    await page.close();
    const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
    const show = (a: number[]): string => `${Math.round(median(a))} (${Math.round(Math.min(...a))}-${Math.round(Math.max(...a))})`;
    console.log(`playground worker, circle, 2-8-8-2 tanh, batch 10, samples/s median (min-max) of 3 interleaved 0.7 s windows: with a 50 x 50 heatmap ${show(rates['50']!)}, without ${show(rates['0']!)}`);
    expect(rates['50']!.every((r) => r > 0)).toBe(true);
    expect(rates['0']!.every((r) => r > 0)).toBe(true);
  });
});
