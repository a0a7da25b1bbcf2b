// Binary cross-entropy for a sigmoid output layer.

// softplus(t) = log(1 + e^t), never overflowing: max(t, 0) + log1p(e^-|t|)
@inline function softplus(t: f64): f64 {
  return max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
}

export function bce_cost(z: usize, y: usize, n: i32, m: i32): f64 {
  // z (logits) and y are n = n_y·m floats: J = -(1/m) Σ [y log σ(z) + (1−y) log(1−σ(z))].
  // With −log σ(z) = softplus(−z) and −log(1−σ(z)) = softplus(z) every term is finite for finite
  // z, however saturated σ(z) is in float32; a term whose weight (y or 1−y) is 0 is skipped so
  // that an infinite logit with the matching label costs 0, not 0·∞ = NaN. Summed in float64.
  let s: f64 = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const zi = <f64>load<f32>(z + o);
    const yi = <f64>load<f32>(y + o);
    if (yi > 0) s += yi * softplus(-zi);
    if (yi < 1) s += (1 - yi) * softplus(zi);
  }
  return s / <f64>m;
}

export function sigmoid_bce_backward(dz: usize, a: usize, y: usize, n: i32): void {
  // dZ[L] = A[L] − Y, the gradient of the summed loss w.r.t. the logits (1/m is applied in dW, db)
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dz + o, f32x4.sub(v128.load(a + o), v128.load(y + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dz + o, load<f32>(a + o) - load<f32>(y + o));
  }
}
