// Every code block of the site is run against the built packages, so no example can rot.
//
// The test reads docs/**/*.md and *.mdx (the generated docs/api pages aside) and takes every
// fenced block in js, javascript, ts, typescript, jsx or tsx. What happens to a block depends on
// the words after its language (the "meta", which Docusaurus does not show):
//
// - no meta: the block starts a new script. Scripts run as ES modules (TypeScript and JSX
//   stripped by esbuild) in Node, in a scratch folder under apps/docs/test-artifacts whose
//   parent's node_modules resolve @nabla/core, @nabla/viz, @nabla/cli and @nabla/interop to the
//   workspace builds (turbo builds them before this test). The folder also links `apps` to the
//   repository's apps/, so a script reads apps/bench/results/*.json as it would from the root.
// - `continues`: the block is appended to the previous script of the same page that runs where
//   it does (`continues` alone: the last Node script; `browser continues`: the last browser
//   script). Pages whose blocks "form one script" say so to the reader.
// - `browser`: the script runs in the pinned headless Chromium instead (bundled by esbuild, every
//   request out of the page refused), in an empty page or, for the first browser script after a
//   titled ```html block, in that page (its <script src> tags dropped; the bundle takes their
//   place), served from a made-up origin of its own so that localStorage works. It fails on
//   any page error or console error. What it logs after its last line ran
//   (from callbacks, timers) counts as the last block's output: the test waits up to 30 s for it.
// - `title="packages/..."`: the block is a quotation of that source file, shown with the file
//   name as its title; it is not run but must appear in the file line for line (in order,
//   ignoring indentation; a line `// ...` stands for lines left out).
// - `needs-fashion-mnist`: the script reads Fashion-MNIST's test files ($NABLA_DATA_DIR, else the
//   Debian path). Where they are not installed (a fresh machine has only Node and pnpm), it runs
//   on a stand-in written in the same format (gzipped IDX, 10,000 images of 28 x 28 and their
//   labels, the first ten labels those the page prints), and the test name says so; numbers with
//   a fractional part (a loss, an accuracy) are then only checked to be numbers.
// - `no-run`: not run. The block's first line must be a comment that tells the reader why; every
//   such block is listed in the test output.
//
// A ```text block that directly follows a run block (nothing but blank lines between) is the
// output that block prints: the test compares it with what the block printed, line for line.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { launchBrowser } from '@nabla/test-browser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const appDir = join(import.meta.dirname, '..');
const repo = join(appDir, '..', '..');
const docsDir = join(repo, 'docs');
const scratch = join(appDir, 'test-artifacts', 'code-blocks');
const RUN_LANGS = new Set(['js', 'javascript', 'ts', 'typescript', 'jsx', 'tsx']);
const FASHION_DIR = process.env.NABLA_DATA_DIR ?? '/usr/share/datasets/fashion-mnist';
const FASHION_INSTALLED = existsSync(FASHION_DIR);
const SEPARATOR = '@@nabla-code-block@@';

interface Block {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  readonly meta: string;
  readonly code: string;
}

interface Script {
  readonly file: string;
  readonly line: number;
  readonly browser: boolean;
  readonly jsx: boolean;
  readonly needsFashion: boolean;
  readonly blocks: { block: Block; expected: string | undefined }[];
  /** For browser scripts: the page's HTML, from a titled ```html block before it. */
  readonly html: string | undefined;
}

function docFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (relative(docsDir, path) !== 'api') out.push(...docFiles(path));
    } else if (/\.mdx?$/.test(entry.name)) out.push(path);
  }
  return out.sort();
}

