// Pure JS twins of assembly/optim.ts.

export function sgd_update(h: Float32Array, p: number, g: number, n: number, lr: number): void {
  // p −= lr·g over one flat block
  const p0 = p >> 2, g0 = g >> 2;
  for (let i = 0; i < n; i++) h[p0 + i] -= lr * h[g0 + i];
}

// ---- updates with state -------------------------------------------------------------------------
// These round to float32 after every operation, as the AssemblyScript f32 arithmetic does (no
// fused operations there), so both builds give the same bits.

const f = Math.fround;

// v = β·v + (1 − β)·g;  p −= lr·v
export function momentum_update(h: Float32Array, p: number, v: number, g: number, n: number, lr: number, beta: number): void {
  const p0 = p >> 2, v0 = v >> 2, g0 = g >> 2;
  const b1 = f(1 - beta);
  for (let i = 0; i < n; i++) {
    const vi = f(f(beta * h[v0 + i]) + f(b1 * h[g0 + i]));
    h[v0 + i] = vi;
    h[p0 + i] = h[p0 + i] - f(lr * vi);
  }
}

// s = β·s + (1 − β)·g²;  p −= lr·g / (√s + ε)
export function rmsprop_update(h: Float32Array, p: number, s: number, g: number, n: number, lr: number, beta: number, eps: number): void {
  const p0 = p >> 2, s0 = s >> 2, g0 = g >> 2;
  const b1 = f(1 - beta);
  for (let i = 0; i < n; i++) {
    const gi = h[g0 + i];
    const si = f(f(beta * h[s0 + i]) + f(b1 * f(gi * gi)));
    h[s0 + i] = si;
    h[p0 + i] = h[p0 + i] - f(f(lr * gi) / f(f(Math.sqrt(si)) + eps));
  }
}

// v = β1·v + (1 − β1)·g;  s = β2·s + (1 − β2)·g²;  p −= lr·(c1·v) / (√(c2·s) + ε)
export function adam_update(h: Float32Array, p: number, v: number, s: number, g: number, n: number,
                            lr: number, beta1: number, beta2: number, eps: number, c1: number, c2: number): void {
  const p0 = p >> 2, v0 = v >> 2, s0 = s >> 2, g0 = g >> 2;
  const a1 = f(1 - beta1), a2 = f(1 - beta2);
  for (let i = 0; i < n; i++) {
    const gi = h[g0 + i];
    const vi = f(f(beta1 * h[v0 + i]) + f(a1 * gi));
    const si = f(f(beta2 * h[s0 + i]) + f(a2 * f(gi * gi)));
    h[v0 + i] = vi;
    h[s0 + i] = si;
    h[p0 + i] = h[p0 + i] - f(f(lr * f(c1 * vi)) / f(f(Math.sqrt(f(c2 * si))) + eps));
  }
}
