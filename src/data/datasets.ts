/**
 * Seeded toy data sets. The classification generators return X (2 × m), one column per example
 * (row 0 = x, row 1 = y), and Y (1 × m) with labels 0 or 1 (0 … K−1 for `spiral` and `blobs` with
 * `classes: K`); the regression generators (`plane`, `gaussian`, `sine`) return real-valued
 * targets Y (1 × m), with X (2 × m), or (1 × m) for the 1-D `sine`. The same options and seed
 * always give bit-identical matrices.
 *
 * With `rng: 'numpy'` every generator draws from numpy's legacy stream seeded by
 * np.random.seed(seed). Only `flower` then reproduces a specific numpy program (the course's
 * load_planar_dataset, bit for bit before the float32 rounding); the others use numpy's draws in
 * their own order and are not meant to match any notebook.
 */

import { matrix, type Matrix } from '../util/matrix.js';
import { checkRngName, seededRng, type RngName } from '../util/rng.js';
import type { Rng } from '../util/rng-stream.js';
import { shuffledSplit } from './split.js';
import { fail as failArg } from '../util/validate.js';

/** The classification generators (2 classes; `spiral` and `blobs` take `classes`). */
export type DatasetName = 'flower' | 'circles' | 'moons' | 'blobs' | 'xor' | 'spiral';
/** The regression generators: a real-valued target y. */
export type RegressionDatasetName = 'plane' | 'gaussian' | 'sine';

export const DATASET_NAMES: readonly DatasetName[] = Object.freeze([
  'flower',
  'circles',
  'moons',
  'blobs',
  'xor',
  'spiral',
] as const);

export const REGRESSION_DATASET_NAMES: readonly RegressionDatasetName[] = Object.freeze(['plane', 'gaussian', 'sine'] as const);

/** Each generator's noise when `noise` is not given (for the regression sets: the std of the noise on y). */
export const DEFAULT_NOISE: Readonly<Record<DatasetName | RegressionDatasetName, number>> = Object.freeze({
  flower: 0.2, circles: 0.1, moons: 0.1, blobs: 1.0, xor: 0, spiral: 0.2,
  plane: 0.05, gaussian: 0.05, sine: 0.1,
});

export interface DatasetOptions {
  /** number of examples (columns), an integer ≥ 2; default 400 */
  m?: number;
  /** seed of the random stream; default 1 */
  seed?: number;
  /** standard deviation of the Gaussian noise; each generator has its own default */
  noise?: number;
  /** the random stream: 'default' (this library's), or 'numpy' (np.random.seed(seed); seed in [0, 2³² − 1]) */
  rng?: RngName;
}

export interface CirclesOptions extends DatasetOptions {
  /** radius of the inner circle (the outer one has radius 1), in [0, 1); default 0.5 */
  factor?: number;
}

export interface SpiralOptions extends DatasetOptions {
  /** number of arms (classes), an integer from 2 to 10; default 2. Labels are 0 … classes−1 */
  classes?: number;
}

export interface BlobsOptions extends DatasetOptions {
  /** number of blobs (classes), an integer from 2 to 10; default 2. Labels are 0 … classes−1 */
  classes?: number;
}

export interface Dataset {
  /** (2 × m) points, one column per example ((1 × m) for `sine`) */
  X: Matrix;
  /** (1 × m) labels, 0 or 1 (0 … classes−1 with `classes`); the target values for the regression sets */
  Y: Matrix;
}

interface Parsed {
  m: number;
  noise: number;
  rng: Rng;
}

/** the shared error format, prefixed with the generator's name */
function fail(name: string, arg: string, expected: string, got: unknown): never {
  return failArg(`datasets.${name}`, arg, expected, got);
}

/** Validates the common options, fills in defaults and creates the seeded rng. */
function parse(name: DatasetName | RegressionDatasetName, opts: DatasetOptions | undefined, defaultNoise: number, even = false): Parsed {
  if (opts !== undefined && (opts === null || typeof opts !== 'object')) fail(name, 'options', 'an object', opts);
  const { m = 400, seed = 1, noise = defaultNoise } = opts ?? {};
  const mOk = typeof m === 'number' && Number.isInteger(m) && m >= 2 && (!even || m % 2 === 0);
  if (!mOk) fail(name, 'm', even ? 'an even integer ≥ 2' : 'an integer ≥ 2', m);
  if (typeof seed !== 'number' || !Number.isInteger(seed)) fail(name, 'seed', 'a finite integer', seed);
  if (typeof noise !== 'number' || !Number.isFinite(noise) || noise < 0) {
    fail(name, 'noise', 'a finite number ≥ 0', noise);
  }
  const kind = checkRngName(`datasets.${name}`, opts?.rng);
  return { m, noise, rng: seededRng(`datasets.${name}`, kind, seed) };
}

