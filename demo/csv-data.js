// A user's CSV file as playground data: a header row, then rows of two numeric columns (x₁, x₂)
// and a label. Parsed by the library's CSV reader (dist/browser/csv.js, built from
// src/data/csv.ts: RFC 4180, physical line numbers); every bad row is reported with its line, the
// first few listed, and nothing is loaded, as `wasm-mlp train` does.
//
// Labels that are all numbers, with a non-integer among them or more than MAX_CLASSES distinct
// values, make a regression set; anything else is classes (sorted: numerically when all are
// numbers). Both features are standardized (mean 0, standard deviation 1), and so is a
// regression target, so that any file's scale trains with the page's learning rates.

import { parseCsv, parseNumber } from '../dist/browser/csv.js';

export const MAX_CLASSES = 8;
export const MAX_ROWS = 5000;
export const MAX_BYTES = 4 * 2 ** 20;
const LISTED = 10;

const show = (s) => JSON.stringify(s.length > 30 ? s.slice(0, 30) + '…' : s);

/** The error text for a file with bad rows: counted, the first few listed with their lines. */
function badRows(name, problems) {
  const sorted = [...problems].sort((a, b) => a.line - b.line);
  const rows = new Set(sorted.map((p) => p.line)).size;
  const lines = sorted.slice(0, LISTED).map((p) => `line ${p.line}: ${p.message}`);
  if (sorted.length > LISTED) lines.push(`… and ${sorted.length - LISTED} more`);
  return `${name}: ${rows} bad row${rows === 1 ? '' : 's'}; nothing was loaded\n${lines.join('\n')}`;
}

/** Mean 0 and standard deviation 1 in place (a constant column becomes 0); returns [mean, std]. */
function standardize(v) {
  let mean = 0;
  for (const x of v) mean += x / v.length;
  let sq = 0;
  for (const x of v) sq += (x - mean) ** 2 / v.length;
  const std = Math.sqrt(sq) || 1;
  for (let i = 0; i < v.length; i++) v[i] = (v[i] - mean) / std;
  return [mean, std];
}

/**
 * Reads the text of file `name`: { ok: true, data } with data = { name, X (2 × m), Y (m),
 * classNames (null for regression), columns, m, scale }, or { ok: false, message }.
 */
export function readLabelledCsv(name, text) {
  if (text.length > MAX_BYTES) return { ok: false, message: `${name} is ${text.length} characters; the page reads files up to ${MAX_BYTES}` };
  const { records, problems } = parseCsv(text);
  if (records.length === 0 || (problems.length > 0 && problems[0].line < records[0].line)) {
    if (problems.length) return { ok: false, message: `${name}: bad header row (line ${problems[0].line}): ${problems[0].message}` };
    return { ok: false, message: `${name} is empty: it needs a header row (x₁, x₂, label) and data rows` };
  }
  const [head, ...rows] = records;
  const columns = head.fields.map((f) => f.trim());
  if (columns.length !== 3) {
    return { ok: false, message: `${name}: the header (line ${head.line}) has ${columns.length} column${columns.length === 1 ? '' : 's'}; the page needs 3: two numeric columns and a label` };
  }
  if (rows.length === 0 && problems.length === 0) return { ok: false, message: `${name} has a header row but no data rows` };
  if (rows.length > MAX_ROWS) return { ok: false, message: `${name} has ${rows.length} data rows; the page takes up to ${MAX_ROWS}` };
  const bad = [...problems];
  const x1 = [], x2 = [], labels = [];
  for (const r of rows) {
    if (r.fields.length !== 3) {
      bad.push({ line: r.line, message: `${r.fields.length} field${r.fields.length === 1 ? '' : 's'}; the header (line ${head.line}) has 3` });
      continue;
    }
    const xs = [0, 1].map((i) => parseNumber(r.fields[i]));
    const badX = xs.findIndex((x) => !Number.isFinite(Math.fround(x)));
    if (badX >= 0) {
      const f = r.fields[badX];
      bad.push({ line: r.line, message: `column ${show(columns[badX])} ${f.trim() === '' ? 'is empty' : `is not a number: ${show(f)}`}` });
      continue;
    }
    const label = r.fields[2].trim();
    if (label === '') {
      bad.push({ line: r.line, message: `the label (column ${show(columns[2])}) is empty` });
      continue;
    }
    x1.push(xs[0]);
    x2.push(xs[1]);
    labels.push(label);
  }
  if (bad.length) return { ok: false, message: badRows(name, bad) };

  const m = labels.length;
  const numbers = labels.map(parseNumber);
  const numeric = numbers.every(Number.isFinite);
  const distinct = [...new Set(labels)];
  const regression = numeric && (numbers.some((v) => !Number.isInteger(v)) || distinct.length > MAX_CLASSES);
  let Y, classNames = null;
  if (regression) {
    Y = Float32Array.from(numbers);
  } else {
    if (distinct.length > MAX_CLASSES) return { ok: false, message: `${name}: the label column ${show(columns[2])} has ${distinct.length} classes; the page draws up to ${MAX_CLASSES}` };
    if (distinct.length < 2) return { ok: false, message: `${name}: every label is ${show(distinct[0])}; a classifier needs at least 2 classes` };
    classNames = numeric ? distinct.sort((a, b) => parseNumber(a) - parseNumber(b)) : distinct.sort();
    const index = new Map(classNames.map((c, i) => [c, i]));
    Y = Float32Array.from(labels, (l) => index.get(l));
  }
  const c1 = Float64Array.from(x1), c2 = Float64Array.from(x2);
  const scale = { x1: standardize(c1), x2: standardize(c2), y: null };
  if (regression) {
    const y = Float64Array.from(Y);
    scale.y = standardize(y);
    Y = Float32Array.from(y);
  }
  const X = new Float32Array(2 * m);
  X.set(c1);
  X.set(c2, m);
  return { ok: true, data: { name, X: { rows: 2, cols: m, data: X }, Y: { rows: 1, cols: m, data: Y }, classNames, columns, m, scale } };
}
