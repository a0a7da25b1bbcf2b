// The per-column pieces of log-sum-exp that softmax and the categorical cost share. z is
// (rows × cols) row-major, one column per example; zc points at column j's first element and
// `stride` is a row's length in bytes (cols·4). log Σ_i exp(z_i) = max + log Σ_i exp(z_i − max):
// subtracting the column's max keeps every exp in (0, 1], so no overflow for any finite z.

// max_i z[i, j]
@inline export function column_max(zc: usize, rows: i32, stride: usize): f32 {
  let mx = load<f32>(zc);
  for (let i = 1; i < rows; i++) mx = max(mx, load<f32>(zc + <usize>i * stride));
  return mx;
}

// Σ_i exp(z[i, j] − mx), in float64
@inline export function column_exp_sum(zc: usize, rows: i32, stride: usize, mx: f32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < rows; i++) s += Math.exp(<f64>load<f32>(zc + <usize>i * stride) - <f64>mx);
  return s;
}
