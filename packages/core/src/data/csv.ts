// Over 300 lines: one format end to end (the tokenizer with quoted fields, cell and column rules, and the dataset built from them), each error naming the line and cell.
import { ParseError } from '../base/errors.js';
import { excerpt } from '../base/limits.js';

/** A CSV file split into cells: the header row, the data rows and each row's 1-based line number. */
export interface CsvTable {
  readonly header: string[];
  readonly rows: string[][];
  /** lines[i] is the 1-based line of the file where rows[i] starts. */
  readonly lines: number[];
  /** The 1-based line of the header row. */
  readonly headerLine: number;
}

/** Options of `parseCsv`. */
export interface CsvOptions {
  /** Name of the source (a file name) used in error messages. Default 'input'. */
  readonly name?: string;
  /** Field separator, one character. Default ','. */
  readonly delimiter?: string;
}

/**
 * Split CSV text (RFC 4180) into a header row and data rows of strings. Handles quoted fields
 * (with "" for a quote, and delimiters or line breaks inside quotes), LF and CRLF line ends, a
 * trailing newline, a UTF-8 byte-order mark, and blank lines (skipped). Cells are trimmed unless
 * quoted. Throws a ParseError naming the source and line for an empty file, an unterminated
 * quote, a duplicate or empty column name, or a row whose cell count differs from the header's.
 */
export function parseCsv(text: string, options: CsvOptions = {}): CsvTable {
  const name = options.name ?? 'input';
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new ParseError(`parseCsv(${name}): delimiter must be one character other than a quote or line break, got ${excerpt(delimiter)}`);
  }
  if (typeof text !== 'string') throw new ParseError(`parseCsv(${name}): expected text, got ${typeof text}`);
  const records: { cells: string[]; line: number }[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const cells: string[] = [];
    let blank = true;
    // One record: fields until an unquoted line break or the end of the text.
    for (;;) {
      let cell = '';
      // Skip leading spaces before a quote.
      let j = i;
      while (j < n && (text[j] === ' ' || text[j] === '\t')) j++;
      if (j < n && text[j] === '"') {
        blank = false;
        const quoteLine = line;
        i = j + 1;
        for (;;) {
          if (i >= n) throw new ParseError(`parseCsv(${name}): line ${quoteLine}: unterminated quoted field`);
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          cell += c;
          i++;
        }
        while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
        if (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') {
          throw new ParseError(`parseCsv(${name}): line ${line}: unexpected ${JSON.stringify(text[i])} after a closing quote`);
        }
      } else {
        const from = i;
        while (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') i++;
        cell = text.slice(from, i).trim();
        if (cell !== '') blank = false;
      }
      cells.push(cell);
      if (i < n && text[i] === delimiter) {
        blank = false;
        i++;
        continue;
      }
      break;
    }
    // The line break (CRLF, LF or a lone CR).
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    if (!blank) records.push({ cells, line: start });
  }
  const first = records[0];
  if (first === undefined) throw new ParseError(`parseCsv(${name}): the file is empty; expected a header row and data rows`);
  const header = first.cells;
  const seen = new Map<string, number>();
  header.forEach((h, c) => {
    if (h === '') throw new ParseError(`parseCsv(${name}): line ${first.line}: column ${c + 1} of the header has no name`);
    const prev = seen.get(h);
    if (prev !== undefined) throw new ParseError(`parseCsv(${name}): line ${first.line}: column name ${excerpt(h)} appears twice (columns ${prev + 1} and ${c + 1})`);
    seen.set(h, c);
  });
  const rows: string[][] = [];
  const lines: number[] = [];
  for (let r = 1; r < records.length; r++) {
    const rec = records[r]!;
    if (rec.cells.length !== header.length) {
      throw new ParseError(`parseCsv(${name}): line ${rec.line}: ragged row, ${rec.cells.length} cells where the header has ${header.length} columns`);
    }
    rows.push(rec.cells);
    lines.push(rec.line);
  }
  if (rows.length === 0) throw new ParseError(`parseCsv(${name}): line ${first.line}: a header but no data rows`);
  return { header, rows, lines, headerLine: first.line };
}