/** Fenced blocks of a markdown file, with what lies between them (to find output blocks). */
function fencedBlocks(file: string): { block: Block; before: string }[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const found: { block: Block; before: string }[] = [];
  let between: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})([\w-]*)\s*(.*)$/.exec(lines[i]!);
    if (open === null) {
      between.push(lines[i]!);
      continue;
    }
    const [, indent, fence, lang, meta] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j]!;
      if (l.trim().startsWith(fence!) && l.trim().replace(/`/g, '') === '') break;
      body.push(l.startsWith(indent!) ? l.slice(indent!.length) : l.trimStart());
    }
    if (j === lines.length) throw new Error(`${relative(repo, file)}:${i + 1}: unclosed code fence`);
    found.push({ block: { file, line: i + 1, lang: lang!, meta: meta!.trim(), code: body.join('\n') }, before: between.join('\n') });
    between = [];
    i = j;
  }
  return found;
}

const flag = (meta: string, name: string): boolean => new RegExp(`(^|\\s)${name}(\\s|$)`).test(meta);
const titleOf = (meta: string): string | undefined => /title="([^"]*)"/.exec(meta)?.[1];

interface Plan {
  scripts: Script[];
  quotes: Block[];
  exempt: { block: Block; reason: string }[];
  problems: string[];
}

function plan(): Plan {
  const p: Plan = { scripts: [], quotes: [], exempt: [], problems: [] };
  for (const file of docFiles(docsDir)) {
    const blocks = fencedBlocks(file);
    const current: { node: Script | undefined; browser: Script | undefined } = { node: undefined, browser: undefined };
    let html: string | undefined;
    blocks.forEach(({ block }, i) => {
      const where = `${relative(repo, file)}:${block.line}`;
      if (block.lang === 'html' && titleOf(block.meta) !== undefined) html = block.code;
      if (!RUN_LANGS.has(block.lang)) return;
      const title = titleOf(block.meta);
      if (title?.startsWith('packages/')) {
        p.quotes.push(block);
        return;
      }
      if (flag(block.meta, 'no-run')) {
        const first = block.code.split('\n')[0]!.trim();
        if (!first.startsWith('//')) p.problems.push(`${where}: a no-run block must start with a comment telling the reader why it is not run`);
        p.exempt.push({ block, reason: first.replace(/^\/\/\s*/, '') });
        return;
      }
      const next = blocks[i + 1];
      const expected = next !== undefined && next.block.lang === 'text' && next.before.trim() === '' ? next.block.code : undefined;
      const kind = flag(block.meta, 'browser') ? 'browser' : 'node';
      if (flag(block.meta, 'continues')) {
        const script = current[kind];
        if (script === undefined) {
          p.problems.push(`${where}: 'continues' but no ${kind} script before it on this page`);
          return;
        }
        script.blocks.push({ block, expected });
        return;
      }
      const script: Script = {
        file,
        line: block.line,
        browser: flag(block.meta, 'browser'),
        jsx: block.lang === 'jsx' || block.lang === 'tsx',
        needsFashion: flag(block.meta, 'needs-fashion-mnist'),
        blocks: [{ block, expected }],
        html: flag(block.meta, 'browser') ? html : undefined,
      };
      current[kind] = script;
      if (script.browser) html = undefined;
      p.scripts.push(script);
    });
  }
  return p;
}

/** One script's source: its blocks in order, each followed by a line that marks where its output ends. */
function source(s: Script): string {
  return s.blocks.map(({ block }, i) => `${block.code}\n;console.log(${JSON.stringify(`${SEPARATOR}${i}`)});\n`).join('');
}

/** What each block printed, split at the separators. */
function splitOutput(s: Script, stdout: string): string[] {
  const parts: string[] = [];
  let rest = stdout;
  for (let i = 0; i < s.blocks.length; i++) {
    const mark = `${SEPARATOR}${i}\n`;
    const at = rest.indexOf(mark);
    if (at < 0) break;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + mark.length);
  }
  return parts;
}

const tidy = (text: string): string =>
  text
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();

function label(s: Script): string {
  return `${relative(repo, s.file)}:${s.line}${s.blocks.length > 1 ? ` (+${s.blocks.length - 1} continuing)` : ''}`;
}

function runNode(path: string, cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path], { cwd, timeout: 60_000, maxBuffer: 16 << 20, env: { ...process.env, NODE_NO_WARNINGS: '1', ...env } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
}

/** The first labels of Fashion-MNIST's test set, as docs/guides/data.md prints them. */
const STAND_IN_FIRST_LABELS = [9, 2, 1, 1, 6, 1, 4, 6, 5, 7];

/**
 * Writes a stand-in for Fashion-MNIST's test files into `dir`/fashion-stand-in and returns that
 * folder: gzipped IDX files with 10,000 images of 28 x 28 (a bright band whose row is the label,
 * plus noise, so a network has something to learn) and their labels. Deterministic.
 */
function writeFashionStandIn(dir: string): string {
  const out = join(dir, 'fashion-stand-in');
  mkdirSync(out, { recursive: true });
  const count = 10_000;
  const side = 28;
  let state = 12345;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state >>> 16;
  };
  const labels = Uint8Array.from({ length: count }, (_, i) => STAND_IN_FIRST_LABELS[i] ?? next() % 10);
  const images = new Uint8Array(count * side * side);
  for (let i = 0; i < count; i++) {
    for (let p = 0; p < side * side; p++) {
      const band = Math.floor(p / side / 2.8) === labels[i];
      images[i * side * side + p] = (band ? 28 : 0) + (next() % 228);
    }
  }
  const idx = (dims: number[], data: Uint8Array): Buffer => {
    const header = Buffer.alloc(4 + 4 * dims.length);
    header[2] = 0x08; // unsigned bytes
    header[3] = dims.length;
    dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
    return gzipSync(Buffer.concat([header, data]));
  };
  writeFileSync(join(out, 't10k-images-idx3-ubyte.gz'), idx([count, side, side], images));
  writeFileSync(join(out, 't10k-labels-idx1-ubyte.gz'), idx([count], labels));
  return out;
}

/** On the stand-in, numbers with a fractional part are compared only as numbers. */
const fractionsMasked = (text: string): string => text.replace(/-?\d+\.\d+(e-?\d+)?/g, '<fraction>');

async function transpile(s: Script, bundle: boolean): Promise<string> {
  const result = await build({
    stdin: { contents: source(s), loader: s.jsx ? 'tsx' : 'ts', resolveDir: appDir, sourcefile: relative(repo, s.file) },
    bundle,
    write: false,
    format: 'esm',
    platform: bundle ? 'browser' : 'node',
    target: 'es2022',
    jsx: 'automatic',
    logLevel: 'silent',
    ...(bundle ? { define: { 'process.env.NODE_ENV': '"production"' } } : {}),
  });
  return result.outputFiles[0]!.text;
}

interface Outcome {
  ok: boolean;
  log: string;
  outputs: string[];
}

async function runInNode(s: Script, index: number): Promise<Outcome> {
  const dir = join(scratch, `script-${index}`);
  mkdirSync(dir, { recursive: true });
  symlinkSync(join(repo, 'apps'), join(dir, 'apps'), 'dir');
  const path = join(dir, 'main.mjs');
  writeFileSync(path, await transpile(s, false));
  const r = await runNode(path, dir, s.needsFashion && !FASHION_INSTALLED ? { NABLA_DATA_DIR: writeFashionStandIn(dir) } : {});
  return { ok: r.code === 0, log: `exit code ${r.code}\n${r.stderr}\n${r.stdout}`, outputs: splitOutput(s, r.stdout) };
}

async function runInBrowser(s: Script, browser: Browser): Promise<Outcome> {
  const code = `${await transpile(s, true)}\n;console.log(${JSON.stringify(`${SEPARATOR}done`)});`;
  const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
  const errors: string[] = [];
  const lines: string[] = [];
  let done = false;
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
    else if (m.text() === `${SEPARATOR}done`) done = true;
    else lines.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  // The page is served from an origin of its own and never leaves it: any other request is refused.
  const origin = 'http://code-block.test/';
  const html = (s.html ?? '<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>').replace(/<script[^>]*\ssrc=[^>]*>\s*<\/script>/g, '');
  await page.route('**/*', (route) =>
    route.request().url() === origin ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }) : route.abort(),
  );
  await page.goto(origin);
  await page.addScriptTag({ type: 'module', content: code });
  const deadline = Date.now() + 60_000;
  while (!done && errors.length === 0 && Date.now() < deadline) await page.waitForTimeout(100);
  // Output that comes later (callbacks, effects) belongs to the last block: wait for it.
  const last = s.blocks.length - 1;
  const expected = s.blocks[last]!.expected;
  const collected = (): string => `${lines.filter((l) => l !== `${SEPARATOR}${last}`).map((l) => `${l}\n`).join('')}${SEPARATOR}${last}\n`;
  const lastOutput = (): string => splitOutput(s, collected())[last] ?? '';
  const later = Date.now() + 30_000;
  while (done && expected !== undefined && errors.length === 0 && tidy(lastOutput()) !== tidy(expected) && Date.now() < later) await page.waitForTimeout(100);
  const shot = join(scratch, `${relative(docsDir, s.file).replace(/\W+/g, '_')}-${s.line}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  await page.close();
  const stdout = collected();
  return {
    ok: done && errors.length === 0,
    log: `${done ? 'completed' : 'did not complete within 60 s'}; errors: ${JSON.stringify(errors)}; screenshot ${relative(repo, shot)}\n${stdout}`,
    outputs: splitOutput(s, stdout),
  };
}

/** Lines of `quote` (the `// ...` elisions aside) found in `file` in order, ignoring indentation. */
function quoteMismatch(quote: string, file: string): string | undefined {
  const source = readFileSync(file, 'utf8').split('\n').map((l) => l.trim());
  let at = 0;
  for (const raw of quote.split('\n')) {
    const line = raw.trim();
    if (line === '' || /^(\/\/|\*)\s*\.\.\.(\s|$)/.test(line) || line === '...') continue;
    const found = source.indexOf(line, at);
    if (found < 0) return `not in ${relative(repo, file)} (after line ${at}): ${line}`;
    at = found + 1;
  }
  return undefined;
}

/** A script that could not even be transpiled or started. */
const failed = (e: unknown): Outcome => ({ ok: false, log: String(e), outputs: [] });

const theplan = plan();
const outcomes = new Map<Script, Promise<Outcome>>();
let browser: Browser | undefined;

beforeAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  if (theplan.scripts.some((s) => s.browser)) browser = await launchBrowser();
  // Node scripts two at a time (this machine has two cores); browser scripts one at a time.
  const node = theplan.scripts.filter((s) => !s.browser);
  const queue = [...node];
  const workers = [0, 1].map(async () => {
    for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
      const p = runInNode(s, theplan.scripts.indexOf(s)).catch(failed);
      outcomes.set(s, p);
      await p;
    }
  });
  for (const s of theplan.scripts.filter((t) => t.browser)) {
    const p = runInBrowser(s, browser!).catch(failed);
    outcomes.set(s, p);
    await p;
  }
  await Promise.all(workers);
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

