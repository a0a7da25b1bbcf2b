// A float64 reference MLP written straight from the course's equations, independent of the
// library's kernels: used for gradient checks and to compare costs.
import type { Activation } from '../../src/core/architecture.js';
import type { Matrix } from '../../src/util/matrix.js';

export interface Params64 { W: Float64Array[]; b: Float64Array[] }

/** Each activation in float64 (linear and softmax as the identity: logits64 returns the output's Z). */
export const G64: Record<Activation, (z: number) => number> = {
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  tanh: Math.tanh,
  relu: (z) => Math.max(0, z),
  leakyRelu: (z) => Math.max(0.01 * z, z),
  // output-only activations: logits64 returns the output layer's Z, never its A; softmax (per
  // column) lives in test/support/reference-losses.ts
  linear: (z) => z,
  softmax: (z) => z,
};

/** Logits of the output layer for X (n_x × m), Z[L] = W[L]·A[L-1] + b[L]. */
export function logits64(layers: number[], acts: Activation[], p: Params64, X: Matrix): Float64Array {
  const m = X.cols;
  let A = Float64Array.from(X.data);
  let Z = A;
  for (let l = 1; l < layers.length; l++) {
    const nIn = layers[l - 1], nOut = layers[l];
    Z = new Float64Array(nOut * m);
    for (let i = 0; i < nOut; i++) {
      for (let j = 0; j < m; j++) {
        let s = p.b[l - 1][i];
        for (let k = 0; k < nIn; k++) s += p.W[l - 1][i * nIn + k] * A[k * m + j];
        Z[i * m + j] = s;
      }
    }
    A = Z.map(G64[acts[l - 1]]);
  }
  return Z;
}

/** J = -(1/m) Σ [y log a + (1−y) log(1−a)], from the logits so that it is exact in float64. */
export function cost64(layers: number[], acts: Activation[], p: Params64, X: Matrix, Y: Matrix): number {
  const Z = logits64(layers, acts, p, X);
  let s = 0;
  for (let i = 0; i < Z.length; i++) {
    const z = Z[i], y = Y.data[i];
    const softplus = (t: number) => Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
    s += y * softplus(-z) + (1 - y) * softplus(z);
  }
  return s / X.cols;
}

/** Central differences of cost() for every parameter of p (changed in place, then restored), flattened as [W1, b1, W2, b2, …]. */
export function centralDifferences(p: Params64, cost: () => number, h = 1e-6): number[] {
  const out: number[] = [];
  for (let l = 0; l < p.W.length; l++) {
    for (const t of [p.W[l], p.b[l]]) {
      for (let i = 0; i < t.length; i++) {
        const keep = t[i];
        t[i] = keep + h;
        const up = cost();
        t[i] = keep - h;
        const down = cost();
        t[i] = keep;
        out.push((up - down) / (2 * h));
      }
    }
  }
  return out;
}

/** Central differences of cost64 for every parameter, flattened as [W1, b1, W2, b2, …]. */
export function numericGrad(layers: number[], acts: Activation[], p: Params64, X: Matrix, Y: Matrix, h = 1e-6): number[] {
  return centralDifferences(p, () => cost64(layers, acts, p, X, Y), h);
}

/** ‖a − b‖ / (‖a‖ + ‖b‖), the course's gradient-check measure. */
export function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    na += a[i] ** 2;
    nb += b[i] ** 2;
  }
  return Math.sqrt(d) / (Math.sqrt(na) + Math.sqrt(nb));
}
