/**
 * A CSV text (a header row naming the columns, one row per example) to matrices: numeric feature
 * columns found by name become X (n_x × m, one COLUMN per row of the file), and a target column
 * becomes class labels or numbers. Every row is checked — field count, numeric features, a
 * non-empty target — and every bad row is reported with its physical line number, all at once.
 * The text is split by parseCsv (RFC 4180: quoted fields, "" for a quote, CRLF or LF line ends,
 * a byte-order mark), so no "\r" is left on a label.
 */
import type { Matrix } from '../util/matrix.js';
import { fail } from '../util/validate.js';
import { parseCsv, parseNumber, type CsvProblem, type CsvRecord } from './csv.js';
import { encodeLabels } from './labels.js';

/** How many bad rows an error's message lists (`problems` holds them all). */
export const MAX_LISTED_PROBLEMS = 10;

/**
 * A CSV text that cannot be read as a table. `problems` lists every bad row by its physical line
 * (empty when the text as a whole is wrong: no header, no data rows, a missing column); `detail`
 * is the message without its subject, e.g. ` has no column "x" (a feature); its columns are …`
 * (so a caller can put a file name in front).
 */
export class CsvError extends Error {
  readonly problems: readonly CsvProblem[];
  readonly detail: string;
  constructor(where: string, detail: string, problems: readonly CsvProblem[] = []) {
    super(`${where}: the CSV text${detail}`);
    this.name = 'CsvError';
    this.detail = detail;
    this.problems = problems;
  }
}

/** Every bad row counted, the first few listed with their lines, in line order. */
export function listProblems(problems: readonly CsvProblem[]): string {
  const sorted = [...problems].sort((a, b) => a.line - b.line);
  const shown = sorted.slice(0, MAX_LISTED_PROBLEMS).map((p) => `  line ${p.line}: ${p.message}`);
  const more = sorted.length > MAX_LISTED_PROBLEMS ? [`  … and ${sorted.length - MAX_LISTED_PROBLEMS} more`] : [];
  return [...shown, ...more].join('\n');
}

/** The number of distinct lines with a problem. */
export function badRowCount(problems: readonly CsvProblem[]): number {
  return new Set(problems.map((p) => p.line)).size;
}

function rowsError(where: string, problems: readonly CsvProblem[]): CsvError {
  const n = badRowCount(problems);
  return new CsvError(where, ` has ${n} bad row${n === 1 ? '' : 's'}:\n${listProblems(problems)}`, problems);
}

/** A value as it appears in a message: quoted, shortened. */
export function showField(s: string): string {
  return JSON.stringify(s.length > 30 ? s.slice(0, 30) + '…' : s);
}

/** A CSV text split into its header (names trimmed) and data records; syntax problems kept for the row check. */
export interface CsvTable { header: string[]; headerLine: number; rows: CsvRecord[]; problems: CsvProblem[] }

/** Splits the text into header and rows; a missing or bad header, or no data rows, throws a CsvError. */
export function csvTable(text: string, where = 'readCsv'): CsvTable {
  const { records, problems } = parseCsv(text);
  if (records.length === 0 || (problems.length > 0 && problems[0].line < records[0].line)) {
    if (problems.length > 0) throw new CsvError(where, `: bad header row (line ${problems[0].line}): ${problems[0].message}`);
    throw new CsvError(where, ' is empty: it needs a header row (the column names) and data rows');
  }
  const [head, ...rows] = records;
  const header = head.fields.map((h) => h.trim());
  const bad: string[] = [];
  const seen = new Map<string, number>();
  header.forEach((h, i) => {
    if (h === '') bad.push(`column ${i + 1} has no name`);
    else if (seen.has(h)) bad.push(`it names column ${showField(h)} twice (columns ${seen.get(h)! + 1} and ${i + 1})`);
    else seen.set(h, i);
  });
  if (bad.length) throw new CsvError(where, `: bad header row (line ${head.line}): ${bad.join('; ')}`);
  if (rows.length === 0 && problems.length === 0) throw new CsvError(where, ' has a header row but no data rows');
  return { header, headerLine: head.line, rows, problems };
}

/** The header's columns for a message: the first 20 by name, then how many in all (a header may have 2^20). */
export function listColumns(header: readonly string[]): string {
  return header.slice(0, 20).map(showField).join(', ') + (header.length > 20 ? `, … (${header.length} in all)` : '');
}

/** Index of each named column, or a CsvError naming the missing ones and listing the columns. */
export function columnIndex(t: CsvTable, names: readonly string[], what: string, where = 'readCsv'): number[] {
  const missing = names.filter((n) => !t.header.includes(n));
  if (missing.length) {
    throw new CsvError(where, ` has no column ${missing.map(showField).join(', ')} (${what}); its columns are ${listColumns(t.header)}`);
  }
  return names.map((n) => t.header.indexOf(n));
}

/** The columns read from every row of a table. */
export interface CsvColumns {
  /** (n_x × m), one column per data row, the values as written (not standardized) */
  X: Matrix;
  /** the target field of each row, trimmed; null when no target was asked for */
  target: string[] | null;
  /** the physical line of each row */
  lines: number[];
}

/**
 * Reads the feature columns (and the target, if given) of every row. All problems are collected
 * and thrown as one CsvError listing them by line. `numberHint` follows "must be a number" in the
 * message for a non-numeric target.
 */
