// Pure JS twins of assembly/losses.ts.

// -(1/cols) Σ y·log softmax(z) per column, by log-sum-exp; terms with y = 0 skipped
export function cce_cost(h: Float32Array, z: number, y: number, rows: number, cols: number): number {
  const z0 = z >> 2, y0 = y >> 2;
  let total = 0;
  for (let j = 0; j < cols; j++) {
    let mx = h[z0 + j];
    for (let i = 1; i < rows; i++) mx = Math.max(mx, h[z0 + i * cols + j]);
    let s = 0;
    for (let i = 0; i < rows; i++) s += Math.exp(h[z0 + i * cols + j] - mx);
    const lse = mx + Math.log(s);
    for (let i = 0; i < rows; i++) {
      const yi = h[y0 + i * cols + j];
      if (yi !== 0) total += yi * (lse - h[z0 + i * cols + j]);
    }
  }
  return total / cols;
}

// (1/(2m)) Σ (a − y)²
export function mse_cost(h: Float32Array, a: number, y: number, n: number, m: number): number {
  const a0 = a >> 2, y0 = y >> 2;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = h[a0 + i] - h[y0 + i];
    s += d * d;
  }
  return s / (2 * m);
}
