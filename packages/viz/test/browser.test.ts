/**
 * Real-browser test: bundles test/browser/page.ts with esbuild, serves it on 127.0.0.1, loads it
 * in the pinned headless Chromium of @nabla/test-browser (the build shipped in the npm package
 * @sparticuz/chromium, driven by playwright-core; no system browser), checks that every view
 * renders without console errors, saves a screenshot of each to test-artifacts/, and compares it with the committed
 * reference in test/reference/ (pixel comparison inside the page). Measures the network
 * diagram's update rate and prints it.
 *
 * Regenerate the references (and the README screenshots in docs/) with
 *   UPDATE_REFERENCES=1 pnpm --filter @nabla/viz test
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { launchBrowser } from '@nabla/test-browser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
const artifacts = join(pkg, 'test-artifacts');
const references = join(here, 'reference');
const docs = join(pkg, 'docs');
const update = process.env.UPDATE_REFERENCES === '1';
const VIEWS = ['network', 'curves', 'boundary', 'timeline', 'memory', 'weights'] as const;
/** Share of pixels allowed to differ (by more than 48 in a channel) from the reference: browser and fonts are pinned, this is a margin for rasterisation differences between CPUs. */
const TOLERANCE = 0.02;

let server: Server;
let browser: Browser;
let page: Page;
let url = '';
let exampleHtml = '';
const errors: string[] = [];
/** Why the page or the browser could not be set up: every test then fails with it (a failed beforeAll would only mark them skipped). */
let setupError: unknown;

