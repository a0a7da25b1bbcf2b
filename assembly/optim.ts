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
