// Parameter updates: one flat loop over the whole parameter block (grads share its layout).

export function sgd_update(p: usize, g: usize, n: i32, lr: f32): void {
  // p, g are n floats: p −= lr·g
  let i = 0;
  const vlr = f32x4.splat(lr);
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.mul(vlr, v128.load(g + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(p + o, load<f32>(p + o) - lr * load<f32>(g + o));
  }
}

// ---- updates with state -------------------------------------------------------------------------
// Parameter updates with state, each one flat loop over the parameter block: p, the state blocks
// and the gradients g share one layout. Scalars arrive as f32; the Adam bias corrections are
// computed by the host (they depend on the step count only). Four lanes at a time, then the same
// operations one at a time for the last n mod 4: every element gets the same float32 operations
// in the same order either way (f32x4 arithmetic and sqrt round exactly like the scalar ones).

export function momentum_update(p: usize, v: usize, g: usize, n: i32, lr: f32, beta: f32): void {
  // v = β·v + (1 − β)·g;  p −= lr·v
  const b1: f32 = 1 - beta;
  const vb = f32x4.splat(beta), vb1 = f32x4.splat(b1), vlr = f32x4.splat(lr);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const vi = f32x4.add(f32x4.mul(vb, v128.load(v + o)), f32x4.mul(vb1, v128.load(g + o)));
    v128.store(v + o, vi);
    v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.mul(vlr, vi)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const vi = beta * load<f32>(v + o) + b1 * load<f32>(g + o);
    store<f32>(v + o, vi);
    store<f32>(p + o, load<f32>(p + o) - lr * vi);
  }
}

export function rmsprop_update(p: usize, s: usize, g: usize, n: i32, lr: f32, beta: f32, eps: f32): void {
  // s = β·s + (1 − β)·g²;  p −= lr·g / (√s + ε)
  const b1: f32 = 1 - beta;
  const vb = f32x4.splat(beta), vb1 = f32x4.splat(b1), vlr = f32x4.splat(lr), veps = f32x4.splat(eps);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const gi = v128.load(g + o);
    const si = f32x4.add(f32x4.mul(vb, v128.load(s + o)), f32x4.mul(vb1, f32x4.mul(gi, gi)));
    v128.store(s + o, si);
    const step = f32x4.div(f32x4.mul(vlr, gi), f32x4.add(f32x4.sqrt(si), veps));
    v128.store(p + o, f32x4.sub(v128.load(p + o), step));
  }
  for (; i < n; i++) {
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
  const vb1 = f32x4.splat(beta1), vb2 = f32x4.splat(beta2), va1 = f32x4.splat(a1), va2 = f32x4.splat(a2);
  const vlr = f32x4.splat(lr), veps = f32x4.splat(eps), vc1 = f32x4.splat(c1), vc2 = f32x4.splat(c2);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const gi = v128.load(g + o);
    const vi = f32x4.add(f32x4.mul(vb1, v128.load(v + o)), f32x4.mul(va1, gi));
    const si = f32x4.add(f32x4.mul(vb2, v128.load(s + o)), f32x4.mul(va2, f32x4.mul(gi, gi)));
    v128.store(v + o, vi);
    v128.store(s + o, si);
    const step = f32x4.div(f32x4.mul(vlr, f32x4.mul(vc1, vi)), f32x4.add(f32x4.sqrt(f32x4.mul(vc2, si)), veps));
    v128.store(p + o, f32x4.sub(v128.load(p + o), step));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    const vi = beta1 * load<f32>(v + o) + a1 * gi;
    const si = beta2 * load<f32>(s + o) + a2 * (gi * gi);
    store<f32>(v + o, vi);
    store<f32>(s + o, si);
    store<f32>(p + o, load<f32>(p + o) - lr * (c1 * vi) / (Mathf.sqrt(c2 * si) + eps));
  }
}