async function setUp(): Promise<void> {
  const bundle = await build({
    entryPoints: [join(here, 'browser', 'page.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const js = bundle.outputFiles[0]!.text;
  // The built package as a user's bundler sees it: imported by path from dist, so package.json's
  // `sideEffects` applies. The main entry must define no element (and keep d3-transition in);
  // the `@nabla/viz/elements` entry must define all of them.
  const distEntry = join(pkg, 'dist', 'index.js');
  const elementsEntry = join(pkg, 'dist', 'elements.js');
  if (!existsSync(distEntry)) throw new Error(`${distEntry} is missing: run pnpm --filter @nabla/viz run build first (turbo does)`);
  const bundleText = async (contents: string) =>
    (await build({ stdin: { contents, resolveDir: pkg, loader: 'js' }, bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent' })).outputFiles[0]!.text;
  const distJs = await bundleText(`import { networkDiagram } from ${JSON.stringify(distEntry)};
window.distCheck = async () => {
  const host = document.createElement('div');
  document.body.appendChild(host);
  const view = networkDiagram(host, { width: 300, height: 200, duration: 120 });
  const model = (w) => ({ sizes: [2, 1], layers: [{ activation: 'linear', weights: [w], bias: [0] }] });
  view.update({ model: model([1, -1]), activations: [[0, 1], [0]] });
  view.update({ model: model([-1, 1]), activations: [[1, 0], [0]] });
  await new Promise((r) => setTimeout(r, 400));
  const fills = [...host.querySelectorAll('circle.node')].map((c) => c.getAttribute('fill'));
  view.destroy();
  const before = Boolean(customElements.get('nabla-network'));
  const elementsUrl = '/dist-elements.js';
  await import(elementsUrl);
  const tags = ['nabla-network', 'nabla-curves', 'nabla-boundary', 'nabla-timeline', 'nabla-memory', 'nabla-weights'];
  return { definedByMain: before, definedByElements: tags.filter((t) => customElements.get(t)).length, fills, left: host.childNodes.length };
};`);
  const elementsJs = await bundleText(`import ${JSON.stringify(elementsEntry)};`);
  // The README's plain-HTML example, with its CDN addresses pointed at local copies.
  const readme = readFileSync(join(pkg, 'README.md'), 'utf8');
  const example = /```html\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!example) throw new Error('README.md has no ```html example');
  const cdn = ['https://cdn.jsdelivr.net/npm/@nabla/core@0/+esm', 'https://cdn.jsdelivr.net/npm/@nabla/viz@0/dist/elements.js/+esm'];
  for (const address of cdn) if (!example.includes(address)) throw new Error(`README.md's html example no longer imports ${address}: update this test`);
  exampleHtml = example.replace(cdn[0]!, '/core/index.js').replace(cdn[1]!, '/dist-elements.js');
  const roots: Record<string, string> = { '/core/': join(pkg, 'node_modules', '@nabla', 'core', 'dist') };
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>@nabla/viz browser test</title>
<style>body{margin:0;background:#fff;font-family:sans-serif}</style></head>
<body><main></main><script type="module" src="/page.js"></script></body></html>`;
  server = createServer((req, res) => {
    if (req.url === '/favicon.ico') {
      res.writeHead(204);
      res.end();
    } else if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
    } else if (req.url === '/example.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(exampleHtml);
    } else if (req.url === '/dist-elements.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(elementsJs);
    } else if (req.url && Object.keys(roots).some((r) => req.url!.startsWith(r)) && /^[\w/.-]+\.js$/.test(req.url) && !req.url.includes('..')) {
      const prefix = Object.keys(roots).find((r) => req.url!.startsWith(r))!;
      const file = join(roots[prefix]!, req.url.slice(prefix.length));
      if (existsSync(file)) {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
        res.end(readFileSync(file));
      } else {
        res.writeHead(404);
        res.end();
      }
    } else if (req.url === '/dist.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>dist</title><script type="module" src="/dist.js"></script>');
    } else if (req.url === '/dist.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(distJs);
    } else if (req.url === '/page.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(js);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  // Fails (never skips) with the reason when the browser cannot start.
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, deviceScaleFactor: 1, reducedMotion: 'reduce' });
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => typeof window.nabla === 'object');
  await page.evaluate(() => window.nabla.renderAll());
  mkdirSync(artifacts, { recursive: true });
}

beforeAll(async () => {
  try {
    await setUp();
  } catch (e) {
    setupError = e;
  }
});

beforeEach(() => {
  if (setupError !== undefined) throw setupError;
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

describe('in Chromium', () => {
  it('every view renders without console errors', async () => {
    const counts = await page.evaluate(() => {
      const q = (view: string, sel: string) => document.querySelectorAll(`[data-view="${view}"] ${sel}`).length;
      return {
        nodes: q('network', 'circle.node'),
        edges: Number(document.querySelector<HTMLCanvasElement>('[data-view="network"] canvas.edges')?.dataset.edges),
        curves: q('curves', 'path.curve'),
        points: q('boundary', 'path.point'),
        cells: q('timeline', 'rect.cell'),
        series: q('memory', 'g.strategy'),
        weights: q('weights', 'canvas'),
        element: q('element', 'nabla-curves svg path.curve'),
        alerts: document.querySelectorAll('[role=alert]').length,
      };
    });
    expect(counts).toEqual({ nodes: 58, edges: 672, curves: 4, points: 180, cells: counts.cells, series: 3, weights: 1, element: 4, alerts: 0 });
    expect(counts.cells).toBeGreaterThan(0);
    // The canvases really drew: share of coloured (not grey or transparent) pixels.
    const inked = await page.evaluate(() =>
      ['boundary', 'network', 'weights'].map((view) => {
        const c = document.querySelector<HTMLCanvasElement>(`[data-view="${view}"] canvas`)!;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let coloured = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3]! > 0 && (d[i] !== d[i + 1] || d[i + 1] !== d[i + 2])) coloured++;
        return coloured / (d.length / 4);
      }),
    );
    expect(inked[0]).toBeGreaterThan(0.9);
    expect(inked[1]).toBeGreaterThan(0.05);
    expect(inked[2]).toBeGreaterThan(0.5);
    expect(errors).toEqual([]);
  });

  it.each(VIEWS)('the %s view matches its reference screenshot', async (view) => {
    const png = await page.locator(`[data-view="${view}"]`).screenshot({ animations: 'disabled' });
    writeFileSync(join(artifacts, `${view}.png`), png);
    const refPath = join(references, `${view}.png`);
    if (update) {
      mkdirSync(references, { recursive: true });
      mkdirSync(docs, { recursive: true });
      writeFileSync(refPath, png);
      writeFileSync(join(docs, `${view}.png`), png);
    }
    expect(existsSync(refPath), `missing ${refPath}: run UPDATE_REFERENCES=1 pnpm --filter @nabla/viz test`).toBe(true);
    const toUrl = (b: Buffer) => `data:image/png;base64,${b.toString('base64')}`;
    const diff = await page.evaluate(([a, b]) => window.nabla.diffImages(a!, b!), [toUrl(png), toUrl(readFileSync(refPath))]);
    expect([diff.width, diff.height]).toEqual([diff.otherWidth, diff.otherHeight]);
    const share = diff.differing / (diff.width * diff.height);
    console.log(`${view}: ${diff.differing} of ${diff.width * diff.height} pixels differ from the reference (${(share * 100).toFixed(3)}%)`);
    expect(share).toBeLessThanOrEqual(TOLERANCE);
  });

  it('draws the memory benchmark results committed in apps/bench/results/memory.json', async () => {
    const file = join(pkg, '..', '..', 'apps', 'bench', 'results', 'memory.json');
    const results = JSON.parse(readFileSync(file, 'utf8')) as { configs: { label: string }[] };
    const drawn = await page.evaluate((r) => window.nabla.renderBench(r as never), results);
    console.log(`apps/bench/results/memory.json: ${drawn.slopes.join('; ')}`);
    expect(drawn.alerts).toBe(0);
    expect(drawn.series).toBe(new Set(results.configs.map((c) => c.label)).size);
    const png = await page.locator('[data-view="memory-bench"]').screenshot();
    writeFileSync(join(artifacts, 'memory-bench.png'), png);
    if (update) writeFileSync(join(docs, 'memory-bench.png'), png);
  });

  it('a view without a fixed width follows its container when it is resized', async () => {
    expect(await page.evaluate(() => window.nabla.resizeCheck())).toEqual({ before: 500, after: 320 });
  });

  it('the built package keeps its transitions when bundled, and defines its custom elements only from @nabla/viz/elements', async () => {
    const dist = await page.context().newPage();
    const distErrors: string[] = [];
    dist.on('pageerror', (e) => distErrors.push(String(e)));
    dist.on('console', (m) => {
      if (m.type() === 'error') distErrors.push(m.text());
    });
    await dist.goto(`${url}dist.html`);
    await dist.waitForFunction(() => typeof (window as unknown as { distCheck?: unknown }).distCheck === 'function');
    const result = await dist.evaluate(() =>
      (window as unknown as { distCheck: () => Promise<{ definedByMain: boolean; definedByElements: number; fills: string[]; left: number }> }).distCheck(),
    );
    await dist.close();
    expect(distErrors).toEqual([]);
    // Importing a view defines no global element; importing @nabla/viz/elements defines all six.
    expect(result.definedByMain).toBe(false);
    expect(result.definedByElements).toBe(6);
    // After the transition, g^0 unit 0 (activation 1, the layer's largest) has the darkest fill.
    expect(result.fills[0]).not.toBe(result.fills[1]);
    expect(result.left).toBe(0);
  });

  it("the README's plain-HTML example trains and draws live with the built packages", async () => {
    const ex = await page.context().newPage();
    const exErrors: string[] = [];
    ex.on('pageerror', (e) => exErrors.push(String(e)));
    ex.on('console', (m) => {
      if (m.type() === 'error') exErrors.push(m.text());
    });
    await ex.goto(`${url}example.html`);
    await ex.waitForFunction(() => (document.querySelector('nabla-curves') as unknown as { data?: unknown[] } | null)?.data?.length === 100, undefined, { timeout: 60_000 });
    const accuracy = await ex.evaluate(() => (document.querySelector('nabla-curves') as unknown as { data: { accuracy: number }[] }).data.at(-1)!.accuracy);
    const drawn = await ex.evaluate(() => ({
      nodes: document.querySelectorAll('nabla-network circle.node').length,
      curves: document.querySelectorAll('nabla-curves path.curve').length,
      points: document.querySelectorAll('nabla-boundary path.point').length,
      alerts: document.querySelectorAll('[role=alert]').length,
    }));
    await ex.screenshot({ path: join(artifacts, 'readme-example.png'), fullPage: true });
    await ex.close();
    expect(exErrors).toEqual([]);
    expect(drawn).toEqual({ nodes: 2 + 16 + 16 + 2, curves: 2, points: 300, alerts: 0 });
    // It learned: the last epoch's training accuracy, as the curves view received it.
    expect(accuracy).toBeGreaterThan(0.8);
  });

  it('measures the 784-128-64-10 diagram update rate', async () => {
    // In a page of its own, so the other views do not share its frames.
    const alone = await page.context().newPage();
    alone.on('pageerror', (e) => errors.push(String(e)));
    await alone.goto(url);
    await alone.waitForFunction(() => typeof window.nabla === 'object');
    const still = await alone.evaluate(() => window.nabla.measureFps(120, 0));
    const animated = await alone.evaluate(() => window.nabla.measureFps(120, 250));
    await alone.close();
    const f = (r: typeof still) => `${r.fps.toFixed(1)} fps mean, ${r.medianFps.toFixed(1)} fps median frame, update ${r.msPerUpdate.toFixed(2)} ms`;
    const line = `network diagram 784-128-64-10, one update per animation frame over 120 frames: without transitions ${f(still)}; with 250 ms transitions ${f(animated)}`;
    console.log(line);
    writeFileSync(join(artifacts, 'fps.txt'), `${line}\n`);
    expect(still.fps).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
});