/** Empty X (2 × m) and Y (1 × m), plus a setter for example j. */
function allocate(m: number): Dataset & { put(j: number, x: number, y: number, label: number): void } {
  const X = matrix(2, m);
  const Y = matrix(1, m);
  const put = (j: number, x: number, y: number, label: number): void => {
    X.data[j] = x;
    X.data[m + j] = y;
    Y.data[j] = label;
  };
  return { X, Y, put };
}

/** The columns of X and Y in a seeded Fisher–Yates order (the same permutation for both). */
function shuffleColumns(data: Dataset, rng: Rng): Dataset {
  return shuffledSplit(data.X, data.Y, 0, rng).kept;
}

/**
 * n evenly spaced values from a to b inclusive (just [a] when n = 1), rounded exactly like numpy's
 * linspace: step = (b − a)/(n − 1), value i = i·step + a, the last one = b.
 */
function linspace(a: number, b: number, n: number): number[] {
  if (n === 1) return [a];
  const step = (b - a) / (n - 1);
  const y = Array.from({ length: n }, (_, i) => i * step + a);
  y[n - 1] = b;
  return y;
}

/**
 * Generates m examples split into K classes (class c gets ⌊(c+1)m/K⌋ − ⌊cm/K⌋; for K = 2, class 0
 * gets ⌊m/2⌋), one class at a time: `point` gets the class, the index within the class and the
 * class size, and returns [x, y]. Class 0 fills the first columns; the result is shuffled unless
 * `shuffle` is false.
 */
function twoClasses(
  p: Parsed,
  point: (label: number, i: number, n: number) => [number, number],
  shuffle = true,
  K = 2,
): Dataset {
  const sizes = Array.from({ length: K }, (_, c) => Math.floor(((c + 1) * p.m) / K) - Math.floor((c * p.m) / K));
  const out = allocate(p.m);
  let j = 0;
  for (let label = 0; label < K; label++) {
    for (let i = 0; i < sizes[label]; i++) {
      const [x, y] = point(label, i, sizes[label]);
      out.put(j++, x, y, label);
    }
  }
  const data = { X: out.X, Y: out.Y };
  return shuffle ? shuffleColumns(data, p.rng) : data;
}

/**
 * The planar "flower" of the deep-learning course: two classes of m/2 points on the petals of
 * r = 4·sin(4t), class 0 in columns 0..m/2-1, not shuffled. m must be even.
 *
 * The draws and the arithmetic follow the course's load_planar_dataset step by step, in float64
 * (t = linspace + randn·noise for the class, then r = 4·sin(4t) + randn·noise, then r·sin t, r·cos t),
 * rounded to float32 only when stored: with `{ seed: 1, rng: 'numpy' }` (and m = 400, noise 0.2)
 * this is the notebook's X and Y.
 */
export function flower(options?: DatasetOptions): Dataset {
  const { m, noise, rng } = parse('flower', options, DEFAULT_NOISE.flower, true);
  const n = m / 2;
  const out = allocate(m);
  for (const label of [0, 1]) {
    const t = linspace(label * 3.12, (label + 1) * 3.12, n).map((v) => v + noise * rng.normal());
    const r = t.map((v) => 4 * Math.sin(4 * v) + noise * rng.normal());
    for (let i = 0; i < n; i++) out.put(label * n + i, r[i] * Math.sin(t[i]), r[i] * Math.cos(t[i]), label);
  }
  return { X: out.X, Y: out.Y };
}

/** Two concentric circles: radius 1 (label 0) around radius `factor` (label 1), shuffled. */
export function circles(options?: CirclesOptions): Dataset {
  const p = parse('circles', options, DEFAULT_NOISE.circles);
  const factor = options?.factor ?? 0.5;
  if (typeof factor !== 'number' || !(factor >= 0 && factor < 1)) {
    fail('circles', 'factor', 'a number in [0, 1)', factor);
  }
  return twoClasses(p, (label, i, n) => {
    const a = (2 * Math.PI * i) / n;
    const r = label === 0 ? 1 : factor;
    return [r * Math.cos(a) + p.noise * p.rng.normal(), r * Math.sin(a) + p.noise * p.rng.normal()];
  });
}

/** Two interleaving half circles ("moons"), shuffled. */
export function moons(options?: DatasetOptions): Dataset {
  const p = parse('moons', options, DEFAULT_NOISE.moons);
  return twoClasses(p, (label, i, n) => {
    const t = n === 1 ? 0 : (Math.PI * i) / (n - 1);
    const x = label === 0 ? Math.cos(t) : 1 - Math.cos(t);
    const y = label === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
    return [x + p.noise * p.rng.normal(), y + p.noise * p.rng.normal()];
  });
}

/** Radius of the circle the blobs' centres lie on when there are 3 or more. */
const BLOB_RADIUS = 3;

/**
 * Gaussian blobs of std `noise`, shuffled: two around (−2, −2) (label 0) and (2, 2) (label 1);
 * with `classes: K` ≥ 3, K around centres evenly spaced on the circle of radius 3, class c at the
 * angle 5π/4 + 2πc/K (class 0 to the lower left, as with two).
 */
