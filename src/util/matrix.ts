/**
 * Dense float32 matrices, row-major. X is (n_x × m): one COLUMN per example.
 * Helpers to go between that layout and the "one row per example" arrays most JS data arrives in.
 */

export interface Matrix {
  rows: number;
  cols: number;
  /** row-major, length rows·cols: element (i, j) is data[i * cols + j] */
  data: Float32Array;
}

/** Numeric data accepted wherever a Matrix's `data` is read; anything else is rejected. */
export type MatrixData = Float32Array | Float64Array | readonly number[];

/**
 * What the API accepts wherever it reads a matrix: a Matrix, or the same shape with its data as a
 * Float64Array or number[] (converted to float32 on the way in).
 */
export interface MatrixInput {
  rows: number;
  cols: number;
  data: MatrixData;
}

/** A (rows × cols) matrix; `data` (row-major) is copied if given, zeros otherwise. */
export function matrix(rows: number, cols: number, data?: MatrixData): Matrix {
  const out = new Float32Array(rows * cols);
  if (data !== undefined) out.set(data);
  return { rows, cols, data: out };
}

/**
 * Builds X (n_x × m) from m examples given one row per example (`examples[i]` has n_x numbers):
 * example i becomes column i. This is the transpose of the array you pass in.
 */
export function fromExamples(examples: ArrayLike<ArrayLike<number>>): Matrix {
  const m = examples.length;
  const n = m > 0 ? examples[0].length : 0;
  const out = new Float32Array(n * m);
  for (let j = 0; j < m; j++) {
    const row = examples[j];
    if (row.length !== n) {
      throw new Error(
        `fromExamples: every example must have the same length; examples[0] has ${n} values, examples[${j}] has ${row.length}`,
      );
    }
    for (let i = 0; i < n; i++) out[i * m + j] = row[i];
  }
  return { rows: n, cols: m, data: out };
}

/**
 * Builds Y (n_y × m) from labels: a number per example gives a (1 × m) row of 0/1 targets;
 * an array per example gives one column per example, like `fromExamples`.
 */
export function fromLabels(labels: ArrayLike<number | ArrayLike<number>>): Matrix {
  const m = labels.length;
  if (m > 0 && typeof labels[0] === 'number') {
    const out = new Float32Array(m);
    for (let j = 0; j < m; j++) {
      const v = labels[j];
      if (typeof v !== 'number') {
        throw new Error(`fromLabels: labels[${j}] is ${typeof v}; expected a number like labels[0]`);
      }
      out[j] = v;
    }
    return { rows: 1, cols: m, data: out };
  }
  return fromExamples(labels as ArrayLike<ArrayLike<number>>);
}

/** The inverse of `fromExamples`: one row (a plain number array) per column of `a`. */
export function toExamples(a: Matrix): number[][] {
  const out: number[][] = [];
  for (let j = 0; j < a.cols; j++) {
    const row: number[] = new Array(a.rows);
    for (let i = 0; i < a.rows; i++) row[i] = a.data[i * a.cols + j];
    out.push(row);
  }
  return out;
}

/** dst[d0 + i·count + j] = src[i·m + perm[from + j]]: the columns perm[from …] of src (rows × m) into a (rows × count) block of dst. */
export function gatherColumnsInto(
  dst: Float32Array, d0: number, src: ArrayLike<number>, rows: number, m: number, perm: Int32Array, from: number, count: number,
): void {
  for (let i = 0; i < rows; i++) {
    const s = i * m, d = d0 + i * count;
    for (let j = 0; j < count; j++) dst[d + j] = src[s + perm[from + j]];
  }
}

/** The columns perm[from … from + count − 1] of src (rows × m), as a new (rows × count) Float32Array. */
export function gatherColumns(src: ArrayLike<number>, rows: number, m: number, perm: Int32Array, from: number, count: number): Float32Array {
  const out = new Float32Array(rows * count);
  gatherColumnsInto(out, 0, src, rows, m, perm, from, count);
  return out;
}

/** The columns perm[from … from + count − 1] of M, as a new (M.rows × count) matrix. */
export function takeColumns(M: { rows: number; cols: number; data: ArrayLike<number> }, perm: Int32Array, from: number, count: number): Matrix {
  return { rows: M.rows, cols: count, data: gatherColumns(M.data, M.rows, M.cols, perm, from, count) };
}

/** The columns from … from + count − 1 of src (rows × m) into a (rows × count) block of dst at float index d0. */
export function sliceColumnsInto(dst: Float32Array, d0: number, src: Float32Array, rows: number, m: number, from: number, count: number): void {
  for (let i = 0; i < rows; i++) dst.set(src.subarray(i * m + from, i * m + from + count), d0 + i * count);
}

/** Columns from … from + count − 1 of M as a new (M.rows × count) matrix; M itself when that is all of it. */
export function sliceColumns(M: Matrix, from: number, count: number): Matrix {
  if (from === 0 && count === M.cols) return M;
  const data = new Float32Array(M.rows * count);
  sliceColumnsInto(data, 0, M.data, M.rows, M.cols, from, count);
  return { rows: M.rows, cols: count, data };
}

/** The row of the largest entry in column j of a (rows × m) row-major block at `base` (the first on a tie). */
export function argmaxColumn(a: ArrayLike<number>, base: number, rows: number, m: number, j: number): number {
  let best = 0;
  for (let i = 1; i < rows; i++) if (a[base + i * m + j] > a[base + best * m + j]) best = i;
  return best;
}
