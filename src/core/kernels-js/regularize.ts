// Pure JS twins of assembly/regularize.ts.
const f = Math.fround;

// dw += scale·w
export function l2_grad_add(h: Float32Array, dw: number, w: number, n: number, scale: number): void {
  const d0 = dw >> 2, w0 = w >> 2;
  for (let i = 0; i < n; i++) h[d0 + i] = h[d0 + i] + f(scale * h[w0 + i]);
}

// Σ w², in float64
export function sum_squares(h: Float32Array, w: number, n: number): number {
  const w0 = w >> 2;
  let s = 0;
  for (let i = 0; i < n; i++) s += h[w0 + i] * h[w0 + i];
  return s;
}

// 1 if all n floats are finite, else 0
export function all_finite(h: Float32Array, w: number, n: number): number {
  const w0 = w >> 2;
  for (let i = 0; i < n; i++) if (!Number.isFinite(h[w0 + i])) return 0;
  return 1;
}

// x = x ⊙ mask · scale (mask 0 or 1, scale = 1/keep)
export function dropout_apply(h: Float32Array, x: number, mask: number, n: number, scale: number): void {
  const x0 = x >> 2, m0 = mask >> 2;
  for (let i = 0; i < n; i++) h[x0 + i] = f(h[x0 + i] * h[m0 + i]) * scale;
}
