/**
 * One seeded shuffle-and-split of the examples (columns), used by trainTestSplit and by
 * training's `validation: fraction`: a Fisher–Yates permutation from the given stream, the first
 * m − held columns on one side and the last `held` on the other.
 */
import { takeColumns, type Matrix, type MatrixInput } from '../util/matrix.js';
import { createRng, identityPermutation, shuffleInPlace } from '../util/rng.js';
import type { Rng } from '../util/rng-stream.js';
import { checkMatrix, checkSeed, fail } from '../util/validate.js';

type Columns = { rows: number; cols: number; data: ArrayLike<number> };

/** Examples X (n_x × m) and their targets Y (n_y × m), one column per example. */
export interface Examples { X: Matrix; Y: Matrix }

/** The examples held out of m for a fraction: round(fraction·m), which must leave at least 1 on each side. */
export function heldOutCount(where: string, what: string, fraction: number, m: number): number {
  const n = Math.round(fraction * m);
  if (n < 1 || n > m - 1) {
    fail(where, what, `a fraction leaving at least 1 example on each side (X has ${m} columns)`, fraction, `${fraction}·${m} rounds to ${n}`);
  }
  return n;
}

/** The indices 0 … m − 1 in the order of one permutation drawn from rng: the first m − held kept, the last held out. */
export function splitIndices(m: number, held: number, rng: Rng): { kept: Int32Array; held: Int32Array } {
  const perm = shuffleInPlace(identityPermutation(m), rng);
  return { kept: perm.subarray(0, m - held), held: perm.subarray(m - held) };
}

/** X and Y (m columns each) shuffled by one permutation drawn from rng, split into the first m − held and the last held. */
export function shuffledSplit(X: Columns, Y: Columns, held: number, rng: Rng): { kept: Examples; held: Examples } {
  const { kept, held: out } = splitIndices(X.cols, held, rng);
  return {
    kept: { X: takeColumns(X, kept, 0, kept.length), Y: takeColumns(Y, kept, 0, kept.length) },
    held: { X: takeColumns(X, out, 0, out.length), Y: takeColumns(Y, out, 0, out.length) },
  };
}

export interface SplitOptions {
  /** the fraction of the examples held out for testing, in (0, 1); the count is rounded and must leave ≥ 1 on each side */
  test: number;
  /** seed of the shuffle; default 1 */
  seed?: number;
}

/**
 * Shuffles the examples (columns) of X and Y with a seeded Fisher–Yates and splits them: the
 * first round((1 − test)·m) for training, the rest for testing. Same seed, same split.
 */
export function trainTestSplit(X: MatrixInput, Y: MatrixInput, options: SplitOptions): { train: Examples; test: Examples } {
  const where = 'trainTestSplit';
  const Xc = checkMatrix(where, 'X', X);
  const Yc = checkMatrix(where, 'Y', Y, { cols: Xc.cols, colsWhy: 'the number of examples (columns) in X' });
  if (typeof options !== 'object' || options === null) fail(where, 'options', 'an object { test, seed? }', options);
  const m = Xc.cols;
  const t = options.test;
  if (typeof t !== 'number' || !(t > 0 && t < 1)) fail(where, 'test', 'a fraction between 0 and 1 (exclusive)', t);
  const nTest = heldOutCount(where, 'test', t, m);
  const seed = options.seed === undefined ? 1 : checkSeed(where, options.seed);
  const { kept, held } = shuffledSplit(Xc, Yc, nTest, createRng(seed));
  return { train: kept, test: held };
}
