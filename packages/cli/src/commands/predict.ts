import { parseArgs } from 'node:util';
import { Matrix, csvColumns, parseCsv } from '@nabla/core';
import { argsConfig, parse, positionals } from '../args.js';
import { readCsvText } from '../data/csv.js';
import { rowArgmax } from '../data/index.js';
import { CliError, type Io, UsageError } from '../io.js';
import { loadModel } from '../model-file.js';
import { threadsOption, withThreads } from '../threads.js';
import { type Preprocessing, applyInput, restoreTarget } from '../preprocess.js';

export const predictHelp = `Usage: nabla predict MODEL.json --input FILE.csv [options]

Run a model on the rows of a CSV file (with a header row) and write CSV to stdout: for
classification the predicted class and one probability column per class, for regression the
predicted target value(s) in their original units. Inputs are normalised as in training.
A model trained on CSV data picks its feature columns by name (other columns, such as the
target, are ignored); an image model takes rows of 784 raw pixel values.

  --input FILE       the CSV file to predict for (required)
  --threads N        threads computing the big float32 matrix products, 1-8 (default 1);
                     the predictions are the same, bit for bit, for every count
  --json             print { predictions: [...] } instead of CSV
  --verbose          show stack traces of errors
  -h, --help         this help

Example:
  nabla predict house.json --input new-houses.csv > predictions.csv`;

const options = { input: { type: 'string' }, threads: { type: 'string' } } as const;

/** One CSV field, quoted when it holds a delimiter, quote or line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export async function predictCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values: v, positionals: pos } = parse('predict', () => parseArgs(argsConfig(argv, options)));
  if (v.help) {
    io.stdout.write(`${predictHelp}\n`);
    return 0;
  }
  const [modelPath] = positionals('predict', pos, ['MODEL.json']);
  if (v.input === undefined) throw new UsageError('nabla predict needs --input FILE.csv (see nabla predict --help)');
  const threads = threadsOption(v.threads);
  const { net, preprocessing } = loadModel(modelPath!, io.cwd);
  const pre = preprocessing!;
  const { text, file } = readCsvText(v.input, io.cwd);
  const table = parseCsv(text, { name: file });
  const columns = pre.input.kind === 'standardize' ? pre.input.features : table.header;
  const x = Matrix.from(csvColumns(table, columns, { name: file }), 'float64');
  const input = applyInput(pre, x);
  const out = await withThreads(threads, net.dtype, () => net.predict(input));
  for (let i = 0; i < out.data.length; i++) {
    const o = out.data[i]!;
    if (o - o !== 0) throw new CliError(`${file}: the model gives a non-finite output (${o}) for row ${Math.floor(i / out.cols) + 1}; nothing printed`);
  }
  if (v.json) {
    io.stdout.write(`${JSON.stringify({ model: modelPath, input: file, predictions: jsonPredictions(out, pre) })}\n`);
    return 0;
  }
  const lines: string[] = [];
  if (pre.task === 'classification') {
    const classes = pre.classes ?? [];
    lines.push(['predicted', ...classes.map((c) => `p(${c})`)].map(csvField).join(','));
    const best = rowArgmax(out);
    for (let i = 0; i < out.rows; i++) {
      const probs = Array.from(out.data.subarray(i * out.cols, (i + 1) * out.cols), (p) => p.toPrecision(6));
      lines.push([csvField(classes[best[i]!]!), ...probs].join(','));
    }
  } else {
    const y = restoreTarget(pre, out);
    lines.push((pre.target?.names ?? []).map(csvField).join(','));
    for (let i = 0; i < y.rows; i++) lines.push(Array.from(y.data.subarray(i * y.cols, (i + 1) * y.cols), (p) => String(Number(p.toPrecision(8)))).join(','));
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** Classification: { predicted, probabilities } per row; regression: { target: value } per row. */
function jsonPredictions(out: Matrix, pre: Preprocessing): unknown[] {
  const rows: unknown[] = [];
  if (pre.task === 'classification') {
    const classes = pre.classes ?? [];
    const best = rowArgmax(out);
    for (let i = 0; i < out.rows; i++) {
      rows.push({ predicted: classes[best[i]!], probabilities: Object.fromEntries(classes.map((c, j) => [c, out.data[i * out.cols + j]])) });
    }
    return rows;
  }
  const y = restoreTarget(pre, out);
  const names = pre.target?.names ?? [];
  for (let i = 0; i < y.rows; i++) rows.push(Object.fromEntries(names.map((n, j) => [n, y.data[i * y.cols + j]])));
  return rows;
}
