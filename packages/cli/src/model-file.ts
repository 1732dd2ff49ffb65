import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { MLP, type ModelJSON, NablaError, excerpt, parseModelJSON } from '@nabla/core';
import { CliError } from './io.js';
import { type Preprocessing, checkPreprocessing, checkPreprocessingFits } from './preprocess.js';

/** How the model was trained; informative only. */
export interface TrainingRecord {
  readonly command: string;
  readonly epochs: number;
  readonly epochsPlanned: number;
  /** True when training was interrupted (Ctrl-C) and this is the model as it stood. */
  readonly partial: boolean;
  /** True when training stopped on a DivergenceError and this is the last finite model. */
  readonly diverged?: boolean;
  readonly date: string;
}

/**
 * The file `nabla train --out` writes: core's model format (`MLP.toJSON()`, readable by
 * `MLP.fromJSON` as it is) plus two top-level fields core ignores: `preprocessing` and `training`.
 */
export type ModelFile = ModelJSON & { readonly preprocessing: Preprocessing; readonly training?: TrainingRecord };

/** Temporary files being written, removed if the process is stopped hard. */
export const pendingTemporaryFiles = new Set<string>();

/**
 * Fail before training, not after it, when the model could not be saved at `path`: it exists and
 * may not be replaced, it is a directory, a component of its folder is not a directory, or the
 * folder is not writable. The check creates and removes a probe file where the model will go.
 * Stale temporary files of earlier, killed saves to the same path are removed on the way.
 */
export function assertWritable(givenPath: string, force: boolean): void {
  const target = resolve(givenPath);
  const path = shortPath(givenPath);
  const dir = shortPath(dirname(target));
  let stat: ReturnType<typeof statSync> | undefined;
  try {
    stat = statSync(target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new CliError(`${path}: a component of the folder ${dir} is a file, not a directory; cannot save --out there`);
    if (code !== 'ENOENT') throw new CliError(`${path}: cannot check --out (${code ?? (e as Error).message})`);
  }
  if (stat?.isDirectory()) throw new CliError(`${path} is a directory; --out needs a file name`);
  if (stat !== undefined && !force) throw new CliError(`${path} already exists; pass --force to overwrite it`);
  if (!existsSync(dirname(target))) throw new CliError(`${dir}: no such directory for --out`);
  if (!statSync(dirname(target)).isDirectory()) throw new CliError(`${dir} is not a directory; cannot save --out there`);
  removeStaleTemporaryFiles(target);
  const probe = join(dirname(target), `.${basename(target)}.${process.pid}.probe.tmp`);
  try {
    const fd = openSync(probe, 'wx', 0o644);
    closeSync(fd);
    unlinkSync(probe);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    try {
      if (existsSync(probe)) unlinkSync(probe);
    } catch {
      // nothing more to do
    }
    throw new CliError(`${dir}: the directory for --out is not writable (${code ?? (e as Error).message})`);
  }
}

/** A path for a message: long ones keep their start and end. */
export function shortPath(p: string): string {
  return p.length > 200 ? `${p.slice(0, 100)}...${p.slice(-80)} (${p.length} characters)` : p;
}

/** Temporary file names of `writeFileAtomic`: `.NAME.PID.HEX.tmp`. */
const temporaryName = (name: string): RegExp => new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.(?:[0-9a-f]{8}|probe)\\.tmp$`);

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove the temporary files that saves to `path` left behind when their process was killed
 * (SIGKILL gives no chance to clean up): those whose process id no longer runs. Returns the
 * names removed.
 */
export function removeStaleTemporaryFiles(path: string): string[] {
  const target = resolve(path);
  const dir = dirname(target);
  const pattern = temporaryName(basename(target));
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = pattern.exec(name);
    if (m === null || processAlive(Number(m[1]))) continue;
    try {
      unlinkSync(join(dir, name));
      removed.push(name);
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}

/**
 * Write `text` to `path` so that an interruption leaves either the old file or the new one:
 * write a temporary file in the same directory, flush it to disk, then rename it into place.
 * Without `force`, an existing file is never replaced (a hard link fails if `path` exists).
 */
export function writeFileAtomic(path: string, text: string | Uint8Array, force: boolean): void {
  const target = resolve(path);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  pendingTemporaryFiles.add(tmp);
  try {
    const fd = openSync(tmp, 'wx', 0o644);
    try {
      if (typeof text === 'string') writeSync(fd, text);
      else writeSync(fd, text);
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
  removeStaleTemporaryFiles(path);
  writeFileAtomic(path, `${JSON.stringify(file)}\n`, force);
}

/**
 * Save to `path`; if that fails (the disk filled, the folder vanished, a file appeared there
 * without --force), save to a fallback path instead so the trained model is not lost: next to
 * `path`, else in the working directory, else in the system's temporary folder. Returns where
 * the model went and, for a fallback, why `path` failed.
 */
export function saveModelOrFallback(path: string, net: MLP, preprocessing: Preprocessing, training: TrainingRecord, force: boolean, cwd: string): { path: string; error?: string } {
  try {
    saveModel(path, net, preprocessing, training, force);
    return { path };
  } catch (e) {
    const error = e instanceof CliError ? e.message : `${(e as NodeJS.ErrnoException).code ?? 'error'}: ${(e as Error).message}`;
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const name = `${basename(path).replace(/\.json$/i, '')}.recovered-${stamp}-${process.pid}.json`;
    for (const dir of [dirname(resolve(path)), cwd, tmpdir()]) {
      const fallback = join(dir, name);
      try {
        saveModel(fallback, net, preprocessing, training, false);
        return { path: fallback, error };
      } catch {
        // try the next place
      }
    }
    throw new CliError(`could not save the model to ${path} (${error}), nor to a fallback file ${name} next to it, in ${cwd} or in ${tmpdir()}`);
  }
}

/** Check the informative `training` record of a model file: wrong types are named, not crashed on. */
function checkTraining(t: unknown, file: string): void {
  const fail = (what: string): never => {
    throw new CliError(`${file}: training ${what}`);
  };
  if (t === null || typeof t !== 'object' || Array.isArray(t)) fail(`is ${excerpt(t)}, expected an object`);
  const r = t as Record<string, unknown>;
  for (const key of ['epochs', 'epochsPlanned'] as const) {
    if (r[key] !== undefined && !(typeof r[key] === 'number' && Number.isInteger(r[key]) && (r[key] as number) >= 0)) fail(`.${key} is ${excerpt(r[key])}, expected an integer >= 0`);
  }
  for (const key of ['partial', 'diverged'] as const) {
    if (r[key] !== undefined && typeof r[key] !== 'boolean') fail(`.${key} is ${excerpt(r[key])}, expected true or false`);
  }
  for (const key of ['command', 'date'] as const) {
    if (r[key] !== undefined && typeof r[key] !== 'string') fail(`.${key} is ${excerpt(r[key])}, expected a string`);
  }
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
  if (preprocessing !== undefined) checkPreprocessingFits(preprocessing, net.inputSize, net.outputSize, file);
  if (extra.training !== undefined) checkTraining(extra.training, file);
  return { net, json, file, ...(preprocessing !== undefined ? { preprocessing } : {}), ...(extra.training !== undefined ? { training: extra.training } : {}) };
}
