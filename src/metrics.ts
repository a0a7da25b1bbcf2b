import type { Matrix } from './matrix.js';
import { fail } from './validate.js';

/** Fraction of entries where the 0/1 prediction equals the 0/1 label (labels rounded at 0.5). */
export function accuracy(predictions: Matrix, Y: Matrix): number {
  if (predictions.rows !== Y.rows || predictions.cols !== Y.cols) {
    fail('accuracy', 'Y', `the same shape as predictions (${predictions.rows} × ${predictions.cols})`, `${Y.rows} × ${Y.cols}`);
  }
  let right = 0;
  for (let i = 0; i < Y.data.length; i++) if ((predictions.data[i] > 0.5) === (Y.data[i] > 0.5)) right++;
  return right / Y.data.length;
}
