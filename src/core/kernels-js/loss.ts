// Pure JS twins of assembly/loss.ts.
import { column_exp_sum, column_max } from './logsumexp.js';

// log(1 + e^t) without overflow
function softplus(t: number): number {
  return Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
}

export function bce_cost(h: Float32Array, z: number, y: number, n: number, m: number): number {
  // -(1/m) Σ [y log σ(z) + (1−y) log(1−σ(z))] from the logits; see assembly/loss.ts for why
  // zero-weight terms are skipped
  const z0 = z >> 2, y0 = y >> 2;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const zi = h[z0 + i], yi = h[y0 + i];
    if (yi > 0) s += yi * softplus(-zi);
    if (yi < 1) s += (1 - yi) * softplus(zi);
  }
  return s / m;
}

export function output_delta(h: Float32Array, dz: number, a: number, y: number, n: number): void {
  // dZ[L] = A[L] − Y
  const d0 = dz >> 2, a0 = a >> 2, y0 = y >> 2;
  for (let i = 0; i < n; i++) h[d0 + i] = h[a0 + i] - h[y0 + i];
}

// ---- the softmax and linear outputs' costs ----------------------------------------------------
// -(1/cols) Σ y·log softmax(z) per column, by log-sum-exp; terms with y = 0 skipped
export function cce_cost(h: Float32Array, z: number, y: number, rows: number, cols: number): number {
  const z0 = z >> 2, y0 = y >> 2;
  let total = 0;
  for (let j = 0; j < cols; j++) {
    const mx = column_max(h, z0, rows, cols, j);
    const lse = mx + Math.log(column_exp_sum(h, z0, rows, cols, j, mx));
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
