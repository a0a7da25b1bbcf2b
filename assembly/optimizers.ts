// Parameter updates with state, each one flat loop over the parameter block: p, the state blocks
// and the gradients g share one layout. Scalars arrive as f32; the Adam bias corrections are
// computed by the host (they depend on the step count only).

export function momentum_update(p: usize, v: usize, g: usize, n: i32, lr: f32, beta: f32): void {
  // v = β·v + (1 − β)·g;  p −= lr·v
  const b1: f32 = 1 - beta;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const vi = beta * load<f32>(v + o) + b1 * load<f32>(g + o);
    store<f32>(v + o, vi);
    store<f32>(p + o, load<f32>(p + o) - lr * vi);
  }
}

export function rmsprop_update(p: usize, s: usize, g: usize, n: i32, lr: f32, beta: f32, eps: f32): void {
  // s = β·s + (1 − β)·g²;  p −= lr·g / (√s + ε)
  const b1: f32 = 1 - beta;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    const si = beta * load<f32>(s + o) + b1 * (gi * gi);
    store<f32>(s + o, si);
    store<f32>(p + o, load<f32>(p + o) - lr * gi / (Mathf.sqrt(si) + eps));
  }
}

export function adam_update(p: usize, v: usize, s: usize, g: usize, n: i32,
                            lr: f32, beta1: f32, beta2: f32, eps: f32, c1: f32, c2: f32): void {
  // v = β1·v + (1 − β1)·g;  s = β2·s + (1 − β2)·g²;
  // p −= lr·(c1·v) / (√(c2·s) + ε) with the bias corrections c1 = 1/(1 − β1^t), c2 = 1/(1 − β2^t)
  const a1: f32 = 1 - beta1;
  const a2: f32 = 1 - beta2;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    const vi = beta1 * load<f32>(v + o) + a1 * gi;
    const si = beta2 * load<f32>(s + o) + a2 * (gi * gi);
    store<f32>(v + o, vi);
    store<f32>(s + o, si);
    store<f32>(p + o, load<f32>(p + o) - lr * (c1 * vi) / (Mathf.sqrt(c2 * si) + eps));
  }
}
