// What every browser test of the site shares: the production build served on 127.0.0.1, the
// pinned headless Chromium, and a page opened with its console errors and requests recorded.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from '@nabla/test-browser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { startServer } from '../scripts/server.mjs';

/** Where the tests write screenshots (git-ignored). */
export const artifacts = join(import.meta.dirname, '..', 'test-artifacts');

/** The served site and the browser of one test file, set in its beforeAll. */
export interface Site {
  readonly url: string;
  readonly browser: Browser;
}

/** Serves build/ and starts the browser before the file's tests, and stops both after them. */
export function serveSite(): Site {
  const site = {} as { url: string; browser: Browser };
  let server: { url: string; close(): Promise<void> } | undefined;
  beforeAll(async () => {
    server = await startServer({ port: 0 });
    site.url = server.url;
    site.browser = await launchBrowser();
    mkdirSync(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await site.browser?.close();
    await server?.close();
  });
  return site;
}

export interface OpenedPage {
  readonly page: Page;
  /** Console errors and uncaught page errors. */
  readonly errors: string[];
  /** Requests to any origin but the site's own (data: and blob: URLs aside). */
  readonly foreign: string[];
  /** Every request the page made. */
  readonly requests: string[];
}

/** Opens `path` on the site and expects status 200, recording errors and requests from the start. */
export async function openPage(
  site: Site,
  path: string,
  options: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {},
): Promise<OpenedPage> {
  const page = await site.browser.newPage({ viewport: options.viewport ?? { width: 1280, height: 900 }, colorScheme: options.colorScheme ?? 'light' });
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
    if (!u.startsWith(site.url) && !u.startsWith('data:') && !u.startsWith('blob:')) foreign.push(u);
  });
  const response = await page.goto(site.url + path, { waitUntil: 'load' });
  expect(response?.status(), `${path} status`).toBe(200);
  return { page, errors, foreign, requests };
}

/** Starts recording the page's main-thread long tasks (over 50 ms, the browser's definition). */
export async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
}

/** The durations, in ms, of the long tasks since `watchLongTasks`. */
export const longTasks = (page: Page): Promise<number[]> => page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
