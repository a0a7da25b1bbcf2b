/**
 * Every check of user input. Each failure throws an Error naming the argument, what was expected,
 * and what was given — before any kernel runs, so a rejected call changes nothing.
 */
import type { MatrixData } from './matrix.js';

/** A short, readable description of any value, for error messages. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'bigint') return `${v}n (a bigint)`;
  if (typeof v !== 'object') return `${String(v)} (${typeof v})`;
  if (Array.isArray(v)) return `an Array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) {
    const len = (v as unknown as { length?: number }).length ?? v.byteLength;
    const name = v.constructor.name;
    return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name} of length ${len}`;
  }
  const keys = Object.keys(v);
  return keys.length ? `an object with keys {${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}}` : 'an empty object';
}

export function fail(where: string, what: string, expected: string, got: unknown, hint = ''): never {
  throw new Error(`${where}: ${what} must be ${expected}; got ${describe(got)}${hint ? `. ${hint}` : ''}`);
}

export function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

export function checkPositiveInt(where: string, what: string, v: unknown, max = 2 ** 30): number {
  if (!isPositiveInt(v) || v > max) fail(where, what, `an integer from 1 to ${max}`, v);
  return v;
}

export function checkPositiveFinite(where: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(where, what, 'a finite number > 0', v);
  if (!Number.isFinite(Math.fround(v)) || Math.fround(v) === 0) fail(where, what, 'representable in float32 (about 1.2e-38 to 3.4e38)', v);
  return v;
}

export function checkSeed(where: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(where, 'seed', 'an integer', v);
  return v;
}

/** True for the data types a Matrix's `data` may have: Float32Array, Float64Array or number[]. */
export function isMatrixData(v: unknown): v is MatrixData {
  return v instanceof Float32Array || v instanceof Float64Array || Array.isArray(v);
}

const DATA_TYPES = 'a Float32Array, a Float64Array or a number[] (row-major)';

/** A matrix argument after checking: its data may still be any accepted MatrixData type. */
export interface CheckedMatrix { rows: number; cols: number; data: MatrixData }

/**
 * Checks a Matrix argument: shape, data type and length, every value finite in float32, and the
 * extra `inRange` check if given. `rows`/`cols` are the expected sizes, when known.
 */
export function checkMatrix(
  where: string,
  name: string,
  v: unknown,
  expect: {
    rows?: number; rowsWhy?: string; cols?: number; colsWhy?: string; range?: [number, number];
    /** added to a wrong-rows message: X and Y hold examples as columns, parameters do not */
    rowsHint?: string;
  } = {},
): CheckedMatrix {
  if (Array.isArray(v)) {
    fail(where, name, 'a Matrix { rows, cols, data }', v,
      Array.isArray(v[0]) ? 'Build one from one-row-per-example arrays with fromExamples(rows) or fromLabels(labels)' : '');
  }
  if (typeof v !== 'object' || v === null) fail(where, name, 'a Matrix { rows, cols, data }', v);
  const o = v as Record<string, unknown>;
  checkPositiveInt(where, `${name}.rows`, o.rows);
  checkPositiveInt(where, `${name}.cols`, o.cols);
  const rows = o.rows as number, cols = o.cols as number;
  if (!isMatrixData(o.data)) fail(where, `${name}.data`, DATA_TYPES, o.data);
  const data = o.data as MatrixData;
  if (data.length !== rows * cols) {
    fail(where, `${name}.data.length`, `rows·cols = ${rows}·${cols} = ${rows * cols}`, data.length);
  }
  if (expect.rows !== undefined && rows !== expect.rows) {
    fail(where, `${name}.rows`, `${expect.rows}${expect.rowsWhy ? ` (${expect.rowsWhy})` : ''}`, rows, expect.rowsHint);
  }
  if (expect.cols !== undefined && cols !== expect.cols) {
    fail(where, `${name}.cols`, `${expect.cols}${expect.colsWhy ? ` (${expect.colsWhy})` : ''}`, cols);
  }
  checkValues(where, name, data, cols, expect.range);
  return { rows, cols, data };
}

/**
 * Checks a vector argument (a bias, say): accepted data type, length n, finite float32 values.
 * It may also be given as an (n × 1) matrix { rows, cols, data }.
 */
export function checkVector(where: string, name: string, v: unknown, n: number): MatrixData {
  if (typeof v === 'object' && v !== null && !isMatrixData(v) && !ArrayBuffer.isView(v)) {
    return checkMatrix(where, name, v, { rows: n, cols: 1 }).data;
  }
  if (!isMatrixData(v)) fail(where, name, `${DATA_TYPES.replace(' (row-major)', '')} of length ${n}`, v);
  if (v.length !== n) fail(where, `${name}.length`, String(n), v.length);
  checkValues(where, name, v, 1);
  return v;
}

/**
 * True when every value of a Float32Array is finite: x·0 is 0 for finite x and NaN for ±∞ and NaN,
 * so the sums below are 0 exactly when all are. Four sums keep the loop free of branches and of one
 * long dependency chain (about 2.5× faster than a branch per value; it only says yes or no).
 */
function allFinite(d: Float32Array): boolean {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = 0;
  const n4 = d.length - (d.length & 3);
  for (; i < n4; i += 4) {
    s0 += d[i] * 0;
    s1 += d[i + 1] * 0;
    s2 += d[i + 2] * 0;
    s3 += d[i + 3] * 0;
  }
  for (; i < d.length; i++) s0 += d[i] * 0;
  return s0 + s1 + s2 + s3 === 0;
}

function checkValues(where: string, name: string, data: MatrixData, cols: number, range?: [number, number]): void {
  // float32 data without a range: finite is all there is to check (the loop below finds the first bad value)
  if (range === undefined && data instanceof Float32Array && allFinite(data)) return;
  const [lo, hi] = range ?? [-Infinity, Infinity];
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    const f = Math.fround(x);
    if (typeof x !== 'number' || !Number.isFinite(f) || f < lo || f > hi) {
      const at = cols === 1 ? `${name}[${i}]` : `${name}[${Math.floor(i / cols)}, ${i % cols}] (data[${i}])`;
      const want = range ? `a finite number in [${lo}, ${hi}]` : 'a finite number (in float32 range)';
      fail(where, `every value of ${name}`, want, x, `First bad value at ${at}`);
    }
  }
}
