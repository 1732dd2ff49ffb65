// useThreads in a real browser (the pinned headless Chromium of @nabla/test-browser): a page
// served with and without cross-origin isolation runs a module Web Worker that splits GEMMs
// among itself and a second Web Worker (running @nabla/core/thread-worker), and the page's main
// thread, where Atomics.wait is not allowed, falls back to one thread with a note.
import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '@nabla/test-browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type Browser = Awaited<ReturnType<typeof launchBrowser>>;

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

const page = `<!doctype html><meta charset="utf-8"><title>threads</title><script type="module">
import { useThreads } from '/dist/index.js';
const main = await useThreads({ count: 2, spawn: () => new Worker('/thread-worker.js', { type: 'module' }) });
const w = new Worker('/main-worker.js', { type: 'module' });
w.onmessage = (e) => { window.result = { main, worker: e.data, isolated: window.crossOriginIsolated }; };
w.onerror = (e) => { window.result = { error: String(e.message) }; };
</script>`;

// Part 0 of the threads: a worker, where Atomics.wait is allowed.
const mainWorker = `import { gemmRaw, gemmSimdVariant, threadCount, useThreads } from '/dist/index.js';
const shapes = [[false, false, 128, 64, 784], [false, true, 128, 784, 64], [true, false, 784, 64, 128], [false, false, 257, 255, 300]];
function run() {
  return shapes.map(([tA, tB, m, n, k], s) => {
    const a = new Float32Array(m * k), b = new Float32Array(k * n), c = new Float32Array(m * n);
    let x = 12345 + s;
    const next = () => ((x = (x * 1103515245 + 12345) >>> 0) / 4294967296) - 0.5;
    for (let i = 0; i < a.length; i++) a[i] = next();
    for (let i = 0; i < b.length; i++) b[i] = next();
    gemmRaw(tA, tB, m, n, k, 1, a, tA ? m : k, b, tB ? k : n, 0, c, n);
    return c;
  });
}
const one = run();
const status = await useThreads({ count: 2, spawn: () => new Worker('/thread-worker.js', { type: 'module' }) });
const two = run();
let same = true;
one.forEach((c, s) => { for (let i = 0; i < c.length; i++) if (!Object.is(c[i], two[s][i])) same = false; });
postMessage({ status, threads: threadCount(), same, variant: gemmSimdVariant() });
`;

const threadWorker = `import { runThreadWorker } from '/dist/thread-worker.js';
self.onmessage = (e) => runThreadWorker(e.data);
`;

function serve(isolated: boolean): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const headers: Record<string, string> = isolated ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {};
    const send = (type: string, body: string | Buffer) => {
      res.writeHead(200, { 'Content-Type': type, ...headers });
      res.end(body);
    };
    if (url.pathname === '/') return send('text/html', page);
    if (url.pathname === '/main-worker.js') return send('text/javascript', mainWorker);
    if (url.pathname === '/thread-worker.js') return send('text/javascript', threadWorker);
    const file = normalize(join(dist, url.pathname.replace(/^\/dist\//, '')));
    if (url.pathname.startsWith('/dist/') && file.startsWith(dist) && file.endsWith('.js')) {
      try {
        return send('text/javascript', readFileSync(file));
      } catch {}
    }
    res.writeHead(404, headers);
    res.end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

interface Outcome {
  error?: string;
  isolated: boolean;
  main: { count: number; note?: string };
  worker: { status: { count: number; note?: string }; threads: number; same: boolean; variant: string | null };
}

async function outcome(browser: Browser, server: Server): Promise<Outcome> {
  const { port } = server.address() as AddressInfo;
  const p = await browser.newPage();
  try {
    await p.goto(`http://127.0.0.1:${port}/`);
    await p.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, undefined, { timeout: 30_000 });
    return (await p.evaluate(() => (window as unknown as { result: unknown }).result)) as Outcome;
  } finally {
    await p.close();
  }
}

describe('useThreads in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a cross-origin-isolated page: a Web Worker splits GEMMs with a second one, bit-identical; the main thread stays on one, saying why', async () => {
    const server = await serve(true);
    try {
      const r = await outcome(browser, server);
      expect(r.error).toBeUndefined();
      expect(r.isolated).toBe(true);
      expect(r.worker.status).toEqual({ count: 2 });
      expect(r.worker.threads).toBe(2);
      expect(r.worker.same).toBe(true);
      expect(r.worker.variant).toBe('relaxed');
      expect(r.main.count).toBe(1);
      expect(r.main.note).toMatch(/Atomics\.wait is not allowed on this thread/);
    } finally {
      server.close();
    }
  });

  it('a page without cross-origin isolation stays on one thread and says how to isolate it', async () => {
    const server = await serve(false);
    try {
      const r = await outcome(browser, server);
      expect(r.error).toBeUndefined();
      expect(r.isolated).toBe(false);
      expect(r.worker.status.count).toBe(1);
      expect(r.worker.status.note).toMatch(/not cross-origin isolated.*Cross-Origin-Opener-Policy: same-origin/);
      expect(r.worker.same).toBe(true);
      expect(r.main.note).toMatch(/not cross-origin isolated/);
    } finally {
      server.close();
    }
  });
});