export function blobs(options?: BlobsOptions): Dataset {
  const p = parse('blobs', options, DEFAULT_NOISE.blobs);
  const K = checkClasses('blobs', options?.classes, p.m);
  const centre = (label: number): [number, number] => {
    if (K === 2) return label === 0 ? [-2, -2] : [2, 2];
    const a = (5 * Math.PI) / 4 + (2 * Math.PI * label) / K;
    return [BLOB_RADIUS * Math.cos(a), BLOB_RADIUS * Math.sin(a)];
  };
  return twoClasses(p, (label) => {
    const [cx, cy] = centre(label);
    return [cx + p.noise * p.rng.normal(), cy + p.noise * p.rng.normal()];
  }, true, K);
}

/** `classes` of spiral and blobs: an integer from 2 to 10, at most m; default 2. */
function checkClasses(name: DatasetName, classes: unknown, m: number): number {
  const K = classes ?? 2;
  if (typeof K !== 'number' || !Number.isInteger(K) || K < 2 || K > 10) fail(name, 'classes', 'an integer from 2 to 10', K);
  if (K > m) fail(name, 'classes', `at most m = ${m}`, K);
  return K;
}

/**
 * XOR: points uniform in [−1, 1]², label 1 when x·y > 0 (decided before the noise), plus
 * Gaussian jitter of std `noise`. Already in random order.
 */
export function xor(options?: DatasetOptions): Dataset {
  const { m, noise, rng } = parse('xor', options, DEFAULT_NOISE.xor);
  const out = allocate(m);
  for (let j = 0; j < m; j++) {
    const x = 2 * rng.uniform() - 1;
    const y = 2 * rng.uniform() - 1;
    const label = x * y > 0 ? 1 : 0;
    out.put(j, x + noise * rng.normal(), y + noise * rng.normal(), label);
  }
  return { X: out.X, Y: out.Y };
}

/** Turns of each spiral arm as its radius grows from 0 to 1. */
const SPIRAL_TURNS = 1.75;

/**
 * Interleaved spiral arms (default two, offset by π; `classes: K` gives K arms offset by 2π/K,
 * labels 0 … K−1 in Y (1 × m)), angle noise of std `noise`, shuffled.
 */
export function spiral(options?: SpiralOptions): Dataset {
  const p = parse('spiral', options, DEFAULT_NOISE.spiral);
  const K = checkClasses('spiral', options?.classes, p.m);
  return twoClasses(p, (label, i, n) => {
    const r = n === 1 ? 0 : i / (n - 1);
    const a = 2 * Math.PI * SPIRAL_TURNS * r + label * ((2 * Math.PI) / K) + p.noise * p.rng.normal();
    return [r * Math.cos(a), r * Math.sin(a)];
  }, true, K);
}

/**
 * Regression data: m points (x₁, x₂) uniform in [−1, 1]² (x uniform in [−π, π] for the 1-D `sine`),
 * each with the target f(point) + noise·N(0, 1). Drawn in order (x₁, x₂, then the noise), so the
 * examples are already in random order.
 */
function regression(
  name: RegressionDatasetName, options: DatasetOptions | undefined, dims: 1 | 2, f: (x1: number, x2: number) => number,
): Dataset {
  const { m, noise, rng } = parse(name, options, DEFAULT_NOISE[name]);
  const X = matrix(dims, m);
  const Y = matrix(1, m);
  for (let j = 0; j < m; j++) {
    const x1 = dims === 1 ? Math.PI * (2 * rng.uniform() - 1) : 2 * rng.uniform() - 1;
    const x2 = dims === 1 ? 0 : 2 * rng.uniform() - 1;
    X.data[j] = x1;
    if (dims === 2) X.data[m + j] = x2;
    Y.data[j] = f(x1, x2) + noise * rng.normal();
  }
  return { X, Y };
}

/** A tilted plane: y = (x₁ + x₂)/2 + noise, X (2 × m) in [−1, 1]², y in about [−1, 1]. */
export function plane(options?: DatasetOptions): Dataset {
  return regression('plane', options, 2, (x1, x2) => (x1 + x2) / 2);
}

/** Width (standard deviation) of the Gaussian bump. */
const BUMP_SIGMA = 0.4;

/** A Gaussian bump: y = exp(−(x₁² + x₂²)/(2·0.4²)) + noise, X (2 × m) in [−1, 1]², y in about [0, 1]. */
export function gaussian(options?: DatasetOptions): Dataset {
  return regression('gaussian', options, 2, (x1, x2) => Math.exp(-(x1 * x1 + x2 * x2) / (2 * BUMP_SIGMA * BUMP_SIGMA)));
}

/** One period of a sine, in one dimension: X (1 × m) uniform in [−π, π], y = sin x + noise. */
export function sine(options?: DatasetOptions): Dataset {
  return regression('sine', options, 1, (x) => Math.sin(x));
}

/** All generators by name: the classification sets (DATASET_NAMES) and the regression sets (REGRESSION_DATASET_NAMES). */
export const datasets = { flower, circles, moons, blobs, xor, spiral, plane, gaussian, sine } as const;
