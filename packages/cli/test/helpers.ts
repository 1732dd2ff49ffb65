import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { type Io, main } from '../src/index.js';

export const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A captured stream. */
export class Capture {
  text = '';
  constructor(readonly isTTY = false) {}
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

/** What one in-process run of the command line printed and returned. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `nabla argv...` in-process with captured streams, in `cwd`. */
export async function run(argv: string[], options: { cwd?: string; env?: Record<string, string | undefined>; signal?: AbortSignal } = {}): Promise<RunResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const io: Io = {
    stdout,
    stderr,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  };
  const code = await main(argv, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const temporary: string[] = [];

/** A fresh temporary directory, removed after the test. */
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'nabla-cli-'));
  temporary.push(d);
  return d;
}

afterEach(() => {
  for (const d of temporary.splice(0)) rmSync(d, { recursive: true, force: true });
});
