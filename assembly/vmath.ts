// SIMD elementary functions on f32x4, for the activation and cost kernels. Each is a short
// polynomial after a range reduction, computed in float32. test/vmath.test.ts checks these bounds
// against float64 on a dense grid (≈ 10⁶ points, |z| up to 1e30; measured maxima in brackets):
//   tanh(z)           ≤ 2 ulp of the result                                     [1.99 ulp]
//   sigmoid(z)        ≤ 4 ulp of the result, down to the smallest normal float32 [3.2 ulp]
//                     (below it the result is a correctly gradually-underflowed subnormal)
//   log1p_exp_neg(t)  = log(1 + e^-t), t ≥ 0: ≤ 4 ulp of the result, or 2^-126 absolute for
//                     results below 2^-126 (flushed to 0 past t = 87.5)            [< 3 ulp]
// exp_neg is checked through sigmoid, which for z < 0 is e^z/(1 + e^z); exp_neg_normal through
// the bce terms; tanh's e^r − 1 through tanh.
// Each a + b·c of the reductions and polynomials is madd (simd.ts): mul + add in the plain builds,
// as written; one relaxed_madd in the relaxed builds, which the engine may fuse (one rounding, and
// about a third fewer instructions in tanh). The bounds hold either way: unfused, the relaxed
// builds give the plain builds' bits; fused (V8 on x86 with FMA3), the same tests pass on the
// relaxed modules (test/relaxed-simd.test.ts), and scripts/tanh-exhaustive.mjs on every float32
// in [2^-30, 9.5] gave 1.95 ulp for tanh (1.99 unfused).

import { madd } from './simd';

const LOG2E: f32 = 1.44269504088896341;
// ln 2 split in two (Cody–Waite): LN2_HI has 9 significant bits, so n·LN2_HI is exact for |n| < 2^15
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
// exp_neg clamps its argument here: e^-104 ≈ 6.8e-46 is below half the smallest float32 subnormal
const EXP_MIN: f32 = -104;

// e^r on |r| ≤ ln2/2 by its Taylor polynomial to r⁷: the remainder r⁸/8! is < 5.3e-9, well under
// float32's half-ulp (2^-24 ≈ 6e-8), so rounding dominates the error. Evaluated in Estrin's form
// (pairs, then r², r⁴) rather than Horner's: three levels of dependent multiply-adds instead of
// seven — these kernels wait on latency more than on throughput (measured: 10% faster per
// element; sigmoid's worst case moved from 2.5 to 3.2 ulp).
@inline function exp_poly(r: v128): v128 {
  const r2 = f32x4.mul(r, r);
  const r4 = f32x4.mul(r2, r2);
  const p01 = f32x4.add(f32x4.splat(1), r);
  const p23 = madd(f32x4.splat(0.5), f32x4.splat(1.0 / 6.0), r);
  const p45 = madd(f32x4.splat(1.0 / 24.0), f32x4.splat(1.0 / 120.0), r);
  const p67 = madd(f32x4.splat(1.0 / 720.0), f32x4.splat(1.0 / 5040.0), r);
  const lo = madd(p01, r2, p23);
  const hi = madd(p45, r2, p67);
  return madd(lo, r4, hi);
}

// Adding 1.5·2²³ to |y| < 2²² rounds y to an integer (round-half-even, the FPU's mode) and leaves
// that integer in the low bits of the float's encoding: one add replaces nearest + trunc_sat.
const ROUND_MAGIC: f32 = 12582912;

// The range reduction the exponentials share: n = round(x·log2 e), held as n + 1.5·2²³ (n in the
// float's low bits), and r = x − n·ln2 in two steps (Cody–Waite), |r| ≤ ln2/2.
@inline function log2e_rounded(x: v128): v128 {
  return madd(f32x4.splat(ROUND_MAGIC), x, f32x4.splat(LOG2E));
}

@inline function reduced(x: v128, shifted: v128): v128 {
  const nf = f32x4.sub(shifted, f32x4.splat(ROUND_MAGIC));
  const r = madd(x, nf, f32x4.splat(-LN2_HI));
  return madd(r, nf, f32x4.splat(-LN2_LO));
}

