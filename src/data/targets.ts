/**
 * Targets Y for each loss: the checks (BCE wants values in [0, 1], MSE any finite values, CCE
 * one-hot columns or class indices) and the one-hot encoding of class indices.
 */
import type { Loss } from '../core/architecture.js';
import type { Matrix, MatrixInput } from '../util/matrix.js';
import { checkMatrix, fail, isMatrixData, type CheckedMatrix } from '../util/validate.js';

/** Y for a softmax network: one-hot (n_y × m), or the m class indices as an array or a (1 × m) Matrix. */
export type TargetInput = MatrixInput | ArrayLike<number>;

/** The hint of a wrong-shaped X or Y. */
export const EXAMPLES_HINT = 'X and Y hold one COLUMN per example; if your data is one row per example, build them with fromExamples() and fromLabels()';

/** m class indices (each an integer in [0, classes), trusted) → one-hot (classes × m). */
export function oneHot(indices: ArrayLike<number>, classes: number): Float32Array {
  const m = indices.length;
  const out = new Float32Array(classes * m);
  for (let j = 0; j < m; j++) out[indices[j] * m + j] = 1;
  return out;
}

/**
 * Checks Y (m columns) for the loss of a network with nY outputs. CCE takes one-hot columns (each
 * summing to 1) or m class indices (an array, a typed array or a (1 × m) Matrix), turned into
 * one-hot here. The returned data is what goes into the Y slot.
 */
export function checkTargets(where: string, Y: TargetInput, m: number, nY: number, loss: Loss, name = 'Y',
  into?: (n: number) => Float32Array): CheckedMatrix {
  if (loss === 'cce') {
    const indices = isMatrixData(Y) || (ArrayBuffer.isView(Y) && !(Y instanceof DataView))
      ? Y as ArrayLike<number>
      : typeof Y === 'object' && Y !== null && (Y as Matrix).rows === 1 ? (checkMatrix(where, name, Y, { cols: m, colsWhy: 'the number of examples (columns) in X' }).data) : undefined;
    if (indices !== undefined) return { rows: nY, cols: m, data: checkedOneHot(where, name, indices, nY, m) };
    const c = checkMatrix(where, name, Y, {
      rows: nY, rowsWhy: 'the last layer size (one-hot), or 1 for class indices', rowsHint: EXAMPLES_HINT,
      cols: m, colsWhy: 'the number of examples (columns) in X', range: [0, 1], into,
    });
    for (let j = 0; j < m; j++) {
      let t = 0;
      for (let i = 0; i < nY; i++) t += c.data[i * m + j];
      // a one-hot column sums to exactly 1; probability targets to 1 within float32 rounding
      if (Math.abs(t - 1) > nY * 1e-6) fail(where, `every column of ${name}`, 'one-hot (summing to 1) for a softmax output', `column ${j} summing to ${t}`);
    }
    return c;
  }
  if (Array.isArray(Y) || (ArrayBuffer.isView(Y) && !(Y instanceof DataView))) {
    // a flat list of labels: only a softmax output reads class indices
    const out = loss === 'bce' ? 'a sigmoid output' : "the 'mse' loss";
    fail(where, name, `a Matrix { rows: ${nY}, cols: ${m}, data } for ${out}`, Y,
      `An array of class indices is for a softmax output (one unit per class, activations ending in 'softmax'); ` +
      `for ${out} give Y as a matrix, e.g. fromLabels(labels) for a (1 × m) row${loss === 'bce' ? ' of 0/1 labels' : ''}`);
  }
  return checkMatrix(where, name, Y, {
    rows: nY, rowsWhy: 'the last layer size', rowsHint: EXAMPLES_HINT,
    cols: m, colsWhy: 'the number of examples (columns) in X', range: loss === 'bce' ? [0, 1] : undefined, into,
  });
}

/** m class indices → one-hot (nY × m); every index checked (integer in [0, nY)). */
function checkedOneHot(where: string, name: string, idx: ArrayLike<number>, nY: number, m: number): Float32Array {
  if (idx.length !== m) fail(where, `${name}.length`, `${m} (the number of examples (columns) in X; Y as class indices)`, idx.length);
  for (let j = 0; j < m; j++) {
    const c = idx[j];
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= nY) {
      fail(where, `every class index in ${name}`, `an integer from 0 to ${nY - 1} (the softmax layer has ${nY} units)`, c, `First bad value at ${name}[${j}]`);
    }
  }
  return oneHot(idx, nY);
}
