// End-to-end tests of the production build (build/, made by the docs build that turbo runs
// before this test), served on 127.0.0.1 and driven in the pinned headless Chromium.
import { join } from 'node:path';
import { checkpointSchedule, simulateSchedule } from '@nabla/core';
import { describe, expect, it } from 'vitest';
import { artifacts, longTasks, type OpenedPage, openPage, serveSite, watchLongTasks } from './harness';

const PAGES = [
  '/',
  '/docs/intro',
  '/docs/guides/getting-started',
  '/docs/guides/training',
  '/docs/guides/data',
  '/docs/guides/interop',
  '/docs/guides/checkpoint-strategy',
  '/docs/guides/embedding-views',
  '/docs/guides/speed',
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

const site = serveSite();
const open = (path: string): Promise<OpenedPage> => openPage(site, path);

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
    await watchLongTasks(page);
    const loss = page.getByTestId('demo-loss');
    await loss.waitFor({ timeout: 10_000 });
    const first = Number(await loss.textContent());
    await page.waitForTimeout(6000);
    const later = Number(await loss.textContent());
    expect(Number.isFinite(first) && Number.isFinite(later)).toBe(true);
    // Learning, not noise: the loss of the two spirals starts near ln 2 = 0.69.
    expect(later).toBeLessThan(0.3);
    expect(later).toBeLessThanOrEqual(first);
    const tasks = await longTasks(page);
    expect(tasks.filter((d) => d > 100)).toEqual([]);
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
