// Pure JS twins of assembly/outputs.ts. Pointers are byte offsets into the heap h.
import { column_exp_sum, column_max } from './logsumexp.js';

// a[:, j] = softmax(z[:, j]) for z, a (rows × cols); exps and sum in float64, max subtracted first
export function softmax_forward(h: Float32Array, a: number, z: number, rows: number, cols: number): void {
  const a0 = a >> 2, z0 = z >> 2;
  for (let j = 0; j < cols; j++) {
    const mx = column_max(h, z0, rows, cols, j);
    const inv = 1 / column_exp_sum(h, z0, rows, cols, j, mx);
    for (let i = 0; i < rows; i++) h[a0 + i * cols + j] = Math.exp(h[z0 + i * cols + j] - mx) * inv;
  }
}

// a = z
export function identity_forward(h: Float32Array, a: number, z: number, n: number): void {
  h.copyWithin(a >> 2, z >> 2, (z >> 2) + n);
}

// dz = da
export function identity_backward(h: Float32Array, dz: number, da: number, _a: number, _z: number, n: number): void {
  if (dz !== da) h.copyWithin(dz >> 2, da >> 2, (da >> 2) + n);
}
