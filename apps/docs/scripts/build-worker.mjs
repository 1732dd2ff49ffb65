// Bundles the page's Web Workers with esbuild into static/workers/, so each worker is a plain
// static file served as is (webpack's worker bundling has broken in Docusaurus production builds).
// Also copies TensorFlow.js's .wasm files into static/workers/tfjs-wasm/ for the benchmark worker,
// so they are served from the site's own origin (git-ignored, like the bundles).
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'static', 'workers');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: Object.fromEntries(
    readdirSync(join(root, 'src/workers'))
      .filter((f) => f.endsWith('.worker.ts'))
      .map((f) => [f.slice(0, -'.worker.ts'.length), join(root, 'src/workers', f)]),
  ),
  outdir: out,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const wasmFrom = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
const wasmTo = join(out, 'tfjs-wasm');
mkdirSync(wasmTo, { recursive: true });
for (const f of readdirSync(wasmFrom).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasmFrom, f), join(wasmTo, f));
