/**
 * Feature scaling fitted on training data: each feature (a row of X, n_x × m) becomes
 * (x − mean) / std with the mean and the population standard deviation of the training examples.
 * The network sees what it was trained on only if new data goes through the SAME standardizer:
 * fit once, apply to the training data and to everything predicted later, and save it with the
 * model (toJSON / Standardizer.fromJSON, or saveModel / loadModel).
 */
import type { Matrix, MatrixInput } from '../util/matrix.js';
import { checkMatrix, describe, fail } from '../util/validate.js';

/** A standardizer as plain JSON: one mean and one standard deviation per feature. */
export interface StandardizerJSON { mean: number[]; std: number[] }

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

export class Standardizer {
  /** per feature (row of X): the training mean */
  readonly mean: readonly number[];
  /** per feature: the training standard deviation (population), > 0 */
  readonly std: readonly number[];

  private constructor(mean: number[], std: number[]) {
    this.mean = Object.freeze(mean);
    this.std = Object.freeze(std);
  }

  /** A standardizer from `toJSON()`'s object (or its text); every value is checked. */
  static fromJSON(json: unknown): Standardizer {
    const where = 'Standardizer.fromJSON';
    let o = json;
    if (typeof o === 'string') {
      try {
        o = JSON.parse(o);
      } catch (e) {
        fail(where, 'json', "a standardizer's JSON text { mean, std }", o, `It does not parse: ${(e as Error).message}`);
      }
    }
    if (typeof o !== 'object' || o === null || Array.isArray(o)) fail(where, 'json', 'an object { mean, std }', o);
    const r = o as Record<string, unknown>;
    for (const k of Object.keys(r)) if (k !== 'mean' && k !== 'std') throw new Error(`${where}: unexpected key ${describe(k)}; a standardizer has only the keys mean, std`);
    const mean = Object.hasOwn(r, 'mean') ? r.mean : undefined;
    const std = Object.hasOwn(r, 'std') ? r.std : undefined;
    if (!Array.isArray(mean) || mean.length < 1) fail(where, 'mean', 'an array of at least 1 number (one per feature)', mean);
    if (!Array.isArray(std) || std.length !== mean.length) fail(where, 'std', `an array of ${mean.length} numbers (one per feature, as mean)`, std);
    for (let i = 0; i < mean.length; i++) {
      const v = Object.hasOwn(mean, i) ? mean[i] : undefined;
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(where, `mean[${i}]`, 'a finite number', v);
      const s = Object.hasOwn(std, i) ? std[i] : undefined;
      if (typeof s !== 'number' || !(s > 0) || !Number.isFinite(1 / s) || !Number.isFinite(s)) fail(where, `std[${i}]`, 'a finite number > 0', s);
    }
    return new Standardizer([...mean] as number[], [...std] as number[]);
  }

  /** The number of features it scales (the rows X must have). */
  get features(): number {
    return this.mean.length;
  }

  /**
   * A new (n_x × m) matrix: (X[i, j] − mean[i]) / std[i], computed in float64 and stored as
   * float32. X must have one row per feature, in the order fitted.
   */
  apply(X: MatrixInput): Matrix {
    const where = 'Standardizer.apply';
    const n = this.mean.length;
    const { rows, cols, data } = checkMatrix(where, 'X', X, {
      rows: n, rowsWhy: 'the number of features the standardizer was fitted on',
      rowsHint: 'X holds one COLUMN per example and one row per feature',
    });
    const out = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const mu = this.mean[i], sd = this.std[i];
      for (let j = 0; j < cols; j++) out[i * cols + j] = (data[i * cols + j] - mu) / sd;
    }
    return { rows, cols, data: out };
  }

  /** { mean, std } as fresh arrays; JSON.stringify(standardizer) writes it. */
  toJSON(): StandardizerJSON {
    return { mean: [...this.mean], std: [...this.std] };
  }
}

/**
 * Fits a standardizer on training data X (n_x × m, one column per example): per feature (row) the
 * mean and the population standard deviation, in float64. Apply it to the training data and to
 * every X predicted later.
 */
export function fitStandardizer(X: MatrixInput): Standardizer {
  const { rows, cols, data } = checkMatrix('fitStandardizer', 'X', X, { rowsHint: 'X holds one COLUMN per example' });
  const mean: number[] = [], std: number[] = [];
  for (let i = 0; i < rows; i++) {
    const r = meanStd(cols, (j) => data[i * cols + j]);
    mean.push(r.mean);
    std.push(r.std);
  }
  return Standardizer.fromJSON({ mean, std });
}