export function csvColumns(
  t: CsvTable, features: readonly string[], target: { name: string; numeric: boolean; numberHint?: string } | null, where = 'readCsv',
): CsvColumns {
  const fi = columnIndex(t, features, features.length === 1 ? 'a feature' : 'the features', where);
  const ti = target ? columnIndex(t, [target.name], 'the target', where)[0] : -1;
  const m = t.rows.length, n = features.length;
  const X = new Float32Array(n * m);
  const tv: string[] = [];
  const problems: CsvProblem[] = [...t.problems];
  t.rows.forEach((r, j) => {
    // count: a row keeps at most the header's fields + 1, but counts them all (src/data/csv.ts)
    if (r.count !== t.header.length) {
      problems.push({ line: r.line, message: `${r.count} field${r.count === 1 ? '' : 's'}; the header (line ${t.headerLine}) has ${t.header.length}` });
      return;
    }
    for (let i = 0; i < n; i++) {
      const s = r.fields[fi[i]];
      const x = parseNumber(s);
      if (Number.isNaN(x) || !Number.isFinite(Math.fround(x))) {
        const why = s.trim() === '' ? 'is empty' : Number.isNaN(x) ? `is not a number: ${showField(s)}` : `is out of float32 range: ${showField(s)}`;
        problems.push({ line: r.line, message: `feature column ${showField(features[i])} ${why}` });
        return;
      }
      X[i * m + j] = x;
    }
    if (target) {
      const s = r.fields[ti].trim();
      if (s === '') {
        problems.push({ line: r.line, message: `the target column ${showField(target.name)} is empty` });
        return;
      }
      if (target.numeric && !Number.isFinite(Math.fround(parseNumber(s)))) {
        problems.push({ line: r.line, message: `the target column ${showField(target.name)} must be a number${target.numberHint ?? ''}; got ${showField(s)}` });
        return;
      }
      tv[j] = s;
    }
  });
  if (problems.length) throw rowsError(where, problems);
  return { X: { rows: n, cols: m, data: X }, target: target ? tv : null, lines: t.rows.map((r) => r.line) };
}

export interface ReadCsvOptions {
  /** the column to predict; without it every column is a feature and Y is null */
  target?: string;
  /** the feature columns, in this order (default: every column but the target, in file order) */
  features?: readonly string[];
  /**
   * 'class' (default): the target holds class labels (text or numbers) → `classes` and Y of class
   * indices; 'number': the target is a number to predict → Y holds the values
   */
  targetType?: 'class' | 'number';
}

export interface CsvData {
  /** the column names of the header row, trimmed */
  header: string[];
  /** the feature columns, in the order of X's rows */
  features: string[];
  /** (n_x × m): row i is feature i, column j is the j-th data row; the values as written, not scaled */
  X: Matrix;
  /** (1 × m): class indices into `classes` ('class'), or the target's values ('number'); null without a target */
  Y: Matrix | null;
  /** the target column's field per data row, trimmed; null without a target */
  labels: string[] | null;
  /** 'class': the distinct labels, numerically ordered when all are numbers, else by code units; otherwise null */
  classes: string[] | null;
  /** the physical line (1-based) each data row starts on */
  lines: number[];
}

/**
 * Reads a CSV text with a header row into matrices. Throws a CsvError that lists every bad row
 * by line (wrong field count, a feature that is not a number, an empty target, an unclosed quote),
 * or says what is wrong with the text as a whole (no header, a missing column).
 */
export function readCsv(text: string, options: ReadCsvOptions = {}): CsvData {
  const where = 'readCsv';
  if (typeof text !== 'string') fail(where, 'text', "the CSV file's text (a string; in Node: readFileSync(path, 'utf8'))", text);
  if (typeof options !== 'object' || options === null) fail(where, 'options', 'an object { target?, features?, targetType? }', options);
  const { target, features: wanted, targetType = 'class' } = options;
  if (target !== undefined && typeof target !== 'string') fail(where, 'options.target', 'a column name (a string)', target);
  if (targetType !== 'class' && targetType !== 'number') fail(where, 'options.targetType', "'class' or 'number'", targetType);
  if (wanted !== undefined) {
    if (!Array.isArray(wanted) || wanted.length === 0 || wanted.some((f) => typeof f !== 'string') || new Set(wanted).size !== wanted.length) {
      fail(where, 'options.features', 'a non-empty array of distinct column names', wanted);
    }
    if (target !== undefined && wanted.includes(target)) fail(where, 'options.features', `a list without the target column ${showField(target)}`, wanted);
  }
  const table = csvTable(text, where);
  if (target !== undefined) columnIndex(table, [target], 'options.target', where);
  const features = wanted ? [...wanted] : table.header.filter((h) => h !== target);
  if (features.length === 0) throw new CsvError(where, ` has no feature column: its only column is the target ${showField(target!)}`);
  const cols = csvColumns(table, features, target === undefined ? null : { name: target, numeric: targetType === 'number' }, where);
  let Y: Matrix | null = null, classes: string[] | null = null;
  if (cols.target) {
    if (targetType === 'number') {
      Y = { rows: 1, cols: cols.target.length, data: Float32Array.from(cols.target, parseNumber) };
    } else {
      ({ classes, Y } = encodeLabels(cols.target));
    }
  }
  return { header: table.header, features, X: cols.X, Y, labels: cols.target, classes, lines: cols.lines };
}
