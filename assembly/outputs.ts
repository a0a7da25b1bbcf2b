// Output-layer activations beyond the element-wise ones: softmax over each column, and the
// identity (linear output, for regression).
import { column_exp_sum, column_max } from './logsumexp';

export function softmax_forward(a: usize, z: usize, rows: i32, cols: i32): void {
  // z, a are (rows × cols), one column per example: a[:, j] = exp(z[:, j] − max) / Σ exp(z[:, j] − max).
  // The max and the sum are log-sum-exp's (logsumexp.ts); the exps and their sum are computed in
  // float64 and rounded once when stored.
  const stride = <usize>cols << 2;
  for (let j = 0; j < cols; j++) {
    const zc = z + (<usize>j << 2), ac = a + (<usize>j << 2);
    const mx = column_max(zc, rows, stride);
    const inv = 1 / column_exp_sum(zc, rows, stride, mx);
    for (let i = 0; i < rows; i++) {
      const o = <usize>i * stride;
      store<f32>(ac + o, <f32>(Math.exp(<f64>load<f32>(zc + o) - <f64>mx) * inv));
    }
  }
}

export function identity_forward(a: usize, z: usize, n: i32): void {
  // a = z over n floats (the identity activation of a regression output)
  memory.copy(a, z, <usize>n << 2);
}

export function identity_backward(dz: usize, da: usize, a: usize, z: usize, n: i32): void {
  // g'(z) = 1: dz = da (a no-op when dz aliases da)
  if (dz != da) memory.copy(dz, da, <usize>n << 2);
}
