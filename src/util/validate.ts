/**
 * Every check of user input. Each failure throws an Error naming the argument, what was expected,
 * and what was given — before any kernel runs, so a rejected call changes nothing.
 */
import type { MatrixData } from './matrix.js';

/** The name of a real typed array ('Float32Array', …), or undefined for anything else (a Proxy over one included). */
const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Int8Array.prototype), Symbol.toStringTag)!.get!;
export function typedArrayName(v: unknown): string | undefined {
  return typedArrayTag.call(v) as string | undefined;
}

/** An object whose prototype chain has a typed array's, but that is not one (a Proxy over one, say). */
function isPosingTypedArray(v: object): boolean {
  return typedArrayName(v) === undefined && Object.prototype.isPrototypeOf.call(Object.getPrototypeOf(Int8Array.prototype), v);
}

/** A short, readable description of any value, for error messages; never throws. */
export function describe(v: unknown): string {
  try {
    return describeValue(v);
  } catch {
    return `a value that cannot be inspected (${typeof v})`;
  }
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'bigint') return `${String(v).length > 40 ? String(v).slice(0, 40) + '…' : v}n (a bigint)`;
  if (typeof v !== 'object') return `${String(v)} (${typeof v})`;
  if (Array.isArray(v)) return `an Array of length ${v.length}`;
  const tag = typedArrayName(v);
  if (tag !== undefined) {
    // a real typed array: its class by name (a Buffer says Buffer), its length
    const ctor = (v as { constructor?: { name?: unknown } }).constructor?.name;
    const name = typeof ctor === 'string' && ctor !== '' ? ctor : tag;
    return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name} of length ${(v as unknown as ArrayLike<unknown>).length}`;
  }
  if (v instanceof DataView) return `a DataView of ${v.byteLength} bytes`;
  if (isPosingTypedArray(v)) return 'an object posing as a typed array (a Proxy or a copy of its prototype), not a real one';
  const keys = Object.keys(v);
  return keys.length ? `an object with keys {${keys.slice(0, 6).map((k) => (k.length > 40 ? k.slice(0, 40) + '…' : k)).join(', ')}${keys.length > 6 ? ', …' : ''}}` : 'an empty object';
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

/**
 * True for the data types a Matrix's `data` may have: a real Float32Array or Float64Array (not a
 * Proxy over one, whose length and elements would run code), or an Array (its elements are read
 * once each, so a Proxy over an array is read like one).
 */
export function isMatrixData(v: unknown): v is MatrixData {
  const name = typedArrayName(v);
  return name === 'Float32Array' || name === 'Float64Array' || Array.isArray(v);
}

const DATA_TYPES = 'a Float32Array, a Float64Array or a number[] (row-major)';

/** A matrix argument after checking: a fresh float32 copy of its values, shared with nothing. */
export interface CheckedMatrix { rows: number; cols: number; data: Float32Array }

/**
 * Checks a Matrix argument: shape, data type and length, every value finite in float32, and the
 * extra `inRange` check if given. `rows`/`cols` are the expected sizes, when known. The values are
 * read once into a fresh Float32Array and the checks run on that copy, so what is checked is what
 * is used: a getter or a Proxy cannot change a value between the check and its use, and a throw
 * while reading leaves nothing half done.
 */
export function checkMatrix(
  where: string,
  name: string,
  v: unknown,
  expect: {
    rows?: number; rowsWhy?: string; cols?: number; colsWhy?: string; range?: [number, number];
    /** added to a wrong-rows message: X and Y hold examples as columns, parameters do not */
    rowsHint?: string;
    /**
     * where the copy goes: a Float32Array of length n that the caller owns and no one else uses
     * until the call returns (a spare it reuses, say); default a new one
     */
    into?: (n: number) => Float32Array;
  } = {},
): CheckedMatrix {
  if (Array.isArray(v)) {
    fail(where, name, 'a Matrix { rows, cols, data }', v,
      Array.isArray(v[0]) ? 'Build one from one-row-per-example arrays with fromExamples(rows) or fromLabels(labels)' : '');
  }
  if (typeof v !== 'object' || v === null || typedArrayName(v) !== undefined || isPosingTypedArray(v)) {
    fail(where, name, 'a Matrix { rows, cols, data }', v);
  }
  const o = v as Record<string, unknown>;
  // each property read once: what is checked is what is used
  const rows = checkPositiveInt(where, `${name}.rows`, o.rows);
  const cols = checkPositiveInt(where, `${name}.cols`, o.cols);
  const data = o.data;
  if (!isMatrixData(data)) fail(where, `${name}.data`, DATA_TYPES, data);
  const n = data.length;
  if (n !== rows * cols) {
    fail(where, `${name}.data.length`, `rows·cols = ${rows}·${cols} = ${rows * cols}`, n);
  }
  if (expect.rows !== undefined && rows !== expect.rows) {
    fail(where, `${name}.rows`, `${expect.rows}${expect.rowsWhy ? ` (${expect.rowsWhy})` : ''}`, rows, expect.rowsHint);
  }
  if (expect.cols !== undefined && cols !== expect.cols) {
    fail(where, `${name}.cols`, `${expect.cols}${expect.colsWhy ? ` (${expect.colsWhy})` : ''}`, cols);
  }
  return { rows, cols, data: copyValues(where, name, data, n, cols, expect.range, expect.into) };
}

/**
 * Checks a vector argument (a bias, say): accepted data type, length n, finite float32 values;
 * returns a fresh Float32Array copy. It may also be given as an (n × 1) matrix { rows, cols, data }.
 */
export function checkVector(where: string, name: string, v: unknown, n: number): Float32Array {
  if (typeof v === 'object' && v !== null && !isMatrixData(v) && typedArrayName(v) === undefined && !isPosingTypedArray(v)) {
    return checkMatrix(where, name, v, { rows: n, cols: 1 }).data;
  }
  if (!isMatrixData(v)) fail(where, name, `${DATA_TYPES.replace(' (row-major)', '')} of length ${n}`, v);
  const len = v.length;
  if (len !== n) fail(where, `${name}.length`, String(n), len);
  return copyValues(where, name, v, n, 1);
}

/**
 * data[0 … n) as a new Float32Array, each element read once: a real typed array is copied by the
 * engine (no code of the caller runs), an Array element by element (a non-number is refused as it
 * is read). Then every value of the copy is checked: finite in float32, and in `range` if given.
 */
function copyValues(where: string, name: string, data: MatrixData, n: number, cols: number, range?: [number, number],
  into?: (n: number) => Float32Array): Float32Array {
  const out = into ? into(n) : new Float32Array(n);
  const at = (i: number) => (cols === 1 ? `${name}[${i}]` : `${name}[${Math.floor(i / cols)}, ${i % cols}] (data[${i}])`);
  const bad = (i: number, x: unknown): never => fail(where, `every value of ${name}`,
    range ? `a finite number in [${range[0]}, ${range[1]}]` : 'a finite number (in float32 range)', x, `First bad value at ${at(i)}`);
  const lo = range ? range[0] : -Infinity, hi = range ? range[1] : Infinity;
  if (Array.isArray(data)) {
    for (let i = 0; i < n; i++) {
      const x: unknown = data[i]; // the one read of this element
      if (typeof x !== 'number') bad(i, x);
      out[i] = x as number;
      const f = out[i]; // the stored float32 is what is checked
      if (!Number.isFinite(f) || f < lo || f > hi) bad(i, x);
    }
    return out;
  }
  out.set(data); // the engine copies a real typed array: no code of the caller runs
  // a quick yes (finite; and in range, if given), else the loop finds the first bad value
  if (range === undefined ? allFinite(out) : allWithin(out, lo, hi)) return out;
  for (let i = 0; i < n; i++) {
    const f = out[i];
    if (!Number.isFinite(f) || f < lo || f > hi) bad(i, data[i]);
  }
  return out;
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

/**
 * True when every value of a Float32Array is in [lo, hi] (finite bounds): p = (x − lo)·(hi − x) is
 * ≥ 0 exactly then (a difference's sign is exact; ±∞ and NaN give −∞ or NaN), and p − |p| is 0
 * for p ≥ 0, negative or NaN otherwise. Four sums, no branch per value, as allFinite.
 */
function allWithin(d: Float32Array, lo: number, hi: number): boolean {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = 0;
  const n4 = d.length - (d.length & 3);
  for (; i < n4; i += 4) {
    let p = (d[i] - lo) * (hi - d[i]);
    s0 += p - Math.abs(p);
    p = (d[i + 1] - lo) * (hi - d[i + 1]);
    s1 += p - Math.abs(p);
    p = (d[i + 2] - lo) * (hi - d[i + 2]);
    s2 += p - Math.abs(p);
    p = (d[i + 3] - lo) * (hi - d[i + 3]);
    s3 += p - Math.abs(p);
  }
  for (; i < d.length; i++) {
    const p = (d[i] - lo) * (hi - d[i]);
    s0 += p - Math.abs(p);
  }
  return s0 + s1 + s2 + s3 === 0;
}

/** Edit distance (insertions, deletions, substitutions) between two short strings. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

/** ` (did you mean 'x'?)` for the allowed key closest to `key`, when it is a likely typo; else ''. */
export function didYouMean(key: string, allowed: readonly string[]): string {
  if (key.length > 64) return '';
  let best = '', dist = Infinity;
  for (const a of allowed) {
    const d = a.toLowerCase() === key.toLowerCase() ? 0.5 : editDistance(key, a);
    if (d < dist) { best = a; dist = d; }
  }
  return dist <= Math.max(2, Math.floor(key.length / 4)) ? ` (did you mean '${best}'?)` : '';
}

/**
 * An options object as a prototype-free record of its own enumerable string keys, each read once:
 * nothing inherited (from Object.prototype, say) is ever read as an option, and a key not in
 * `allowed` is an error naming it, the closest allowed key, and the list. `expected` describes
 * the object; `what` names it in messages ('options', …) and `kind` says what its keys are.
 */
export function ownOptions(
  where: string, options: unknown, allowed: readonly string[], expected: string, what = 'options', kind = `an option of ${where}`,
): Record<string, unknown> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) fail(where, what, expected, options);
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      fail(where, `${what}.${key}`, `left out (not ${kind}${didYouMean(key, allowed)}; the options are ${allowed.join(', ')})`, (options as Record<string, unknown>)[key]);
    }
    out[key] = (options as Record<string, unknown>)[key];
  }
  return out;
}

/**
 * The elements of an array argument, each read once, refusing holes (which would read through
 * Array.prototype) and array-likes: a fresh plain array.
 */
export function ownElements(where: string, what: string, v: unknown[]): unknown[] {
  const out = new Array<unknown>(v.length);
  for (let i = 0; i < v.length; i++) {
    if (!Object.hasOwn(v, i)) fail(where, `${what}[${i}]`, 'present', 'a hole in the array');
    out[i] = v[i];
  }
  return out;
}