// the encoding of ROUND_MAGIC less 127: shifted's bits minus this are n + 127, the exponent field
// of 2^n (a normal power of two for −126 ≤ n ≤ 127), built in one subtraction and one shift
const POW2_BIAS: i32 = 0x4B400000 - 127;

/** 2^n from shifted = log2e_rounded(x) */
@inline function pow2_of(shifted: v128, bias: i32): v128 {
  return i32x4.shl(i32x4.sub(shifted, i32x4.splat(bias)), 23);
}

// exp_neg's 2^n for n ≥ −151 as 2^(n + 64)·2^−64: pow2_of with this bias gives 2^(n + 64), a normal
// power of two for −190 ≤ n ≤ 63
const POW2_BIAS_64: i32 = POW2_BIAS - 64;
const TWO_M64: f32 = 5.421010862427522e-20; // 2^−64

/** e^x for x ≤ 0 (NaN-free for finite or −∞ input; x is clamped at −104, where e^x rounds to 0). */
@inline export function exp_neg(x: v128): v128 {
  x = f32x4.pmax(x, f32x4.splat(EXP_MIN));
  const shifted = log2e_rounded(x);
  const p = exp_poly(reduced(x, shifted));
  // p·2^n as (p·2^(n + 64))·2^−64: the first product is exact (a normal power of two, p ≈ 1), so
  // the result is rounded once, in the second, a subnormal one included (a single out-of-range
  // 2^n would flush it)
  return f32x4.mul(f32x4.mul(p, pow2_of(shifted, POW2_BIAS_64)), f32x4.splat(TWO_M64));
}

/** e^x for −87.3 ≤ x ≤ 0 only (callers clamp): the result is normal, so one power of two does. */
@inline export function exp_neg_normal(x: v128): v128 {
  const shifted = log2e_rounded(x);
  return f32x4.mul(exp_poly(reduced(x, shifted)), pow2_of(shifted, POW2_BIAS));
}

// e^r − 1 = r + r²·(D1 + D2·r + … + D5·r⁴) on |r| ≤ ln2/2: the minimax fit of that polynomial's
// relative error (scripts/fit-expm1.py: 1.7e-8 with these float32 coefficients, a quarter of an
// ulp), one term fewer than the Taylor polynomial it replaced, evaluated by Horner (the fewest
// operations; bias_tanh keeps four vectors in flight (tanh4x4), so latency matters less than in the
// exponentials).
const D1: f32 = 0.4999999701976776;
const D2: f32 = 0.1666654348373413;
const D3: f32 = 0.04166720062494278;
const D4: f32 = 0.008366520516574383;
const D5: f32 = 0.0013882521307095885;

// tanh|z| = (1 − e)/(1 + e), e = e^(−2|z|), from one exponential split as e = s·(1 + q): s = 2^n
// exactly and q = e^r − 1 (|r| ≤ ln2/2). Numerator (1 − s) − s·q and denominator (1 + s) + s·q are
// each rounded once (1 ± s and s·q are exact), so no subtraction cancels, small |z| included: for
// n = 0 the numerator is −q itself. One formula for every lane (no branch per lane): |z| is
// clamped at TANH_ONE, where the result is ±1 exactly (e ≈ 5.6e-9 is below half an ulp of 1) and
// e stays normal (x86 handles subnormal arithmetic in microcode, several times slower); a vector
// whose four |z| are all at or past it is ±1 at once (the same bits, test/tanh-shortcuts.test.ts;
// 61% of trained planar's vectors). The sign is taken off and put back as a bit (tanh is odd, bit
// for bit). Checked exhaustively on every float32 in [2^-30, 9.5] (scripts/tanh-exhaustive.mjs):
// worst 1.99 ulp at z ≈ 0.51956 unfused, 1.95 fused.
const TANH_ONE: f32 = 9.5;

@inline export function tanh4(z: v128): v128 {
  const sign = v128.and(z, i32x4.splat(<i32>0x80000000));
  const az = v128.xor(z, sign);
  if (v128.all_true<i32>(f32x4.ge(az, f32x4.splat(TANH_ONE)))) return v128.or(f32x4.splat(1), sign);
  return tanh4_core(az, sign);
}

