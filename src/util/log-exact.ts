/**
 * The natural logarithm rounded to the nearest double (correct rounding, up to a ~2⁻⁹⁰ relative
 * error before the final rounding), for numpy's Gaussian.
 *
 * Why not Math.log: the polar method computes sqrt(−2·log(r²)/r²), and numpy uses the C library's
 * log, which on glibc nearly always returns the correctly rounded value. V8's Math.log (fdlibm,
 * < 1 ulp) differs from it in the last bit often enough that 76 334 of 2.4 million of numpy's
 * Gaussians came out different. With this logarithm 890 of the 2.4 million differ, all where
 * glibc's log is itself not correctly rounded (scripts/compare-randn.ts; README, "Reproducing the
 * course"). Matching those too would mean copying glibc's tables; correct rounding is the
 * portable target (numpy on other C libraries differs elsewhere).
 *
 * Method: x = 2ᵉ·m with m in [√½, √2); m = c·(m/c) with c = 1 + j/128 the nearest table point;
 * log x = e·ln 2 + log c + 2·atanh(s), s = (m − c)/(m + c), |s| < 2⁻⁸·⁵, with the leading terms of
 * the atanh series in double-double and the tiny rest in double.
 */

// ── double-double helpers: a value is hi + lo with |lo| ≤ ulp(hi)/2 ─────────────────────────────
type DD = [number, number];

/** hi + lo = a + b exactly (Knuth) */
function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, (a - (s - bb)) + (b - bb)];
}

/** hi + lo = a·b exactly (Dekker; JS has no fused multiply-add) */
function twoProd(a: number, b: number): DD {
  const p = a * b;
  const SPLIT = 134217729; // 2²⁷ + 1
  const ta = SPLIT * a, ah = ta - (ta - a), al = a - ah;
  const tb = SPLIT * b, bh = tb - (tb - b), bl = b - bh;
  return [p, ((ah * bh - p) + ah * bl + al * bh) + al * bl];
}

function add(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  const [t, f] = twoSum(a[1], b[1]);
  const [s2, e2] = twoSum(s, e + t);
  return twoSum(s2, e2 + f);
}

function mul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return twoSum(p, e + (a[0] * b[1] + a[1] * b[0]));
}

function div(a: DD, b: DD): DD {
  const q1 = a[0] / b[0];
  const r = add(a, mul([-q1, 0], b));
  const q2 = r[0] / b[0];
  const r2 = add(r, mul([-q2, 0], b));
  return add(twoSum(q1, q2), [r2[0] / b[0], 0]);
}

const LN2: DD = [0.6931471805599453, 2.3190468138462996e-17];
const STEPS = 128;
/** j ranges over round((m − 1)·128) for m in [√½, √2): −38 … 53 */
const J_MIN = -38;
const J_MAX = 53;

/** 2·atanh(s) = 2·(s + s³/3 + s⁵/5 + …) entirely in double-double, for |s| ≤ 0.2 (table only) */
function twoAtanhSlow(s: DD): DD {
  const s2 = mul(s, s);
  let sum: DD = [0, 0];
  // 2k + 1 up to 61: 0.2⁶⁰ < 2⁻¹³⁹, well below double-double precision
  for (let k = 61; k >= 1; k -= 2) sum = add(div([1, 0], [k, 0]), mul(sum, s2));
  return mul(mul(sum, s), [2, 0]);
}

let table: DD[] | undefined;

/** log(1 + j/128) in double-double for every j, computed once on first use */
function logTable(): DD[] {
  if (table) return table;
  table = [];
  for (let j = J_MIN; j <= J_MAX; j++) {
    const c = 1 + j / STEPS;
    table.push(twoAtanhSlow(div(twoSum(c, -1), twoSum(c, 1))));
  }
  return table;
}

/**
 * ln(x) for a finite x > 0, correctly rounded to the nearest double (see the file comment);
 * NaN for x < 0 or NaN, −Infinity for 0, Infinity for Infinity, like Math.log.
 */
export function logRounded(x: number): number {
  if (!(x > 0) || x === Infinity) return Math.log(x);
  let e = 0;
  if (x < 2 ** -1000) {
    x *= 2 ** 200; // subnormals and their neighbours: scale into the normal range (exact)
    e = -200;
  }
  // x = 2ᵉ·m with m in [√½, √2); multiplying by a power of two is exact here
  let k = Math.round(Math.log2(x));
  let m = x * 2 ** -k;
  if (m >= Math.SQRT2) { m /= 2; k++; }
  if (m < Math.SQRT1_2) { m *= 2; k--; }
  e += k;
  const j = Math.round((m - 1) * STEPS);
  const c = 1 + j / STEPS;
  // m − c is exact: both are multiples of 2⁻⁵³ and |m − c| ≤ 2⁻⁸
  const s = div([m - c, 0], twoSum(m, c));
  const s2 = mul(s, s);
  const s3 = mul(s2, s);
  // 2s + 2s³/3 in double-double; 2s⁵·(1/5 + s²/7 + s⁴/9 + s⁶/11) in double is < 2⁻³⁶ of the sum
  const z = s2[0];
  const rest = 2 * s3[0] * z * (1 / 5 + z * (1 / 7 + z * (1 / 9 + z / 11)));
  let r = add(mul(s, [2, 0]), div(mul(s3, [2, 0]), [3, 0]));
  r = add(r, [rest, 0]);
  r = add(r, logTable()[j - J_MIN]);
  if (e !== 0) r = add(r, mul(LN2, [e, 0]));
  return r[0] + r[1];
}
