import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { argsConfig, numberOption, parse, positionals } from '../args.js';
import { type DataSpec, concatRows, loadData, parseDataSpec } from '../data/index.js';
import { evaluateRaw, formatResult } from '../evaluate.js';
import { type Io, UsageError } from '../io.js';
import { loadModel } from '../model-file.js';
import { threadsOption, withThreads } from '../threads.js';
import { excerpt } from '@nabla/core';

export const evalHelp = `Usage: nabla eval MODEL.json [--data SPEC] [options]

Evaluate a model saved by 'nabla train' on the test data: accuracy and confusion matrix, or
R^2 and RMSE. Inputs are normalised with the preprocessing stored in the model file.

  --data SPEC        fashion-mnist, mnist or csv:PATH (default: the data it was trained on)
  --split S          test (default): Fashion-MNIST's test file, or the seeded test share of
                     mnist and CSV data as in training; all: every row (a separate test CSV)
  --data-dir DIR     Fashion-MNIST folder (default: $NABLA_DATA_DIR, else the Debian path)
  --limit N          use at most N rows
  --threads N        threads computing the big float32 matrix products, 1-8 (default 1);
                     the results are the same, bit for bit, for every count
  --json             print the results as JSON
  --verbose          show stack traces of errors
  -h, --help         this help

Example:
  nabla eval fashion.json --data fashion-mnist`;

const options = {
  data: { type: 'string' },
  split: { type: 'string' },
  'data-dir': { type: 'string' },
  limit: { type: 'string' },
  threads: { type: 'string' },
} as const;

export async function evalCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values: v, positionals: pos } = parse('eval', () => parseArgs(argsConfig(argv, options)));
  if (v.help) {
    io.stdout.write(`${evalHelp}\n`);
    return 0;
  }
  const [modelPath] = positionals('eval', pos, ['MODEL.json']);
  const split = v.split ?? 'test';
  if (split !== 'test' && split !== 'all') throw new UsageError(`invalid --split: ${excerpt(split)}, expected test or all`);
  const limit = v.limit === undefined ? undefined : numberOption('limit', v.limit, 0, { integer: true, min: 1 });
  const threads = threadsOption(v.threads);
  const { net, preprocessing: p, file } = loadModel(modelPath!, io.cwd);
  const pre = p!;
  const spec: DataSpec =
    v.data !== undefined ? parseDataSpec(v.data) : pre.source === 'csv' ? { kind: 'csv', path: resolve(io.cwd, pre.path ?? '') } : { kind: pre.source };
  if (spec.kind !== pre.source) throw new UsageError(`${file} was trained on ${pre.source}; it cannot be evaluated on --data ${v.data}`);
  const raw = loadData(spec, {
    ...(v['data-dir'] !== undefined ? { dataDir: resolve(io.cwd, v['data-dir']) } : {}),
    env: io.env,
    cwd: io.cwd,
    seed: pre.split.seed,
    testFraction: pre.split.testFraction,
    ...(limit !== undefined ? { limit } : {}),
    ...(pre.targetNames !== undefined ? { target: pre.targetNames } : {}),
    task: pre.task,
    ...(pre.input.kind === 'standardize' ? { features: pre.input.features } : {}),
    ...(pre.classes !== undefined && pre.source === 'csv' ? { classes: pre.classes } : {}),
  });
  const data = split === 'test' ? raw.test : { x: concatRows(raw.train.x, raw.test.x), y: concatRows(raw.train.y, raw.test.y) };
  const { result, count } = await withThreads(threads, net.dtype, (status) => ({ result: evaluateRaw(net, pre, data), count: status.count }));
  if (v.json) io.stdout.write(`${JSON.stringify({ model: file, split, threads: count, ...result })}\n`);
  else io.stdout.write(`${formatResult(result, split === 'test' ? 'test' : 'all')}\n`);
  return 0;
}
