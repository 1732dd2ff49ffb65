// End-to-end tests of the production build (build/, made by the docs build that turbo runs
// before this test), served on 127.0.0.1 and driven in the pinned headless Chromium.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkpointSchedule, simulateSchedule } from '@nabla/core';
import { launchBrowser } from '@nabla/test-browser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../scripts/server.mjs';

const artifacts = join(import.meta.dirname, '..', 'test-artifacts');
const PAGES = [
  '/',
  '/docs/intro',
  '/docs/guides/getting-started',
  '/docs/guides/training',
  '/docs/guides/data',
  '/docs/guides/interop',
  '/docs/guides/checkpoint-strategy',
  '/docs/guides/embedding-views',
  '/docs/notes/notation',
  '/docs/notes/forward',
  '/docs/notes/backward',
  '/docs/notes/activations',
  '/docs/notes/losses',
  '/docs/notes/optimizers',
  '/docs/notes/gradcheck',
  '/docs/notes/step-through',
  '/docs/checkpointing',
  '/benchmarks',
  '/playground',
  '/docs/guides/playground',
  '/docs/api',
];

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

/** Opens a page, recording console errors, page errors and every request to another origin. */
async function open(path: string): Promise<{ page: Page; errors: string[]; foreign: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(server.url) && !u.startsWith('data:') && !u.startsWith('blob:')) foreign.push(u);
  });
  const response = await page.goto(server.url + path, { waitUntil: 'load' });
  expect(response?.status(), `${path} status`).toBe(200);
  return { page, errors, foreign };
}

describe('the built site', () => {
  it.each(PAGES)('%s loads with no console error and no request to another origin', async (path) => {
    const { page, errors, foreign } = await open(path);
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(artifacts, `${path.replace(/\W+/g, '_') || 'home'}.png`) });
    expect(await page.locator('h1').count(), `${path} has a heading`).toBeGreaterThan(0);
    if (path.startsWith('/docs/notes') || path === '/docs/checkpointing') {
      expect(await page.locator('.katex').count(), `${path} renders math`).toBeGreaterThan(0);
      expect(await page.locator('.katex-error').count(), `${path} KaTeX errors`).toBe(0);
    }
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('home: the spirals network trains in a worker, its displayed loss falls within 10 s, and no main-thread task exceeds 100 ms', async () => {
    const { page, errors } = await open('/');
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: false });
    });
    const loss = page.getByTestId('demo-loss');
    await loss.waitFor({ timeout: 10_000 });
    const first = Number(await loss.textContent());
    await page.waitForTimeout(6000);
    const later = Number(await loss.textContent());
    expect(Number.isFinite(first) && Number.isFinite(later)).toBe(true);
    // Learning, not noise: the loss of the two spirals starts near ln 2 = 0.69.
    expect(later).toBeLessThan(0.3);
    expect(later).toBeLessThanOrEqual(first);
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    expect(longTasks.filter((d) => d > 100)).toEqual([]);
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(artifacts, 'home-training.png') });
    await page.close();
  });

  it('checkpointing: moving the depth slider and the strategy shows the forward count and peak that simulateSchedule gives', async () => {
    const { page, errors } = await open('/docs/checkpointing');
    const slider = page.getByTestId('ckpt-slider');
    await slider.scrollIntoViewIfNeeded();
    for (const [L, kind] of [
      [20, 'sqrt'],
      [37, 'none'],
      [50, 'budget'],
    ] as const) {
      await slider.fill(String(L));
      await page.getByTestId('ckpt-strategy').selectOption(kind);
      const strategy = kind === 'budget' ? { budget: Math.min(3, L) } : kind;
      const sim = simulateSchedule(L, checkpointSchedule(L, strategy));
      await expect.poll(() => page.getByTestId('ckpt-depth').textContent()).toBe(String(L));
      expect(Number(await page.getByTestId('ckpt-forwards').textContent())).toBe(sim.forwardEvaluations);
      expect(Number(await page.getByTestId('ckpt-peak').textContent())).toBe(sim.peakActivations);
    }
    expect(await page.locator('[data-figure="checkpoint-timeline"] svg, [data-figure="checkpoint-timeline"] canvas').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(artifacts, 'checkpointing-explorer.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
