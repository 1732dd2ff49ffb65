import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { toOnnx, toTfjsFiles } from '@nabla/interop';
import { argsConfig, parse, positionals } from '../args.js';
import { CliError, type Io, UsageError } from '../io.js';
import { assertWritable, loadModel, writeFileAtomic } from '../model-file.js';

export const exportHelp = `Usage: nabla export MODEL.json --format onnx|tfjs --out FILE_OR_DIR [--force]

Write a saved model in another framework's format:
  onnx   one .onnx file (opset 13, Gemm + activation per layer, input "input" of shape
         [batch, n_0], output "output"): runs in ONNX Runtime (Node, Python, C++, the web)
  tfjs   a folder with model.json and weights.bin: a TensorFlow.js layers model
         (tf.loadLayersModel), a Keras Sequential of Dense layers

The exported network takes network inputs: the preprocessing the CLI applies (pixel scaling or
column standardisation) is not part of it and is printed as a note.

  --format F     onnx or tfjs (required)
  --out PATH     the .onnx file, or the folder for tfjs (created if missing; required)
  --force        replace existing files
  --json         print what was written as JSON
  --verbose      show stack traces of errors
  -h, --help     this help

Examples:
  nabla export fashion.json --format onnx --out fashion.onnx
  nabla export fashion.json --format tfjs --out fashion-tfjs`;

const options = { format: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' } } as const;

export async function exportCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values: v, positionals: pos } = parse('export', () => parseArgs(argsConfig(argv, options)));
  if (v.help) {
    io.stdout.write(`${exportHelp}\n`);
    return 0;
  }
  const [modelPath] = positionals('export', pos, ['MODEL.json']);
  if (v.format !== 'onnx' && v.format !== 'tfjs') throw new UsageError(`invalid --format: ${JSON.stringify(v.format ?? null)}, expected onnx or tfjs (see nabla export --help)`);
  if (v.out === undefined || v.out === '') throw new UsageError('nabla export needs --out FILE_OR_DIR (see nabla export --help)');
  const force = v.force === true;
  const { net, preprocessing, file } = loadModel(modelPath!, io.cwd, false);
  const out = resolve(io.cwd, v.out);
  const written: string[] = [];
  if (v.format === 'onnx') {
    const bytes = toOnnx(net);
    assertWritable(out, force);
    writeFileAtomic(out, bytes, force);
    written.push(out);
  } else {
    const { modelJson, weightsPath, weights } = toTfjsFiles(net);
    if (existsSync(out) && !statSync(out).isDirectory()) throw new CliError(`${out} exists and is not a folder; tfjs models are written as a folder`);
    const jsonPath = join(out, 'model.json');
    const binPath = join(out, weightsPath);
    // Check both files before writing either, so a refusal leaves nothing half written.
    if (!force) for (const p of [jsonPath, binPath]) if (existsSync(p)) throw new CliError(`${p} already exists; pass --force to overwrite it`);
    if (!existsSync(out)) mkdirSync(out);
    assertWritable(jsonPath, force);
    // Weights first: model.json, the file loaders open, appears only once its weights are in place.
    writeFileAtomic(binPath, weights, force);
    writeFileAtomic(jsonPath, `${JSON.stringify(modelJson)}\n`, force);
    written.push(jsonPath, binPath);
  }
  const note = preprocessing !== undefined ? describePreprocessing(preprocessing.input) : undefined;
  if (v.json) {
    io.stdout.write(`${JSON.stringify({ model: file, format: v.format, written, sizes: net.sizes, ...(note !== undefined ? { preprocessing: note } : {}) })}\n`);
  } else {
    io.stdout.write(`wrote ${written.join(' and ')} (${v.format}, layers ${net.sizes.join('-')})\n`);
    if (note !== undefined) io.stderr.write(`note: the exported network takes network inputs; apply the preprocessing yourself: ${note}\n`);
  }
  return 0;
}

function describePreprocessing(input: { kind: string; scale?: number; features?: string[] }): string {
  if (input.kind === 'scale') return `multiply raw inputs by ${input.scale}`;
  return `standardise the columns ${(input.features ?? []).join(', ')} with the mean and std in the model file's preprocessing.input`;
}