describe('code blocks of docs/', () => {
  it('are marked consistently, and the exemptions are few and listed', () => {
    const listed = theplan.exempt.map(({ block, reason }) => `  ${relative(repo, block.file)}:${block.line}: ${reason}`);
    const blocks = theplan.scripts.reduce((n, s) => n + s.blocks.length, 0);
    const outputs = theplan.scripts.reduce((n, s) => n + s.blocks.filter((b) => b.expected !== undefined).length, 0);
    console.log(
      `code blocks: ${blocks} run as ${theplan.scripts.length} scripts (${outputs} with their printed output checked), ${theplan.quotes.length} source quotations checked, ${theplan.exempt.length} not run${listed.length > 0 ? `:\n${listed.join('\n')}` : ''}`,
    );
    expect(theplan.problems).toEqual([]);
    expect(blocks).toBeGreaterThan(40);
    expect(theplan.exempt.length).toBeLessThanOrEqual(5);
  });

  it.each(theplan.quotes.map((b) => [`${relative(repo, b.file)}:${b.line} quotes ${titleOf(b.meta)}`, b] as const))('%s line for line', (_name, block) => {
    const file = join(repo, titleOf(block.meta)!);
    expect(existsSync(file), `${file} exists`).toBe(true);
    expect(quoteMismatch(block.code, file)).toBeUndefined();
  });

  for (const s of theplan.scripts) {
    const standIn = s.needsFashion && !FASHION_INSTALLED;
    const name = `${label(s)} runs${s.browser ? ' in Chromium' : ''} and prints what the page shows${standIn ? ` (on a stand-in in Fashion-MNIST's format, fractions compared as numbers: Fashion-MNIST is not installed at ${FASHION_DIR})` : ''}`;
    const compared = standIn ? (text: string) => fractionsMasked(tidy(text)) : tidy;
    it(name, async () => {
      const outcome = await outcomes.get(s)!;
      expect(outcome.ok, outcome.log).toBe(true);
      s.blocks.forEach(({ block, expected }, i) => {
        if (expected === undefined) return;
        expect(compared(outcome.outputs[i] ?? ''), `output of ${relative(repo, block.file)}:${block.line}`).toBe(compared(expected));
      });
    });
  }
});
