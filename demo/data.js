// The data the page trains on, built from the settings: a generator of the library (or the
// user's CSV file, or nothing for the custom set), split into train and test by trainTestSplit,
// plus the points added by clicking (always training points). Points are kept raw, (dims × m)
// with one column per example; the worker turns them into the chosen input features.

import { datasets, trainTestSplit } from '../dist/browser/wasm-mlp.js';
import { dataSet, taskOf } from './settings.js';

/** fewer examples than this are all used for training (a split needs at least one on each side) */
const MIN_TO_SPLIT = 5;

const empty = (dims) => ({ X: new Float32Array(0), Y: new Float32Array(0), m: 0, dims });
const plain = (set, dims) => ({ X: Float32Array.from(set.X.data), Y: Float32Array.from(set.Y.data), m: set.X.cols, dims });

/** `set` with the added points [x₁, x₂, v] appended (for 1-D data: x₁ and the target v). */
function withAdded(set, added, dims) {
  if (added.length === 0) return set;
  const m = set.m + added.length;
  const X = new Float32Array(dims * m);
  const Y = new Float32Array(m);
  for (let i = 0; i < dims; i++) X.set(set.X.subarray(i * set.m, (i + 1) * set.m), i * m);
  Y.set(set.Y);
  added.forEach(([x1, x2, v], k) => {
    const j = set.m + k;
    X[j] = x1;
    if (dims === 2) X[m + j] = x2;
    Y[j] = v;
  });
  return { X, Y, m, dims };
}

/**
 * The view (data coordinates of the drawing): for 2-D data a square around every point with a
 * 10% margin; for 1-D data x across and the target up.
 */
export function viewAround(sets, dims) {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const s of sets) {
    for (let j = 0; j < s.m; j++) {
      const x = s.X[j], y = dims === 2 ? s.X[s.m + j] : s.Y[j];
      x0 = Math.min(x0, x); x1 = Math.max(x1, x);
      y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
  }
  if (!(x1 >= x0)) return { x0: -1.2, x1: 1.2, y0: -1.2, y1: 1.2 };
  if (dims === 1) {
    const mx = (x1 - x0) * 0.05 || 1, my = (y1 - y0) * 0.1 || 1;
    return { x0: x0 - mx, x1: x1 + mx, y0: y0 - my, y1: y1 + my };
  }
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  const half = (Math.max(x1 - x0, y1 - y0) / 2) * 1.1 || 1;
  return { x0: cx - half, x1: cx + half, y0: cy - half, y1: cy + half };
}

/**
 * { classes (0: regression), dims, train, test, view, targetScale }: train and test are
 * { X (dims × m), Y (m), m }; targetScale is the largest |y| (regression colours).
 */
export function buildData(s, csv) {
  const { classes, dims } = taskOf(s, csv);
  let base = null;
  if (s.data === 'csv') base = csv ? { X: csv.X, Y: csv.Y } : null;
  else if (s.data !== 'custom') {
    const d = dataSet(s.data);
    const m = d.gen === 'flower' && s.points % 2 === 1 ? s.points + 1 : s.points; // the flower needs an even m
    base = datasets[d.gen]({ m, seed: s.seed, noise: s.noise, ...(d.classes > 2 ? { classes: d.classes } : {}) });
  }
  let train = empty(dims), test = empty(dims);
  if (base && base.X.cols >= MIN_TO_SPLIT) {
    const split = trainTestSplit(base.X, base.Y, { test: (100 - s.trainPercent) / 100, seed: s.seed });
    train = plain(split.train, dims);
    test = plain(split.test, dims);
  } else if (base) train = plain(base, dims);
  const generated = [train, test];
  train = withAdded(train, s.added, dims);
  let targetScale = 1;
  if (classes === 0) {
    targetScale = 0;
    for (const set of [train, test]) for (const y of set.Y) targetScale = Math.max(targetScale, Math.abs(y));
    targetScale ||= 1;
  }
  // the view follows the generated data (so a click never moves it); the custom set keeps its own
  const view = s.view ?? viewAround(s.data === 'custom' ? [train] : generated, dims);
  return { classes, dims, train, test, view, targetScale };
}
