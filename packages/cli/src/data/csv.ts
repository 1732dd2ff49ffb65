import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type CsvDataset, Matrix, csvDataset } from '@nabla/core';
import { CliError } from '../io.js';

/** Read a CSV file as text, with a clear error when it is missing. */
export function readCsvText(path: string, cwd: string): { text: string; file: string } {
  const file = resolve(cwd, path);
  try {
    return { text: readFileSync(file, 'utf8'), file };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${(e as Error).message})`);
  }
}

/** Options passed through to core's `csvDataset`. */
export interface CsvLoadOptions {
  readonly target: readonly string[];
  readonly task?: 'auto' | 'classification' | 'regression';
  readonly features?: readonly string[];
  readonly classes?: readonly string[];
}

/** A CSV file as a numeric data set (core's `csvDataset`), its rows as matrices. */
export function loadCsv(path: string, cwd: string, options: CsvLoadOptions): { data: CsvDataset; x: Matrix; y: Matrix; file: string } {
  const { text, file } = readCsvText(path, cwd);
  const data = csvDataset(text, {
    name: file,
    target: options.target,
    ...(options.task !== undefined ? { task: options.task } : {}),
    ...(options.features !== undefined ? { features: options.features } : {}),
    ...(options.classes !== undefined ? { classes: options.classes } : {}),
  });
  return { data, x: Matrix.from(data.x, 'float64'), y: Matrix.from(data.y, 'float64'), file };
}
