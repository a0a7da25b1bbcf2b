// The float64 reference of reference.ts extended to every output and loss:
// sigmoid + BCE, softmax + CCE, linear + MSE, sigmoid + MSE, each with an optional L2 term.
// Written from the formulas, independent of the library's kernels.
import type { Activation } from '../../src/core/architecture.js';
import type { Matrix } from '../../src/util/matrix.js';
import { centralDifferences, logits64, type Params64 } from './reference.js';

export type Loss64 = 'bce' | 'cce' | 'mse';

/** J = data cost + (λ/(2m))·Σ‖W‖², in float64. */
export function cost64x(layers: number[], acts: Activation[], loss: Loss64, p: Params64, X: Matrix, Y: ArrayLike<number>, l2 = 0): number {
  const Z = logits64(layers, acts, p, X);
  const m = X.cols, nY = layers[layers.length - 1];
  let s = 0;
  if (loss === 'bce') {
    const softplus = (t: number) => Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
    for (let i = 0; i < Z.length; i++) s += Y[i] * softplus(-Z[i]) + (1 - Y[i]) * softplus(Z[i]);
  } else if (loss === 'cce') {
    // −Σ y log softmax(z) per column, log-sum-exp in float64
    for (let j = 0; j < m; j++) {
      let mx = -Infinity;
      for (let i = 0; i < nY; i++) mx = Math.max(mx, Z[i * m + j]);
      let e = 0;
      for (let i = 0; i < nY; i++) e += Math.exp(Z[i * m + j] - mx);
      const lse = mx + Math.log(e);
      for (let i = 0; i < nY; i++) s += Y[i * m + j] * (lse - Z[i * m + j]);
    }
  } else {
    const out = acts[acts.length - 1];
    const g = out === 'sigmoid' ? (z: number) => 1 / (1 + Math.exp(-z)) : (z: number) => z;
    for (let i = 0; i < Z.length; i++) s += 0.5 * (g(Z[i]) - Y[i]) ** 2;
  }
  let w2 = 0;
  for (const W of p.W) for (const w of W) w2 += w * w;
  return s / m + (l2 / (2 * m)) * w2;
}

/** Central differences of cost64x for every parameter, flattened as [W1, b1, W2, b2, …]. */
export function numericGrad64x(layers: number[], acts: Activation[], loss: Loss64, p: Params64, X: Matrix, Y: ArrayLike<number>, l2 = 0, h = 1e-6): number[] {
  return centralDifferences(p, () => cost64x(layers, acts, loss, p, X, Y, l2), h);
}
