/**
 * From a user's CSV file to matrices, for `wasm-mlp train` and `wasm-mlp predict`: columns found
 * by name in the header row, every row checked (field count, numeric features, a target), and
 * every bad row reported with its physical line number. Nothing here trains or writes.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseCsv, parseNumber, type CsvProblem, type CsvRecord } from '../data/csv.js';
import type { Matrix } from '../util/matrix.js';

/** How many bad rows an error lists (it counts them all). */
export const MAX_LISTED_PROBLEMS = 10;
/** Largest CSV file read (its text must fit a JS string, with room to spare). */
export const MAX_CSV_BYTES = 256 * 2 ** 20;

/** A problem with the user's files (exit code 1), as opposed to a bad flag (exit code 2). */
export class DataError extends Error {}

/** The error for a file with bad rows: every row counted, the first few listed with their lines. */
export function badRowsError(file: string, problems: readonly CsvProblem[]): DataError {
  const sorted = [...problems].sort((a, b) => a.line - b.line);
  const shown = sorted.slice(0, MAX_LISTED_PROBLEMS).map((p) => `  line ${p.line}: ${p.message}`);
  const more = sorted.length > MAX_LISTED_PROBLEMS ? [`  … and ${sorted.length - MAX_LISTED_PROBLEMS} more`] : [];
  const rows = new Set(sorted.map((p) => p.line)).size;
  return new DataError([`${file}: ${rows} bad row${rows === 1 ? '' : 's'}; nothing was written`, ...shown, ...more].join('\n'));
}

/** A value as it appears in a message: quoted, shortened. */
export function show(s: string): string {
  return JSON.stringify(s.length > 30 ? s.slice(0, 30) + '…' : s);
}

