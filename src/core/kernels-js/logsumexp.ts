// Pure JS twin of assembly/logsumexp.ts: the per-column max and Σ exp(z − max) of a (rows × cols)
// block at float index z0 that softmax and the categorical cost share.

// max_i z[i, j]
export function column_max(h: Float32Array, z0: number, rows: number, cols: number, j: number): number {
  let mx = h[z0 + j];
  for (let i = 1; i < rows; i++) mx = Math.max(mx, h[z0 + i * cols + j]);
  return mx;
}

// Σ_i exp(z[i, j] − mx), in float64
export function column_exp_sum(h: Float32Array, z0: number, rows: number, cols: number, j: number, mx: number): number {
  let s = 0;
  for (let i = 0; i < rows; i++) s += Math.exp(h[z0 + i * cols + j] - mx);
  return s;
}