/** Decimal number syntax: optional sign, digits with an optional point, optional exponent. Linear to match. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parse one cell as a finite decimal number (`12`, `-0.5`, `.5`, `1e-3`), or return undefined.
 * Hexadecimal, binary and octal literals (`0x1A`, `0b101`, `0o17`), `NaN`, `inf`, `Infinity`,
 * blanks and numbers that overflow to Infinity (`1e999`) are not numbers here.
 */
export function parseNumberCell(cell: string): number | undefined {
  if (!DECIMAL.test(cell)) return undefined;
  const v = Number(cell);
  return Number.isFinite(v) ? v : undefined;
}

/** Cells that mean "missing" or "not finite" in a numeric column, compared in lower case. */
const MISSING = new Set(['', 'nan', '-nan', '+nan', 'inf', '-inf', '+inf', 'infinity', '-infinity', '+infinity', 'na', 'n/a', 'null', 'none', '?', '-']);

/**
 * The numeric values of the named columns, as rows. Throws a ParseError for a column not in the
 * header (listing those that are) and for a cell that is not a finite number (naming its line
 * and column).
 */
export function csvColumns(table: CsvTable, columns: readonly string[], options: { readonly name?: string } = {}): number[][] {
  const name = options.name ?? 'input';
  const lookup = headerIndex(table);
  const index = columns.map((c) => columnIndex(table, c, name, lookup));
  return table.rows.map((row, r) =>
    index.map((c) => {
      const v = parseNumberCell(row[c]!);
      if (v === undefined) {
        throw new ParseError(`csvColumns(${name}): line ${table.lines[r]}, column ${excerpt(table.header[c])}: ${excerpt(row[c])} is not a number`);
      }
      return v;
    }),
  );
}

/** At most `max` names, quoted and each cut to 40 characters: `"a", "b", ... (100000 in all)`. */
function quotedList(names: readonly string[], max = 8): string {
  const shown = names.slice(0, max).map((h) => excerpt(h, 40));
  return `${shown.join(', ')}${names.length > max ? `, ... (${names.length} in all)` : ''}`;
}

/** Column name -> index, built once per table (a linear scan per lookup is quadratic in wide files). */
const headerIndexes = new WeakMap<CsvTable, Map<string, number>>();
function headerIndex(table: CsvTable): Map<string, number> {
  let m = headerIndexes.get(table);
  if (m === undefined) {
    m = new Map(table.header.map((h, i) => [h, i]));
    headerIndexes.set(table, m);
  }
  return m;
}

function columnIndex(table: CsvTable, column: string, name: string, lookup = headerIndex(table)): number {
  const c = lookup.get(column);
  if (c === undefined) {
    throw new ParseError(`csv(${name}): no column named ${excerpt(column)}; the header has ${quotedList(table.header)}`);
  }
  return c;
}

/** Options of `csvDataset`. */
export interface CsvDatasetOptions {
  /** Name of the source (a file name) used in error messages. Default 'input'. */
  readonly name?: string;
  /** Target column(s), by name. Required. */
  readonly target: string | readonly string[];
  /** Feature columns, by name. Default: every column that is not a target. */
  readonly features?: readonly string[];
  /**
   * 'classification' maps the distinct values of the (single) target column to class indices;
   * 'regression' reads the target columns as numbers. Default 'auto': classification when a
   * target cell is not a number, or when a single target column holds only integers with at most
   * 20 distinct values; regression otherwise.
   */
  readonly task?: 'auto' | 'classification' | 'regression';
  /**
   * Class names in index order, e.g. those a model was trained with; labels outside the list are
   * an error. Default: the distinct values, sorted (numerically when they are all numbers).
   */
  readonly classes?: readonly string[];
}

/** A numeric table ready for training: features x, targets y (one-hot for classification). */
export interface CsvDataset {
  readonly task: 'classification' | 'regression';
  readonly featureNames: string[];
  readonly targetNames: string[];
  readonly x: number[][];
  /** Regression: the target values; classification: one-hot rows over `classes`. */
  readonly y: number[][];
  /** Classification: the class index of each row. */
  readonly labels?: number[];
  /** Classification: class names, index i is class i. */
  readonly classes?: string[];
}

/** Most distinct integer values a target may have for 'auto' to call it a classification. */
const AUTO_MAX_CLASSES = 20;