/** The file's text (UTF-8), with a clear error when it cannot be read. */
export function readText(file: string, what: string): string {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new DataError(`${what} ${file} is not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (size > MAX_CSV_BYTES) throw new DataError(`${what} ${file} is ${size} bytes; the limit is ${MAX_CSV_BYTES}`);
  return readFileSync(file, 'utf8');
}

/** A parsed CSV file: header, data records, and the syntax problems of the records left out. */
export interface CsvTable { file: string; header: string[]; headerLine: number; rows: CsvRecord[]; problems: CsvProblem[] }

/** Splits the text into header and rows; only a missing or bad header throws here. */
export function readCsvTable(file: string, text: string): CsvTable {
  const { records, problems } = parseCsv(text);
  if (records.length === 0 || (problems.length > 0 && problems[0].line < records[0].line)) {
    if (problems.length > 0) throw new DataError(`${file}: bad header row (line ${problems[0].line}): ${problems[0].message}`);
    throw new DataError(`${file} is empty: it needs a header row (the column names) and data rows`);
  }
  const [head, ...rows] = records;
  const header = head.fields.map((h) => h.trim());
  const bad: string[] = [];
  const seen = new Map<string, number>();
  header.forEach((h, i) => {
    if (h === '') bad.push(`column ${i + 1} has no name`);
    else if (seen.has(h)) bad.push(`it names column ${show(h)} twice (columns ${seen.get(h)! + 1} and ${i + 1})`);
    else seen.set(h, i);
  });
  if (bad.length) throw new DataError(`${file}: bad header row (line ${head.line}): ${bad.join('; ')}`);
  if (rows.length === 0 && problems.length === 0) throw new DataError(`${file} has a header row but no data rows`);
  return { file, header, headerLine: head.line, rows, problems };
}

function fieldCountProblem(r: CsvRecord, n: number, headerLine: number): CsvProblem {
  return { line: r.line, message: `${r.fields.length} field${r.fields.length === 1 ? '' : 's'}; the header (line ${headerLine}) has ${n}` };
}

/** Index of each named column, or a DataError naming the missing ones and listing the columns. */
export function columnIndex(t: CsvTable, names: readonly string[], what: string): number[] {
  const missing = names.filter((n) => !t.header.includes(n));
  if (missing.length) {
    throw new DataError(`${t.file} has no column ${missing.map(show).join(', ')} (${what}); its columns are ${t.header.map(show).join(', ')}`);
  }
  return names.map((n) => t.header.indexOf(n));
}

export interface Extracted {
  /** (n_x × m), one column per data row, raw (not standardized) */
  X: Matrix;
  /** the target field of each row, trimmed (when a target column was asked for) */
  target: string[] | null;
  /** the physical line of each row */
  lines: number[];
}

/**
 * Reads the feature columns (and the target, if `target` is given) of every row. Every row is
 * checked; all problems are collected and thrown as one DataError listing them by line.
 */
export function extract(t: CsvTable, features: readonly string[], target: { name: string; numeric: boolean } | null): Extracted {
  const fi = columnIndex(t, features, features.length === 1 ? 'a feature' : 'the features');
  const ti = target ? columnIndex(t, [target.name], 'the target')[0] : -1;
  const m = t.rows.length, n = features.length;
  const X = new Float32Array(n * m);
  const tv: string[] = [];
  const problems: CsvProblem[] = [...t.problems];
  t.rows.forEach((r, j) => {
    if (r.fields.length !== t.header.length) {
      problems.push(fieldCountProblem(r, t.header.length, t.headerLine));
      return;
    }
    for (let i = 0; i < n; i++) {
      const s = r.fields[fi[i]];
      const x = parseNumber(s);
      if (Number.isNaN(x) || !Number.isFinite(Math.fround(x))) {
        const why = s.trim() === '' ? 'is empty' : Number.isNaN(x) ? `is not a number: ${show(s)}` : `is out of float32 range: ${show(s)}`;
        problems.push({ line: r.line, message: `feature column ${show(features[i])} ${why}` });
        return;
      }
      X[i * m + j] = x;
    }
    if (target) {
      const s = r.fields[ti].trim();
      if (s === '') {
        problems.push({ line: r.line, message: `the target column ${show(target.name)} is empty` });
        return;
      }
      if (target.numeric && !Number.isFinite(Math.fround(parseNumber(s)))) {
        problems.push({ line: r.line, message: `the target column ${show(target.name)} must be a number for --regression; got ${show(s)}` });
        return;
      }
      tv[j] = s;
    }
  });
  if (problems.length) throw badRowsError(t.file, problems);
  return { X: { rows: n, cols: m, data: X }, target: target ? tv : null, lines: t.rows.map((r) => r.line) };
}

/**
 * Mean and standard deviation (population, in float64) of the n values at(0) … at(n − 1). A
 * constant column (or one whose 1/std overflows) gets std 1: it carries no information, and
 * dividing by 1 keeps it finite (it becomes 0).
 */
export function meanStd(n: number, at: (j: number) => number): { mean: number; std: number } {
  let s = 0;
  for (let j = 0; j < n; j++) s += at(j);
  const mean = s / n;
  let v = 0;
  for (let j = 0; j < n; j++) v += (at(j) - mean) ** 2;
  const sd = Math.sqrt(v / n);
  return { mean, std: sd > 0 && Number.isFinite(1 / sd) ? sd : 1 };
}

/** Per-feature mean and standard deviation (meanStd of each row of X). */
export function standardization(X: Matrix): { mean: number[]; std: number[] } {
  const mean: number[] = [], std: number[] = [];
  for (let i = 0; i < X.rows; i++) {
    const r = meanStd(X.cols, (j) => X.data[i * X.cols + j]);
    mean.push(r.mean);
    std.push(r.std);
  }
  return { mean, std };
}

/** (x − mean) / std per feature row, in place; computed in float64, stored as float32. */
export function applyStandardization(X: Matrix, s: { mean: readonly number[]; std: readonly number[] }): Matrix {
  for (let i = 0; i < X.rows; i++) {
    for (let j = 0; j < X.cols; j++) X.data[i * X.cols + j] = (X.data[i * X.cols + j] - s.mean[i]) / s.std[i];
  }
  return X;
}

/**
 * The classes of a label column, in a stable order: numerically when every label is a number
 * ("1" and "1.0" are then the same class, written "1"), otherwise by code units.
 */
export function classesOf(labels: readonly string[]): { classes: string[]; index: Int32Array } {
  const numeric = labels.every((s) => !Number.isNaN(parseNumber(s)));
  const key = numeric ? (s: string) => String(parseNumber(s)) : (s: string) => s;
  const distinct = [...new Set(labels.map(key))];
  if (numeric) distinct.sort((a, b) => Number(a) - Number(b));
  else distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const at = new Map(distinct.map((c, k) => [c, k]));
  return { classes: distinct, index: Int32Array.from(labels, (s) => at.get(key(s))!) };
}
