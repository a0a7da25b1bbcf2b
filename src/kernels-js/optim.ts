// Pure JS twin of assembly/optim.ts.

export function sgd_update(h: Float32Array, p: number, g: number, n: number, lr: number): void {
  // p −= lr·g over one flat block
  const p0 = p >> 2, g0 = g >> 2;
  for (let i = 0; i < n; i++) h[p0 + i] -= lr * h[g0 + i];
}
