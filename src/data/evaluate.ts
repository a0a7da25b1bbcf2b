/**
 * Scores of predictions against the truth on held-out data: for classes, the accuracy, the
 * confusion matrix and each class's precision and recall; for numbers, RMSE, MAE and R².
 */
import { fail } from '../util/validate.js';

export interface ClassificationScores {
  /** fraction of examples whose predicted class is the true one */
  accuracy: number;
  /** confusion[t][p]: how many examples of true class t were predicted as class p */
  confusion: number[][];
  /** per class: of the examples predicted as it, the fraction that are it (NaN when none was predicted as it) */
  precision: number[];
  /** per class: of the examples that are it, the fraction predicted as it (NaN when there is none) */
  recall: number[];
  /** per class: how many examples are it */
  support: number[];
}

export interface RegressionScores {
  /** root mean squared error, in the target's units */
  rmse: number;
  /** mean absolute error, in the target's units */
  mae: number;
  /** 1 − SSE / SST: 1 for a perfect fit, 0 for predicting the mean, negative for worse (NaN when the truth is constant) */
  r2: number;
}

function checkPair(where: string, predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  for (const [name, a] of [['predicted', predicted], ['actual', actual]] as const) {
    if (a === null || typeof a !== 'object' || typeof a.length !== 'number') fail(where, name, 'an array of numbers', a);
  }
  if (actual.length !== predicted.length) fail(where, 'actual.length', `predicted.length (${predicted.length})`, actual.length);
  if (actual.length === 0) fail(where, 'predicted', 'at least one value', predicted);
  return actual.length;
}

/** Class indices predicted against the true ones (each an integer in [0, classes)). */
export function classificationScores(predicted: ArrayLike<number>, actual: ArrayLike<number>, classes: number): ClassificationScores {
  const where = 'classificationScores';
  const m = checkPair(where, predicted, actual);
  if (!Number.isInteger(classes) || classes < 1) fail(where, 'classes', 'a positive integer (the number of classes)', classes);
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let right = 0;
  for (let j = 0; j < m; j++) {
    const t = actual[j], p = predicted[j];
    for (const [name, v] of [['actual', t], ['predicted', p]] as const) {
      if (!Number.isInteger(v) || v < 0 || v >= classes) fail(where, `every value of ${name}`, `a class index from 0 to ${classes - 1}`, v, `First bad value at ${name}[${j}]`);
    }
    confusion[t][p]++;
    if (t === p) right++;
  }
  const support = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const predictedCount = confusion[0].map((_, p) => confusion.reduce((a, row) => a + row[p], 0));
  return {
    accuracy: right / m,
    confusion,
    precision: confusion.map((row, k) => row[k] / predictedCount[k]),
    recall: confusion.map((row, k) => row[k] / support[k]),
    support,
  };
}

/** Numbers predicted against the true ones; computed in float64. */
export function regressionScores(predicted: ArrayLike<number>, actual: ArrayLike<number>): RegressionScores {
  const m = checkPair('regressionScores', predicted, actual);
  let mean = 0;
  for (let j = 0; j < m; j++) mean += actual[j];
  mean /= m;
  let sse = 0, sae = 0, sst = 0;
  for (let j = 0; j < m; j++) {
    const e = predicted[j] - actual[j];
    sse += e * e;
    sae += Math.abs(e);
    sst += (actual[j] - mean) ** 2;
  }
  return { rmse: Math.sqrt(sse / m), mae: sae / m, r2: sst > 0 ? 1 - sse / sst : NaN };
}
