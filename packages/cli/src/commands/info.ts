import { parseArgs } from 'node:util';
import { type CheckpointStrategy, bytesPerElement, checkpointSchedule, simulateSchedule } from '@nabla/core';
import { checkpointName, argsConfig, numberOption, parse, parseCheckpoint, positionals } from '../args.js';
import type { Io } from '../io.js';
import { loadModel } from '../model-file.js';

export const infoHelp = `Usage: nabla info MODEL.json [--batch N] [--checkpoint S] [--json]

Describe a saved model: layers, activations, parameters, the preprocessing it applies, and the
activation memory of one training step per checkpointing strategy for a batch of N samples
(peak live activation elements per sample x N x bytes per element).

  --batch N          batch size for the memory figures (default 64)
  --checkpoint S     also show this strategy: none, sqrt, every:K or budget:S
  --json             print the results as JSON
  --verbose          show stack traces of errors
  -h, --help         this help

Example:
  nabla info fashion.json --batch 256`;

const options = { batch: { type: 'string' }, checkpoint: { type: 'string' } } as const;

/** Human-readable bytes (KiB, MiB). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

export async function infoCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values: v, positionals: pos } = parse('info', () => parseArgs(argsConfig(argv, options)));
  if (v.help) {
    io.stdout.write(`${infoHelp}\n`);
    return 0;
  }
  const [modelPath] = positionals('info', pos, ['MODEL.json']);
  const batch = numberOption('batch', v.batch, 64, { integer: true, min: 1 });
  const { net, preprocessing, training, file } = loadModel(modelPath!, io.cwd, false);
  const L = net.depth;
  const bpe = bytesPerElement(net.dtype);
  const strategies: CheckpointStrategy[] = ['none', 'sqrt', { every: 2 }, { budget: 1 }, { budget: 2 }];
  if (v.checkpoint !== undefined) strategies.push(parseCheckpoint(v.checkpoint));
  const seen = new Set<string>();
  const memory = strategies
    .filter((s) => {
      const key = checkpointName(s);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((s) => {
      const sim = simulateSchedule(L, checkpointSchedule(L, s), net.sizes);
      return { strategy: checkpointName(s), forwardEvaluations: sim.forwardEvaluations, peakActivations: sim.peakActivations, peakUnits: sim.peakUnits, bytes: sim.peakUnits * batch * bpe };
    });
  const layers = net.sizes.slice(1).map((n, i) => ({
    layer: i + 1,
    inputs: net.sizes[i]!,
    outputs: n,
    activation: i + 1 < L ? net.activation[i]! : net.output,
    parameters: n * (net.sizes[i]! + 1),
  }));
  const parameterBytes = net.parameterCount * bpe;
  if (v.json) {
    io.stdout.write(
      `${JSON.stringify({ model: file, sizes: net.sizes, dtype: net.dtype, loss: net.loss, parameters: net.parameterCount, parameterBytes, layers, batch, memory, preprocessing: preprocessing ?? null, training: training ?? null })}\n`,
    );
    return 0;
  }
  const lines = [
    `model: ${file}`,
    `layers: ${net.sizes.join('-')} (${L} weight layers), ${net.dtype}, loss ${net.loss}`,
  ];
  for (const l of layers) lines.push(`  layer ${l.layer}: ${l.inputs} -> ${l.outputs} ${l.activation}, ${l.parameters} parameters`);
  lines.push(`parameters: ${net.parameterCount} (${formatBytes(parameterBytes)})`);
  if (preprocessing !== undefined) {
    const p = preprocessing;
    const input = p.input.kind === 'scale' ? `inputs x ${formatScale(p.input.scale)}` : `standardised columns ${p.input.features.join(', ')}`;
    lines.push(`data: ${p.source}${p.path !== undefined ? ` (${p.path})` : ''}, ${p.task}${p.classes !== undefined ? ` of ${p.classes.length} classes (${p.classes.join(', ')})` : ''}; ${input}`);
  }
  if (training !== undefined) lines.push(`trained: ${training.epochs} of ${training.epochsPlanned} epochs${training.partial ? ' (partial: interrupted)' : ''}, ${training.date}`);
  lines.push(`activation memory of one training step, batch ${batch}:`);
  const w = Math.max(...memory.map((m) => m.strategy.length));
  for (const m of memory) {
    lines.push(`  ${m.strategy.padEnd(w)}  peak ${String(m.peakUnits).padStart(7)} values/sample = ${formatBytes(m.bytes).padStart(10)}, ${m.forwardEvaluations} layer forwards (L = ${L})`);
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** 1/255 rather than 0.00392156862745098. */
function formatScale(scale: number): string {
  const inverse = 1 / scale;
  return Math.abs(inverse - Math.round(inverse)) < 1e-9 && Math.round(inverse) !== 1 ? `1/${Math.round(inverse)}` : String(scale);
}
