// Bundles the page's Web Workers with esbuild into static/workers/, so each worker is a plain
// static file served as is (webpack's worker bundling has broken in Docusaurus production builds).
import { mkdirSync, readdirSync } from 'node:fs';
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
