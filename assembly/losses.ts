// The costs of the softmax and linear outputs (the sigmoid's binary cross-entropy is in loss.ts).
// For both, as for BCE, the gradient with respect to the output logits is dZ = A − Y
// (sigmoid_bce_backward computes it for all three); the 1/m is applied in dW and db.

export function cce_cost(z: usize, y: usize, rows: i32, cols: i32): f64 {
  // z (logits) and y are (rows × cols), one column per example:
  // J = -(1/cols) Σ_j Σ_i y[i, j]·log softmax(z[:, j])[i], with log softmax(z)_i = z_i − max − log Σ_k exp(z_k − max)
  // (log-sum-exp: finite for any finite z). Terms with y = 0 are skipped, so a −∞-like logit of a
  // class that is not the label costs nothing. Summed in float64.
  const stride = <usize>cols << 2;
  let total: f64 = 0;
  for (let j = 0; j < cols; j++) {
    const zc = z + (<usize>j << 2), yc = y + (<usize>j << 2);
    let mx = load<f32>(zc);
    for (let i = 1; i < rows; i++) mx = max(mx, load<f32>(zc + <usize>i * stride));
    let s: f64 = 0;
    for (let i = 0; i < rows; i++) s += Math.exp(<f64>load<f32>(zc + <usize>i * stride) - <f64>mx);
    const lse = <f64>mx + Math.log(s);
    for (let i = 0; i < rows; i++) {
      const yi = <f64>load<f32>(yc + <usize>i * stride);
      if (yi != 0) total += yi * (lse - <f64>load<f32>(zc + <usize>i * stride));
    }
  }
  return total / <f64>cols;
}

export function mse_cost(a: usize, y: usize, n: i32, m: i32): f64 {
  // a (outputs) and y are n = n_y·m floats: J = (1/(2m)) Σ (a − y)², summed in float64
  let s: f64 = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const d = <f64>load<f32>(a + o) - <f64>load<f32>(y + o);
    s += d * d;
  }
  return s / (2 * <f64>m);
}
