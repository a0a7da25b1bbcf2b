// The output layers' costs: binary cross-entropy (sigmoid), categorical cross-entropy (softmax)
// and mean squared error (linear).
import { column_exp_sum, column_max, log_f64 } from './logsumexp';
import { log1p_of, neg_abs, softplus_u, tail_in } from './vmath';

// softplus(t) = log(1 + e^t), never overflowing: max(t, 0) + log1p(e^-|t|)
@inline function softplus(t: f64): f64 {
  return max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
}

export function bce_cost_ref(z: usize, y: usize, n: i32, m: i32): f64 {
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

// one BCE term from its logit: y·softplus(−z) + (1−y)·softplus(z) = max(z, 0) − y·z + log(1 + e^−|z|)
// (softplus(−z) = softplus(z) − z), in float32: the linear part is exact when y is 0 or 1 (then it
// is z·(step(z) − y) with one factor 0 or ±1) and one rounding otherwise; the log part is ≤ 4 ulp.
// Its u = e^-min(|z|, 87.3) is the one bias_sigmoid_e kept (kept: ev) or computed here: the same
// bits either way (a branch every vector of a call takes alike).
@inline function bce_terms_at(zv: v128, yv: v128, ev: v128, kept: bool): v128 {
  const lin = f32x4.sub(f32x4.pmax(zv, f32x4.splat(0)), f32x4.mul(yv, zv));
  const nt = neg_abs(zv);
  return f32x4.add(lin, log1p_of(kept ? ev : softplus_u(nt), nt));
}

// the sum of bce_cost, its terms' e^-|z| read from ev (bce_cost_e) or computed (ev = 0)
function bce_sum(z: usize, y: usize, ev: usize, n: i32, m: i32): f64 {
  // The SIMD form of bce_cost_ref: terms in float32 (error bound above), summed in float64. A
  // non-finite sum (an infinite logit, whose matching-label term the formula above turns into
  // ∞ − ∞) is recomputed by the reference, which skips zero-weight terms.
  const kept = ev != 0;
  let acc0 = f64x2.splat(0), acc1 = f64x2.splat(0);
  let i = 0;
  // kept (the training step's cost): four vectors' terms per iteration, independent work for the
  // out-of-order core, added to the sums as two iterations of the loop below add them (the same
  // bits as that loop alone); then two vectors per iteration, then one
  if (kept) for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    const t0 = bce_terms_at(v128.load(z + o), v128.load(y + o), v128.load(ev + o), true);
    const t1 = bce_terms_at(v128.load(z + o, 16), v128.load(y + o, 16), v128.load(ev + o, 16), true);
    const t2 = bce_terms_at(v128.load(z + o, 32), v128.load(y + o, 32), v128.load(ev + o, 32), true);
    const t3 = bce_terms_at(v128.load(z + o, 48), v128.load(y + o, 48), v128.load(ev + o, 48), true);
    acc0 = f64x2.add(acc0, f64x2.add(f64x2.promote_low_f32x4(t0), f64x2.promote_low_f32x4(t1)));
    acc1 = f64x2.add(acc1, f64x2.add(f64x2.promote_low_f32x4(i32x4.shuffle(t0, t0, 2, 3, 0, 1)),
                                     f64x2.promote_low_f32x4(i32x4.shuffle(t1, t1, 2, 3, 0, 1))));
    acc0 = f64x2.add(acc0, f64x2.add(f64x2.promote_low_f32x4(t2), f64x2.promote_low_f32x4(t3)));
    acc1 = f64x2.add(acc1, f64x2.add(f64x2.promote_low_f32x4(i32x4.shuffle(t2, t2, 2, 3, 0, 1)),
                                     f64x2.promote_low_f32x4(i32x4.shuffle(t3, t3, 2, 3, 0, 1))));
  }
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    const t = bce_terms_at(v128.load(z + o), v128.load(y + o), kept ? v128.load(ev + o) : v128.splat<i32>(0), kept);
    const u = bce_terms_at(v128.load(z + o, 16), v128.load(y + o, 16), kept ? v128.load(ev + o, 16) : v128.splat<i32>(0), kept);
    acc0 = f64x2.add(acc0, f64x2.add(f64x2.promote_low_f32x4(t), f64x2.promote_low_f32x4(u)));
    acc1 = f64x2.add(acc1, f64x2.add(f64x2.promote_low_f32x4(i32x4.shuffle(t, t, 2, 3, 0, 1)),
                                     f64x2.promote_low_f32x4(i32x4.shuffle(u, u, 2, 3, 0, 1))));
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const t = bce_terms_at(v128.load(z + o), v128.load(y + o), kept ? v128.load(ev + o) : v128.splat<i32>(0), kept);
    acc0 = f64x2.add(acc0, f64x2.promote_low_f32x4(t));
    acc1 = f64x2.add(acc1, f64x2.promote_low_f32x4(i32x4.shuffle(t, t, 2, 3, 0, 1)));
  }
  let s = f64x2.extract_lane(acc0, 0) + f64x2.extract_lane(acc0, 1) +
          f64x2.extract_lane(acc1, 0) + f64x2.extract_lane(acc1, 1);
  if (i < n) {
    const o = <usize>i << 2;
    const zt = tail_in(z + o, n - i), yt = tail_in(y + o, n - i);
    const t = bce_terms_at(zt, yt, kept ? tail_in(ev + o, n - i) : v128.splat<i32>(0), kept);
    // only the n − i real lanes count (the padding lanes hold the term of z = 0, y = 0)
    s += <f64>f32x4.extract_lane(t, 0);
    if (n - i > 1) s += <f64>f32x4.extract_lane(t, 1);
    if (n - i > 2) s += <f64>f32x4.extract_lane(t, 2);
  }
  if (!isFinite(s)) return bce_cost_ref(z, y, n, m);
  return s / <f64>m;
}

