/**
 * `pnpm bench:accuracy`: the full-data accuracy check (issue 11). Trains on all of
 * Fashion-MNIST (60,000 training, 10,000 test images) with the command documented in
 * packages/cli/README.md, run through the built CLI in a child process as a user runs it, and
 * fails (exit 1) when the test accuracy is below the target. Writes results/accuracy.json.
 *
 * The data is not in the repository: on Debian `apt-get install dataset-fashion-mnist`, or point
 * NABLA_DATA_DIR at a folder with the four upstream *-ubyte.gz files. Without it the benchmark
 * exits with status 2 and says so.
 *
 * Options: --no-write (do not update results/accuracy.json).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TARGET = 0.89;
const ARGS = ['--layers', '256,128', '--epochs', '10', '--lr-schedule', 'cosine', '--seed', '1'];
const FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', '..', '..', 'packages', 'cli', 'dist', 'bin.js');
const dataDir = process.env.NABLA_DATA_DIR ?? '/usr/share/datasets/fashion-mnist';
const write = !process.argv.includes('--no-write');

const missing = FILES.filter((f) => !existsSync(join(dataDir, f)));
if (missing.length > 0) {
  console.error(
    `bench:accuracy: Fashion-MNIST is not in ${dataDir} (missing ${missing.join(', ')}).\n` +
      "Get it with 'apt-get install dataset-fashion-mnist' (Debian, installs /usr/share/datasets/fashion-mnist),\n" +
      'or download the four files from https://github.com/zalandoresearch/fashion-mnist and set NABLA_DATA_DIR to their folder.',
  );
  process.exit(2);
}
if (!existsSync(bin)) {
  console.error(`bench:accuracy: ${bin} is missing; run it as 'pnpm bench:accuracy' from the repository root, which builds the CLI first`);
  process.exit(2);
}

const command = ['nabla', 'train', '--data', 'fashion-mnist', ...ARGS].join(' ');
console.log(`bench:accuracy: ${command}  (data: ${dataDir}; target: test accuracy >= ${TARGET})`);
const started = Date.now();
// The per-epoch lines go to stderr (shown as they come); --json puts the result on stdout.
const child = spawnSync(process.execPath, [bin, 'train', '--data', 'fashion-mnist', '--data-dir', dataDir, ...ARGS, '--quiet', '--json'], {
  stdio: ['ignore', 'pipe', 'inherit'],
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
if (child.status !== 0) {
  console.error(`bench:accuracy: nabla train exited with ${child.status ?? child.signal}`);
  process.exit(1);
}
const result = JSON.parse(child.stdout) as {
  test: { accuracy?: number; samples: number };
  trainSeconds: number;
  seconds: number;
  cpuSeconds: number;
  threads: number;
  autoThreads?: { stepsTwo: number; stepsOne: number };
};
const accuracy = result.test.accuracy;
if (typeof accuracy !== 'number') throw new Error(`bench:accuracy: nabla train --json gave no test accuracy: ${child.stdout.slice(0, 200)}`);
const met = accuracy >= TARGET;
const line = `Fashion-MNIST test accuracy ${accuracy.toFixed(4)} on ${result.test.samples} images (target >= ${TARGET}: ${met ? 'met' : 'NOT met'}); training ${result.trainSeconds.toFixed(1)} s, ${result.seconds.toFixed(1)} s in all, ${result.cpuSeconds.toFixed(1)} s CPU (the CLI's threads: its own line above)`;
console.log(line);
if (write) {
  const report = {
    command,
    date: new Date(started).toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, loadavg: loadavg().map((l) => Number(l.toFixed(2))) },
    target: TARGET,
    accuracy,
    met,
    samples: result.test.samples,
    trainSeconds: result.trainSeconds,
    seconds: result.seconds,
    cpuSeconds: result.cpuSeconds,
    threads: result.threads,
    ...(result.autoThreads ? { autoThreads: result.autoThreads } : {}),
  };
  writeFileSync(join(here, '..', 'results', 'accuracy.json'), `${JSON.stringify(report, null, 2)}\n`);
}
process.exit(met ? 0 : 1);
