/**
 * From a user's CSV file to matrices, for `wasm-mlp train` and `wasm-mlp predict`: the library's
 * reader (src/data/read-csv.ts: columns found by name in the header row, every row checked, every
 * bad row reported with its physical line number), with the file's name in its messages. Nothing
 * here trains or writes.
 */
import { readFileSync, statSync } from 'node:fs';
import type { CsvProblem } from '../data/csv.js';
import {
  badRowCount, csvColumns, CsvError, csvTable, listProblems, showField, type CsvColumns, type CsvTable as LibraryCsvTable,
} from '../data/read-csv.js';

/** Largest CSV file read (its text must fit a JS string, with room to spare). */
export const MAX_CSV_BYTES = 256 * 2 ** 20;

/** A problem with the user's files (exit code 1), as opposed to a bad flag (exit code 2). */
export class DataError extends Error {}

/** The error for a file with bad rows: every row counted, the first few listed with their lines. */
export function badRowsError(file: string, problems: readonly CsvProblem[]): DataError {
  const rows = badRowCount(problems);
  return new DataError(`${file}: ${rows} bad row${rows === 1 ? '' : 's'}; nothing was written\n${listProblems(problems)}`);
}

/** A value as it appears in a message: quoted, shortened. */
export const show = showField;

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
export interface CsvTable extends LibraryCsvTable { file: string }

/** The library's CsvError as this file's DataError. */
function fileError(file: string, e: unknown): unknown {
  if (!(e instanceof CsvError)) return e;
  return e.problems.length ? badRowsError(file, e.problems) : new DataError(`${file}${e.detail}`);
}

/** Splits the text into header and rows; only a missing or bad header (or no data rows) throws here. */
export function readCsvTable(file: string, text: string): CsvTable {
  try {
    return { file, ...csvTable(text, file) };
  } catch (e) {
    throw fileError(file, e);
  }
}

/**
 * Reads the feature columns (and the target, if `target` is given) of every row. Every row is
 * checked; all problems are collected and thrown as one DataError listing them by line.
 */
export function extract(t: CsvTable, features: readonly string[], target: { name: string; numeric: boolean } | null): CsvColumns {
  try {
    return csvColumns(t, features, target && { ...target, numberHint: ' for --regression' }, t.file);
  } catch (e) {
    throw fileError(t.file, e);
  }
}