/** tanh4 without its shortcut, from az = |z| and sign = z's sign bit (the same bits for any |z|) */
@inline export function tanh4_core(az: v128, sign: v128): v128 {
  const x = f32x4.mul(f32x4.pmin(az, f32x4.splat(TANH_ONE)), f32x4.splat(-2));
  const shifted = log2e_rounded(x);
  const r = reduced(x, shifted);
  let p = madd(f32x4.splat(D4), r, f32x4.splat(D5));
  p = madd(f32x4.splat(D3), r, p);
  p = madd(f32x4.splat(D2), r, p);
  p = madd(f32x4.splat(D1), r, p);
  const q = madd(r, r, f32x4.mul(r, p));
  const s = pow2_of(shifted, POW2_BIAS);
  const sq = f32x4.mul(s, q);
  const one = f32x4.splat(1);
  return v128.or(f32x4.div(f32x4.sub(f32x4.sub(one, s), sq), f32x4.add(f32x4.add(one, s), sq)), sign);
}

/**
 * tanh of z0…z3 into the four vectors at ap, as tanh4 gives each, bit for bit: ±1 at
 * once when all sixteen |z| are at or past TANH_ONE, otherwise tanh4_core on all four. Four
 * independent chains of about 80 cycles in one block, with no branch between them: the core works
 * on four at a time instead of waiting out one chain's latency (measured on 4 × 400 values from a
 * trained planar network: 1.3–1.5× faster than two vectors with a shortcut each).
 */
@inline export function tanh4x4(ap: usize, z0: v128, z1: v128, z2: v128, z3: v128): void {
  const signBit = i32x4.splat(<i32>0x80000000), one = f32x4.splat(TANH_ONE);
  const s0 = v128.and(z0, signBit), s1 = v128.and(z1, signBit), s2 = v128.and(z2, signBit), s3 = v128.and(z3, signBit);
  const a0 = v128.xor(z0, s0), a1 = v128.xor(z1, s1), a2 = v128.xor(z2, s2), a3 = v128.xor(z3, s3);
  // ge is false for a NaN lane, so a NaN never takes the shortcut (tanh4_core gives it back)
  const past = v128.and(v128.and(f32x4.ge(a0, one), f32x4.ge(a1, one)), v128.and(f32x4.ge(a2, one), f32x4.ge(a3, one)));
  if (v128.all_true<i32>(past)) {
    const u = f32x4.splat(1);
    v128.store(ap, v128.or(u, s0)); v128.store(ap, v128.or(u, s1), 16);
    v128.store(ap, v128.or(u, s2), 32); v128.store(ap, v128.or(u, s3), 48);
    return;
  }
  v128.store(ap, tanh4_core(a0, s0)); v128.store(ap, tanh4_core(a1, s1), 16);
  v128.store(ap, tanh4_core(a2, s2), 32); v128.store(ap, tanh4_core(a3, s3), 48);
}

/** −|z|: z with its sign bit set (one or; f32x4.neg of f32x4.abs is two masks built and applied) */
@inline export function neg_abs(z: v128): v128 {
  return v128.or(z, i32x4.splat(<i32>0x80000000));
}

/** 1 / (1 + e^-z) without overflow: with e = e^-|z|, 1/(1 + e) for z ≥ 0 and e/(1 + e) for z < 0. */
@inline export function sigmoid4(z: v128): v128 {
  return sigmoid4_of(z, exp_neg(neg_abs(z)));
}

/** sigmoid4 from z and its e = e^-|z| */
@inline export function sigmoid4_of(z: v128, e: v128): v128 {
  const s = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), e));
  return v128.bitselect(s, f32x4.mul(e, s), f32x4.ge(z, f32x4.splat(0)));
}

// log1p_exp_neg's argument floor: e^-t is computed no lower than e^-SOFTPLUS_T (> 2^-126)
const SOFTPLUS_T: f32 = 87.3;

