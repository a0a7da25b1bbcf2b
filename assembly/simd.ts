// SIMD pieces the matrix products share: storing a tile's sums with α and β, and the
// multiply-add of the inner loops (one place: the relaxed-SIMD build fuses it here).

// c[0..3] = α·acc + β·c[0..3]
@inline export function put4(cp: usize, acc: v128, alpha: v128, beta: f32): void {
  let r = f32x4.mul(acc, alpha);
  if (beta != 0) r = f32x4.add(r, f32x4.mul(f32x4.splat(beta), v128.load(cp)));
  v128.store(cp, r);
}

@inline export function put1(cp: usize, s: f32, alpha: f32, beta: f32): void {
  store<f32>(cp, beta == 0 ? alpha * s : alpha * s + beta * load<f32>(cp));
}

// the sum of v's four lanes, left to right (every dot product's and row sum's last reduction)
@inline export function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) +
         f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

// acc + x·y. Built with --enable relaxed-simd, one relaxed_madd: the engine may fuse it (one
// rounding) or not (two), by its choice and the CPU's, so that module's products are reproducible
// on one engine and machine only. The plain build rounds twice everywhere, like the scalar tails.
// put4 and put1 keep mul + add in both builds, so a tile's edge and its body store alike. The
// polynomials of vmath.ts use it too.
@inline export function madd(acc: v128, x: v128, y: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(x, y, acc);
  return f32x4.add(acc, f32x4.mul(x, y));
}
