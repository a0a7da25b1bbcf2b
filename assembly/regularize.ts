// L2 weight decay and inverted dropout.

export function l2_grad_add(dw: usize, w: usize, n: i32, scale: f32): void {
  // dw += scale·w over n floats (scale = λ/m: the gradient of (λ/(2m))·‖W‖²)
  const vs = f32x4.splat(scale);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dw + o, f32x4.add(v128.load(dw + o), f32x4.mul(vs, v128.load(w + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dw + o, load<f32>(dw + o) + scale * load<f32>(w + o));
  }
}

export function sum_squares(w: usize, n: i32): f64 {
  // Σ w² over n floats, in float64 (‖W‖² for the L2 cost term)
  let s: f64 = 0;
  for (let i = 0; i < n; i++) {
    const x = <f64>load<f32>(w + (<usize>i << 2));
    s += x * x;
  }
  return s;
}

// 1 if all n floats at w are finite, else 0: the trainer's check of the parameters at every
// progress check (sum_squares would say the same through its float64 sum, one dependent add per
// element; this is one bitwise test per vector, or'ed into four accumulators). A float is not
// finite exactly when its exponent bits are all ones (±∞, NaN).
export function all_finite(w: usize, n: i32): i32 {
  const EXP = i32x4.splat(0x7F800000);
  let f0 = i32x4.splat(0), f1 = f0, f2 = f0, f3 = f0;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    f0 = v128.or(f0, i32x4.eq(v128.and(v128.load(w + o), EXP), EXP));
    f1 = v128.or(f1, i32x4.eq(v128.and(v128.load(w + o, 16), EXP), EXP));
    f2 = v128.or(f2, i32x4.eq(v128.and(v128.load(w + o, 32), EXP), EXP));
    f3 = v128.or(f3, i32x4.eq(v128.and(v128.load(w + o, 48), EXP), EXP));
  }
  for (; i + 4 <= n; i += 4) f0 = v128.or(f0, i32x4.eq(v128.and(v128.load(w + (<usize>i << 2)), EXP), EXP));
  if (v128.any_true(v128.or(v128.or(f0, f1), v128.or(f2, f3)))) return 0;
  for (; i < n; i++) if ((load<u32>(w + (<usize>i << 2)) & 0x7F800000) == 0x7F800000) return 0;
  return 1;
}

export function dropout_apply(x: usize, mask: usize, n: i32, scale: f32): void {
  // x = x ⊙ mask · scale over n floats; mask holds 0 (dropped) or 1 (kept), scale = 1/keep.
  // Forward: A ⊙ mask / keep (inverted dropout); backward: the same on dA.
  const vs = f32x4.splat(scale);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(x + o, f32x4.mul(f32x4.mul(v128.load(x + o), v128.load(mask + o)), vs));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(x + o, load<f32>(x + o) * load<f32>(mask + o) * scale);
  }
}
