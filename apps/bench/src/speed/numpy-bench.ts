// The seed's approach as a training contestant: the NumPy MLP of numpy_mlp.py, one fresh Python
// process per run with OpenBLAS pinned to a thread count. Same network, data order, initial
// weights (Nabla's, written to a file), optimiser and loss as the Nabla contestant; the trained
// parameters come back through a file and are evaluated by Nabla like everyone else's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Digits } from './mnist.js';
import { BATCH, type EpochResult, LAYERS, LEARNING_RATE, type TrainContestant, evaluateParams, freshNabla } from './train-bench.js';

const script = join(dirname(fileURLToPath(import.meta.url)), 'numpy_mlp.py');

/** NumPy's version and BLAS, or why it cannot run here (python3 or numpy missing). */
export function probeNumpy(): { ok: true; version: string; blas: string } | { ok: false; reason: string } {
  try {
    const out = execFileSync(
      'python3',
      ['-c', 'import numpy as np, json; c = np.show_config(mode="dicts"); b = c.get("Build Dependencies", {}).get("blas", {}); print(json.dumps({"version": np.__version__, "blas": f"{b.get(\'name\', \'?\')} {b.get(\'version\', \'\')}".strip()}))'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const v = JSON.parse(out.trim()) as { version: string; blas: string };
    return { ok: true, ...v };
  } catch (e) {
    const err = e as { code?: string; stderr?: string };
    if (err.code === 'ENOENT') return { ok: false, reason: 'python3 is not on PATH' };
    return { ok: false, reason: `python3 cannot import numpy (${(err.stderr ?? String(e)).trim().split('\n').pop()})` };
  }
}

/** Write the shared inputs (data in the benchmark's order, Nabla's initial weights) once. */
export function numpyWorkdir(data: Digits): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-bench-numpy-'));
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ sizes: LAYERS, batch: BATCH, learningRate: LEARNING_RATE, count: data.count }));
  writeFileSync(join(dir, 'x.f32'), data.x);
  writeFileSync(join(dir, 'y.f32'), data.y);
  const parts: Float32Array[] = [];
  for (const p of freshNabla().getParameters()) parts.push(Float32Array.from(p.weights.data), Float32Array.from(p.bias));
  const flat = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    flat.set(p, at);
    at += p.length;
  }
  writeFileSync(join(dir, 'params.f32'), flat);
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export function numpyContestant(data: Digits, dir: string, threads: number): TrainContestant {
  return {
    name: `numpy-${threads}t`,
    config: `NumPy MLP (the seed's approach), own process, OPENBLAS_NUM_THREADS=${threads}: x W^T + b, relu, softmax + mean cross-entropy, SGD lr ${LEARNING_RATE}, batch ${BATCH}, float32, Nabla's initial weights`,
    async run(samples): Promise<EpochResult> {
      const out = execFileSync('python3', [script, dir, String(samples)], {
        encoding: 'utf8',
        env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const r = JSON.parse(out.trim().split('\n').pop()!) as { seconds: number; cpuSeconds: number; threads: string };
      if (r.threads !== String(threads)) throw new Error(`numpy-${threads}t: child saw OPENBLAS_NUM_THREADS=${r.threads}`);
      const trained = new Float32Array(readFileSync(join(dir, 'out.f32')).buffer.slice(0));
      const params: { weights: number[][]; bias: Float32Array }[] = [];
      let at = 0;
      for (let k = 1; k < LAYERS.length; k++) {
        const nIn = LAYERS[k - 1]!;
        const nOut = LAYERS[k]!;
        const weights: number[][] = [];
        for (let i = 0; i < nOut; i++) weights.push(Array.from(trained.subarray(at + i * nIn, at + (i + 1) * nIn)));
        at += nOut * nIn;
        params.push({ weights, bias: trained.slice(at, at + nOut) });
        at += nOut;
      }
      if (at !== trained.length) throw new Error(`numpy-${threads}t: out.f32 has ${trained.length} values, expected ${at}`);
      const e = evaluateParams(data, params);
      return { seconds: r.seconds, samplesPerSecond: samples / r.seconds, samplesPerCpuSecond: samples / r.cpuSeconds, ...e };
    },
  };
}
