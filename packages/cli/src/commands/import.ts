import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { MLP } from '@nabla/core';
import { NablaError } from '@nabla/core';
import { fromOnnx, fromTfjsFiles } from '@nabla/interop';
import { argsConfig, parse, positionals } from '../args.js';
import { CliError, type Io, UsageError } from '../io.js';
import { assertWritable, writeFileAtomic } from '../model-file.js';

export const importHelp = `Usage: nabla import FILE_OR_DIR --out MODEL.json [--force]

Read a model from another framework into a Nabla model file:
  an .onnx file     Nabla's own export, PyTorch's torch.onnx.export of an nn.Sequential of
                    Linear layers and activations, or tf2onnx's MatMul + Add
  a tfjs folder     (or its model.json): a TensorFlow.js layers model, a Sequential of Dense
                    layers with activations; the weight files sit beside model.json

The model file holds the network only (no preprocessing), so 'nabla info' reads it and the
views draw it; 'nabla eval' and 'predict' need the preprocessing that 'nabla train' records.

  --out PATH     the model file to write (required)
  --force        replace an existing file
  --json         print a summary as JSON
  --verbose      show stack traces of errors
  -h, --help     this help

Examples:
  nabla import mlp.onnx --out mlp.json
  nabla import tfjs-model/ --out mlp.json`;

const options = { out: { type: 'string' }, force: { type: 'boolean' } } as const;

function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${(e as Error).message})`);
  }
}

function readTfjs(jsonPath: string): MLP {
  const text = readBytes(jsonPath).toString();
  let manifest: unknown;
  try {
    manifest = (JSON.parse(text) as { weightsManifest?: unknown }).weightsManifest;
  } catch (e) {
    throw new CliError(`${jsonPath}: not valid JSON (${(e as Error).message})`);
  }
  const files: Record<string, Uint8Array> = {};
  if (Array.isArray(manifest)) {
    for (const group of manifest as { paths?: unknown }[]) {
      for (const p of Array.isArray(group?.paths) ? group.paths : []) {
        if (typeof p !== 'string' || p.includes('..') || p.startsWith('/')) throw new CliError(`${jsonPath}: weight path ${JSON.stringify(p)} must be a file beside model.json`);
        const full = join(dirname(jsonPath), p);
        if (existsSync(full)) files[p] = readBytes(full);
      }
    }
  }
  return fromTfjsFiles(text, files);
}

export async function importCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values: v, positionals: pos } = parse('import', () => parseArgs(argsConfig(argv, options)));
  if (v.help) {
    io.stdout.write(`${importHelp}\n`);
    return 0;
  }
  const [inputPath] = positionals('import', pos, ['FILE_OR_DIR']);
  if (v.out === undefined || v.out === '') throw new UsageError('nabla import needs --out MODEL.json (see nabla import --help)');
  const force = v.force === true;
  const input = resolve(io.cwd, inputPath!);
  const out = resolve(io.cwd, v.out);
  if (!existsSync(input)) throw new CliError(`${input}: no such file or folder`);
  assertWritable(out, force);
  let net: MLP;
  let format: 'onnx' | 'tfjs';
  try {
    if (statSync(input).isDirectory()) {
      const jsonPath = join(input, 'model.json');
      if (!existsSync(jsonPath)) throw new CliError(`${input}: a folder without model.json; give an .onnx file or a tfjs model folder`);
      net = readTfjs(jsonPath);
      format = 'tfjs';
    } else {
      const bytes = readBytes(input);
      // A tfjs model.json is text starting with '{'; an ONNX file starts with a protobuf tag.
      const text = bytes.subarray(0, 64).toString().trimStart();
      if (text.startsWith('{')) {
        net = readTfjs(input);
        format = 'tfjs';
      } else {
        net = fromOnnx(bytes);
        format = 'onnx';
      }
    }
  } catch (e) {
    if (e instanceof NablaError) throw new CliError(`${input}: ${e.message}`);
    throw e;
  }
  writeFileAtomic(out, `${JSON.stringify(net.toJSON())}\n`, force);
  if (v.json) io.stdout.write(`${JSON.stringify({ input, format, written: out, sizes: net.sizes, activations: net.activation, output: net.output, loss: net.loss })}\n`);
  else io.stdout.write(`wrote ${out} (from ${format}: layers ${net.sizes.join('-')}, ${[...net.activation, net.output].join(', ')}, loss ${net.loss})\n`);
  return 0;
}
