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

/**
 * A file named by a flag that cannot be used at all — missing, unreadable, not a file, empty,
 * without data rows, with a bad header or without the named column — found before any work:
 * exit code 2, like a bad flag (a file with bad rows is a DataError, exit code 1).
 */
export class UnusableFileError extends DataError {}

/** The error for a file with bad rows: every row counted, the first few listed with their lines. */
export function badRowsError(file: string, problems: readonly CsvProblem[]): DataError {
  const rows = badRowCount(problems);
  return new DataError(`${file}: ${rows} bad row${rows === 1 ? '' : 's'}; nothing was written\n${listProblems(problems)}`);
}

/** A value as it appears in a message: quoted, shortened. */
export const show = showField;

/** Byte offset of the first byte that does not belong to a valid UTF-8 sequence (the buffer has one). */
function firstBadUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const c = b[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    // the second byte's range rules out overlong forms, surrogates and code points past U+10FFFF
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80, hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return b.length;
}

/**
 * The file's text, decoded as UTF-8 (a byte-order mark dropped), with a clear error when it cannot
 * be read (UnusableFileError: missing, unreadable, a directory, over `maxBytes`) or holds bytes
 * that are not UTF-8 (a DataError naming the line and the byte: decoding them silently would
 * turn different labels into the same one).
 */
export function readText(file: string, what: string, maxBytes = MAX_CSV_BYTES): string {
  let bytes: Buffer;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new UnusableFileError(`${what} ${file} is not a file${st.isDirectory() ? ' (it is a directory)' : ''}`);
    if (st.size > maxBytes) throw new UnusableFileError(`${what} ${file} is ${st.size} bytes; the limit is ${maxBytes}`);
    bytes = readFileSync(file);
  } catch (e) {
    if (e instanceof DataError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (e as Error).message;
    throw new UnusableFileError(`cannot read ${what} ${file}: ${why}`);
  }
  return decodeText(file, bytes);
}

/** A file's bytes as UTF-8 text (a byte-order mark dropped), or a DataError naming the line of the first byte that is not UTF-8. */
export function decodeText(file: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstBadUtf8(bytes);
    // physical lines as the CSV reader counts them: CRLF, LF and a lone CR each end one
    let line = 1;
    for (let i = 0; i < at; i++) {
      if (bytes[i] === 10) line++;
      else if (bytes[i] === 13) { line++; if (bytes[i + 1] === 10) i++; }
    }
    const byte = at < bytes.length ? `byte 0x${bytes[at].toString(16).padStart(2, '0')} (at byte ${at} of the file)` : 'the last character (cut short)';
    throw new DataError(`${file}: line ${line}: ${byte} is not UTF-8; save the file as UTF-8 (decoded as anything else, labels such as "café" and "cafè" could become one)`);
  }
}

/** A parsed CSV file: header, data records, and the syntax problems of the records left out. */
export interface CsvTable extends LibraryCsvTable { file: string }

/**
 * The library's CsvError as this file's error: bad rows a DataError (exit code 1); a text that
 * cannot be used at all (empty, a bad header, no data rows, a missing column) an UnusableFileError.
 */
function fileError(file: string, e: unknown): unknown {
  if (!(e instanceof CsvError)) return e;
  return e.problems.length ? badRowsError(file, e.problems) : new UnusableFileError(`${file}${e.detail}`);
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
