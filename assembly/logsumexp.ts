// The per-column pieces of log-sum-exp that softmax and the categorical cost share. z is
// (rows × cols) row-major, one column per example; zc points at column j's first element and
// `stride` is a row's length in bytes (cols·4). log Σ_i exp(z_i) = max + log Σ_i exp(z_i − max):
// subtracting the column's max keeps every exp in (0, 1], so no overflow for any finite z.

// max_i z[i, j]
@inline export function column_max(zc: usize, rows: i32, stride: usize): f32 {
  let mx = load<f32>(zc);
  for (let i = 1; i < rows; i++) mx = max(mx, load<f32>(zc + <usize>i * stride));
  return mx;
}

// Σ_i exp(z[i, j] − mx), in float64
@inline export function column_exp_sum(zc: usize, rows: i32, stride: usize, mx: f32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < rows; i++) s += Math.exp(<f64>load<f32>(zc + <usize>i * stride) - <f64>mx);
  return s;
}

// ln 2 split in two: LN2_HI has 32 significant bits, so k·LN2_HI is exact for |k| < 2^20
const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const SQRT2: f64 = 1.4142135623730951;

/**
 * log(x) in float64 for cce_cost's log-sum-exp (x ≥ 1 there: the column's max contributes 1; NaN
 * and ∞ pass through). AssemblyScript's Math.log carries 4 KB of lookup tables into the module
 * at shrinkLevel 0, which the builds use for its Math.exp; this one needs none: x = 2^k·f with
 * f in [√½, √2), log f = 2·atanh(s) with s = (f − 1)/(f + 1), |s| ≤ 0.1716, by its series to s²³
 * (the next term is below 1e-18 of the sum), f − 1 exact. Within a few ulp of the true value
 * (test/kernels-outputs.test.ts checks cce_cost against float64 over sums from 1 to 10⁴).
 */
export function log_f64(x: f64): f64 {
  if (!(x > 0)) return x == 0 ? -Infinity : NaN;
  if (x == Infinity) return x;
  let k: i32 = 0;
  if (x < 2.2250738585072014e-308) { x *= 18014398509481984.0; k = -54; } // subnormal: scale by 2^54
  const bits = reinterpret<u64>(x);
  k += <i32>(bits >> 52) - 1023;
  let f = reinterpret<f64>((bits & 0x000FFFFFFFFFFFFF) | 0x3FF0000000000000);
  if (f > SQRT2) { f *= 0.5; k++; }
  const s = (f - 1) / (f + 1), s2 = s * s;
  // P = 1/3 + s²/5 + … + s²⁰/23 in Estrin's form (pairs, then s⁴, then s⁸: four levels of
  // dependent operations instead of Horner's ten), and log f = 2s + 2s·s²·P
  const s4 = s2 * s2, s8 = s4 * s4;
  const q0 = 1.0 / 3 + s2 * (1.0 / 5), q1 = 1.0 / 7 + s2 * (1.0 / 9), q2 = 1.0 / 11 + s2 * (1.0 / 13);
  const q3 = 1.0 / 15 + s2 * (1.0 / 17), q4 = 1.0 / 19 + s2 * (1.0 / 21);
  const p = (q0 + s4 * q1) + s8 * ((q2 + s4 * q3) + s8 * (q4 + s4 * (1.0 / 23)));
  const kf = <f64>k;
  // 2s·(1 + s²·p) = 2s + 2s·s²·p: the small part first, then the large ones
  return kf * LN2_HI + (2 * s + (2 * s * s2 * p + kf * LN2_LO));
}