/**
 * The e^-min(|z|, 87.3) that log1p_exp_neg(|z|) starts from, given nz = −|z| and e = e^-|z| as
 * sigmoid4 computes it: the same bits where |z| ≤ 87.3 (exp_neg and exp_neg_normal then round
 * alike: each rounds its product with a power of two once), floor = e^-87.3 above (and NaN for NaN).
 */
@inline export function softplus_e(nz: v128, e: v128, floor: v128): v128 {
  return v128.bitselect(floor, e, f32x4.lt(nz, f32x4.splat(-SOFTPLUS_T)));
}

/** softplus_e's floor, e^-87.3 in each lane (computed once per call, outside the loops) */
@inline export function softplus_floor(): v128 {
  return exp_neg_normal(f32x4.splat(-SOFTPLUS_T));
}

// log(1 + u) for u = e^-t ∈ [0, 1] as 2·atanh(s) with s = u/(2 + u) ∈ [0, 1/3] (no cancellation
// for small u: s ≈ u/2 is formed directly): 2s + s³·P(s²), P fitted by weighted least squares for
// relative error (max 4.5e-9 in float64 on [0, 1/3]; the Taylor series would need 3 more terms).
const L0: f32 = 0.666664183139801;
const L1: f32 = 0.4002152681350708;
const L2: f32 = 0.2800181210041046;
const L3: f32 = 0.28011950850486755;

/** e^-min(t, 87.3) from nt = −t, what log1p_exp_neg(t) starts from */
@inline export function softplus_u(nt: v128): v128 {
  return exp_neg_normal(f32x4.pmax(nt, f32x4.splat(-SOFTPLUS_T)));
}

/**
 * log1p_exp_neg(t) = log(1 + e^-t) for t ≥ 0 (the non-linear part of softplus), in (0, ln 2], from
 * nt = −t and u = e^-min(t, 87.3) (softplus_u, or softplus_e from sigmoid's exponential): e^-t is
 * computed no lower than e^-87.3 (> 2^-126), since subnormal arithmetic is several times slower on
 * x86; where t > 87.5 the result is set to 0, which is within 2^-126 of the true value.
 */
@inline export function log1p_of(u: v128, nt: v128): v128 {
  const s = f32x4.div(u, f32x4.add(f32x4.splat(2), u));
  const s2 = f32x4.mul(s, s);
  let p = f32x4.splat(L3);
  p = madd(f32x4.splat(L2), p, s2);
  p = madd(f32x4.splat(L1), p, s2);
  p = madd(f32x4.splat(L0), p, s2);
  const r = f32x4.mul(s, madd(f32x4.splat(2), s2, p));
  return v128.andnot(r, f32x4.lt(nt, f32x4.splat(-87.5)));
}

// Element-wise drivers: n floats from src to dst (they may alias). The last n mod 4 elements go
// through the same vector code, gathered into the low lanes of one vector (the others 0) and
// scattered back, so an element's result never depends on its position or on n. One thread at a
// time (the builds with their own memory) goes through a 16-byte static buffer, the smallest
// code; the shared-memory builds, whose threads run these kernels at once, go lane by lane. Both
// give a vector of the same values.
const TAIL = memory.data(16, 16);

/** n = 1, 2 or 3 floats from src into the low lanes of a vector, the other lanes 0 */
@inline export function tail_in(src: usize, n: i32): v128 {
  if (ASC_FEATURE_THREADS) {
    let v = v128.load32_zero(src);
    if (n > 1) v = v128.load32_lane(src, v, 1, 4);
    if (n > 2) v = v128.load32_lane(src, v, 2, 8);
    return v;
  }
  v128.store(TAIL, f32x4.splat(0));
  memory.copy(TAIL, src, <usize>n << 2);
  return v128.load(TAIL);
}

/** the low n = 1, 2 or 3 lanes of v to dst */
@inline export function tail_out(dst: usize, v: v128, n: i32): void {
  if (ASC_FEATURE_THREADS) {
    v128.store32_lane(dst, v, 0);
    if (n > 1) v128.store32_lane(dst, v, 1, 4);
    if (n > 2) v128.store32_lane(dst, v, 2, 8);
    return;
  }
  v128.store(TAIL, v);
  memory.copy(dst, TAIL, <usize>n << 2);
}
