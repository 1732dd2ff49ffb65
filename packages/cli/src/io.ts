/** A stream the commands write to: process.stdout or a test's capture. */
export interface Output {
  write(text: string): unknown;
  /** True on an interactive terminal: progress redraws in place. */
  readonly isTTY?: boolean;
  /** Terminal width in characters, when known. */
  readonly columns?: number;
}

/** Everything a command touches outside its arguments, so tests can run `main` in-process. */
export interface Io {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory that relative paths are resolved against. */
  readonly cwd: string;
  /** Aborted when the user presses Ctrl-C: training stops after the current batch. */
  readonly signal?: AbortSignal;
}

/** An error meant for the user: printed as one line, exit code `exitCode` (2: bad usage). */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** Bad command-line usage (unknown option, missing argument): exit code 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/** Exit code of a run stopped by Ctrl-C (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;
