import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MLP, type ModelJSON, NablaError, parseModelJSON } from '@nabla/core';
import { CliError } from './io.js';
import { type Preprocessing, checkPreprocessing } from './preprocess.js';

/** How the model was trained; informative only. */
export interface TrainingRecord {
  readonly command: string;
  readonly epochs: number;
  readonly epochsPlanned: number;
  /** True when training was interrupted (Ctrl-C) and this is the model as it stood. */
  readonly partial: boolean;
  readonly date: string;
}

/**
 * The file `nabla train --out` writes: core's model format (`MLP.toJSON()`, readable by
 * `MLP.fromJSON` as it is) plus two top-level fields core ignores: `preprocessing` and `training`.
 */
export type ModelFile = ModelJSON & { readonly preprocessing: Preprocessing; readonly training?: TrainingRecord };

/** Temporary files being written, removed if the process is stopped hard. */
export const pendingTemporaryFiles = new Set<string>();

/** Fail before training when `path` exists and may not be replaced, or cannot be written. */
export function assertWritable(path: string, force: boolean): void {
  if (!force && existsSync(path)) throw new CliError(`${path} already exists; pass --force to overwrite it`);
  const dir = dirname(path);
  if (!existsSync(dir)) throw new CliError(`${dir}: no such directory for --out`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new CliError(`${dir}: the directory for --out is not writable`);
  }
}

/**
 * Write `text` to `path` so that an interruption leaves either the old file or the new one:
 * write a temporary file in the same directory, flush it to disk, then rename it into place.
 * Without `force`, an existing file is never replaced (a hard link fails if `path` exists).
 */
export function writeFileAtomic(path: string, text: string, force: boolean): void {
  const target = resolve(path);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  pendingTemporaryFiles.add(tmp);
  try {
    const fd = openSync(tmp, 'wx', 0o644);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (force) {
      renameSync(tmp, target);
    } else {
      try {
        linkSync(tmp, target);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new CliError(`${path} already exists; pass --force to overwrite it`);
        // A file system without hard links: check, then rename.
        if (existsSync(target)) throw new CliError(`${path} already exists; pass --force to overwrite it`);
        renameSync(tmp, target);
      }
    }
  } finally {
    if (existsSync(tmp)) unlinkSync(tmp);
    pendingTemporaryFiles.delete(tmp);
  }
}

/** Remove temporary files left by an interrupted write (called on a hard stop). */
export function removeTemporaryFiles(): void {
  for (const f of pendingTemporaryFiles) {
    try {
      unlinkSync(f);
    } catch {
      // already gone
    }
  }
  pendingTemporaryFiles.clear();
}

/** Save a trained network with its preprocessing, atomically. */
export function saveModel(path: string, net: MLP, preprocessing: Preprocessing, training: TrainingRecord, force: boolean): void {
  const file: ModelFile = { ...net.toJSON(), preprocessing, training };
  writeFileAtomic(path, `${JSON.stringify(file)}\n`, force);
}

/** Read a model file: the network, and its preprocessing when `needPreprocessing` (else if present). */
export function loadModel(path: string, cwd: string, needPreprocessing = true): { net: MLP; json: ModelJSON; preprocessing?: Preprocessing; training?: TrainingRecord; file: string } {
  const file = resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `${file}: no such model file` : `${file}: cannot read (${(e as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  let json: ModelJSON;
  let net: MLP;
  try {
    json = parseModelJSON(raw);
    net = MLP.fromJSON(json);
  } catch (e) {
    if (e instanceof NablaError) throw new CliError(`${file}: ${e.message}`);
    throw e;
  }
  const extra = raw as { preprocessing?: unknown; training?: TrainingRecord };
  const preprocessing = needPreprocessing || extra.preprocessing !== undefined ? checkPreprocessing(extra.preprocessing, file) : undefined;
  return { net, json, file, ...(preprocessing !== undefined ? { preprocessing } : {}), ...(extra.training !== undefined ? { training: extra.training } : {}) };
}