/**
 * Parse a CSV numeric table with a header row and pick its target column(s) by name. Features
 * must be numbers; a classification target may hold any strings. Errors (ParseError) name the
 * source, line and column.
 */
export function csvDataset(text: string, options: CsvDatasetOptions): CsvDataset {
  const name = options.name ?? 'input';
  const table = parseCsv(text, { name });
  const targets = typeof options.target === 'string' ? [options.target] : [...(options.target ?? [])];
  if (targets.length === 0) throw new ParseError(`csvDataset(${name}): no target column given`);
  const targetIndex = targets.map((t) => columnIndex(table, t, name));
  const targetSet = new Set(targets);
  const featureNames = options.features !== undefined ? [...options.features] : table.header.filter((h) => !targetSet.has(h));
  if (featureNames.length === 0) throw new ParseError(`csvDataset(${name}): no feature columns left besides the target ${excerpt(targets)}`);
  const x = csvColumns(table, featureNames, { name });
  let task = options.task ?? 'auto';
  if (task === 'auto') task = options.classes !== undefined ? 'classification' : guessTask(table, targetIndex, name);
  if (task === 'regression') {
    return { task, featureNames, targetNames: targets, x, y: csvColumns(table, targets, { name }) };
  }
  if (targets.length !== 1) throw new ParseError(`csvDataset(${name}): classification takes one target column, got ${targets.length}: ${excerpt(targets)}`);
  const c = targetIndex[0]!;
  const values = table.rows.map((row) => row[c]!);
  const classes = options.classes !== undefined ? [...options.classes] : distinctSorted(values);
  const index = new Map(classes.map((k, i) => [k, i]));
  const labels = values.map((v, r) => {
    const k = index.get(v) ?? index.get(canonicalNumber(v));
    if (k === undefined) {
      throw new ParseError(`csvDataset(${name}): line ${table.lines[r]}, column ${excerpt(targets[0])}: label ${excerpt(v)} is not one of the classes ${quotedList(classes)}`);
    }
    return k;
  });
  const y = labels.map((k) => {
    const row = new Array<number>(classes.length).fill(0);
    row[k] = 1;
    return row;
  });
  return { task, featureNames, targetNames: targets, x, y, labels, classes };
}

/**
 * 'auto': a target with a label that is neither a number nor a missing-value token (NaN, inf,
 * blank, NA, ...) is a classification. A numeric target with missing-value cells is an error
 * naming the first such cell: it must not silently become a classification with a "NaN" class.
 */
function guessTask(table: CsvTable, targetIndex: readonly number[], name: string): 'classification' | 'regression' {
  const distinct = new Set<number>();
  let integers = true;
  let missing: { r: number; c: number } | undefined;
  let labels = false;
  for (let r = 0; r < table.rows.length; r++) {
    const row = table.rows[r]!;
    for (const c of targetIndex) {
      const cell = row[c]!;
      const v = parseNumberCell(cell);
      if (v === undefined) {
        if (cell.length <= 9 && MISSING.has(cell.toLowerCase())) missing ??= { r, c };
        else labels = true;
        continue;
      }
      if (!Number.isInteger(v)) integers = false;
      if (distinct.size <= AUTO_MAX_CLASSES) distinct.add(v);
    }
  }
  if (labels) return 'classification';
  if (missing !== undefined) {
    throw new ParseError(
      `csvDataset(${name}): line ${table.lines[missing.r]}, column ${excerpt(table.header[missing.c])}: ${excerpt(table.rows[missing.r]![missing.c])} in a numeric target column; fill in or drop the row (or pass task 'classification' to treat it as a label)`,
    );
  }
  return targetIndex.length === 1 && integers && distinct.size <= AUTO_MAX_CLASSES ? 'classification' : 'regression';
}

/** '1.0' and '1' name the same numeric class. */
function canonicalNumber(v: string): string {
  const n = parseNumberCell(v);
  return n === undefined ? v : String(n);
}

/** Distinct values, sorted numerically when all are numbers (in canonical form), else as strings. */
function distinctSorted(values: readonly string[]): string[] {
  const numeric = values.every((v) => parseNumberCell(v) !== undefined);
  if (numeric) {
    return [...new Set(values.map((v) => parseNumberCell(v)!))].sort((a, b) => a - b).map(String);
  }
  return [...new Set(values)].sort();
}
