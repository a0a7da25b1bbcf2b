import { argmaxColumn, type Matrix } from '../util/matrix.js';
import { fail } from '../util/validate.js';

/** A label or prediction as a class: 0/1 values are thresholded at 0.5, larger ones rounded (class indices). */
const classOf = (v: number): number => (v <= 1 ? (v > 0.5 ? 1 : 0) : Math.round(v));

/**
 * Fraction of entries where the predicted class equals the label: 0/1 predictions against 0/1
 * labels (labels rounded at 0.5), or class indices against class indices (both (1 × m), from a
 * softmax network's predict()), or (1 × m) class indices against one-hot Y (n_y × m).
 */
export function accuracy(predictions: Matrix, Y: Matrix): number {
  if (predictions.rows === 1 && Y.rows > 1 && predictions.cols === Y.cols) {
    const m = Y.cols;
    let right = 0;
    for (let j = 0; j < m; j++) if (classOf(predictions.data[j]) === argmaxColumn(Y.data, 0, Y.rows, m, j)) right++;
    return right / m;
  }
  if (predictions.rows !== Y.rows || predictions.cols !== Y.cols) {
    fail('accuracy', 'Y', `the same shape as predictions (${predictions.rows} × ${predictions.cols})`, `${Y.rows} × ${Y.cols}`);
  }
  let right = 0;
  for (let i = 0; i < Y.data.length; i++) if (classOf(predictions.data[i]) === classOf(Y.data[i])) right++;
  return right / Y.data.length;
}