export function bce_cost(z: usize, y: usize, n: i32, m: i32): f64 {
  return bce_sum(z, y, 0, n, m);
}

// bce_cost from the e values bias_sigmoid_e kept beside A (ev: n floats): the same result, bit
// for bit, one exponential per output fewer
export function bce_cost_e(z: usize, y: usize, ev: usize, n: i32, m: i32): f64 {
  return bce_sum(z, y, ev, n, m);
}

export function output_delta(dz: usize, a: usize, y: usize, n: i32): void {
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

// ---- the softmax and linear outputs' costs ----------------------------------------------------
// For both, as for BCE, the gradient with respect to the output logits is dZ = A − Y
// (output_delta computes it for all three); the 1/m is applied in dW and db.

export function cce_cost(z: usize, y: usize, rows: i32, cols: i32): f64 {
  // z (logits) and y are (rows × cols), one column per example:
  // J = -(1/cols) Σ_j Σ_i y[i, j]·log softmax(z[:, j])[i], with log softmax(z)_i = z_i − max − log Σ_k exp(z_k − max)
  // (log-sum-exp: finite for any finite z). Terms with y = 0 are skipped, so a −∞-like logit of a
  // class that is not the label costs nothing. Summed in float64.
  const stride = <usize>cols << 2;
  let total: f64 = 0;
  for (let j = 0; j < cols; j++) {
    const zc = z + (<usize>j << 2), yc = y + (<usize>j << 2);
    const mx = column_max(zc, rows, stride);
    const lse = <f64>mx + log_f64(column_exp_sum(zc, rows, stride, mx));
    for (let i = 0; i < rows; i++) {
      const yi = <f64>load<f32>(yc + <usize>i * stride);
      if (yi != 0) total += yi * (lse - <f64>load<f32>(zc + <usize>i * stride));
    }
  }
  return total / <f64>cols;
}

export function mse_cost(a: usize, y: usize, n: i32, m: i32): f64 {
  // a (outputs) and y are n = n_y·m floats: J = (1/(2m)) Σ (a − y)², summed in float64
  let s: f64 = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const d = <f64>load<f32>(a + o) - <f64>load<f32>(y + o);
    s += d * d;
  }
  return s / (2 * <f64>m);
}
