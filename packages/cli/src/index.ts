import { NablaError, excerpt } from '@nabla/core';
import { evalCommand, evalHelp } from './commands/eval.js';
import { exportCommand, exportHelp } from './commands/export.js';
import { importCommand, importHelp } from './commands/import.js';
import { infoCommand, infoHelp } from './commands/info.js';
import { predictCommand, predictHelp } from './commands/predict.js';
import { trainCommand, trainHelp } from './commands/train.js';
import { CliError, EXIT_INTERRUPTED, type Io } from './io.js';
import { removeTemporaryFiles } from './model-file.js';

export { CliError, EXIT_INTERRUPTED, type Io, type Output, UsageError } from './io.js';
export type { ModelFile, TrainingRecord } from './model-file.js';
export type { InputTransform, Preprocessing } from './preprocess.js';

const commands: Record<string, { run: (argv: readonly string[], io: Io) => Promise<number>; help: string }> = {
  train: { run: trainCommand, help: trainHelp },
  eval: { run: evalCommand, help: evalHelp },
  predict: { run: predictCommand, help: predictHelp },
  info: { run: infoCommand, help: infoHelp },
  export: { run: exportCommand, help: exportHelp },
  import: { run: importCommand, help: importHelp },
};

export const mainHelp = `Usage: nabla <command> [options]

Commands:
  train     train a network on fashion-mnist, mnist or a CSV file, and save it
  eval      evaluate a saved model on test data
  predict   predict for the rows of a CSV file (CSV on stdout)
  info      layers, parameters and activation memory per checkpointing strategy
  export    write a model as ONNX or a TensorFlow.js layers model
  import    read an ONNX or TensorFlow.js model into a model file

'nabla <command> --help' describes each command. Every command takes --json (machine-readable
results) and --verbose (stack traces on errors).`;

/**
 * Run the command line with `argv` (without node and script) and the given streams; resolves to
 * the exit code. Errors are printed as one line on stderr (with the stack under --verbose).
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    io.stdout.write(`${topic !== undefined && commands[topic] !== undefined ? commands[topic].help : mainHelp}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    io.stderr.write(`nabla: unknown command ${excerpt(name)}; use train, eval, predict, info, export or import (nabla --help)
`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    const verbose = rest.includes('--verbose');
    const known = e instanceof CliError || e instanceof NablaError;
    const message = e instanceof Error ? e.message : String(e);
    const hint = !known && !verbose ? ' (run with --verbose for the stack trace)' : '';
    io.stderr.write(`nabla ${name}: ${known ? '' : 'unexpected error: '}${message.split('\n')[0]}${hint}\n`);
    if (verbose && e instanceof Error && e.stack !== undefined) io.stderr.write(`${e.stack}\n`);
    return e instanceof CliError ? e.exitCode : 1;
  }
}

/**
 * The process's streams and environment. The first Ctrl-C aborts the returned signal (training
 * stops after the current batch); a second one quits at once, removing temporary files.
 */
export function nodeIo(): Io {
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) {
      removeTemporaryFiles();
      process.exit(EXIT_INTERRUPTED);
    }
    process.stderr.write('\nnabla: stopping after the current batch (Ctrl-C again to quit now)\n');
    controller.abort();
  });
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), signal: controller.signal };
}
