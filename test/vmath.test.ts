// The SIMD polynomial exp / tanh / sigmoid / softplus of assembly/vmath.ts, through the kernels
// that use them, against float64 on a dense grid: ≈ 10⁶ points, linear on [−20, 20] (where the
// range reductions switch branches) and geometric out to |z| = 1e30, both signs. The bounds are
// the ones stated in assembly/vmath.ts; the test measures them in ulps of the float64 result
// rounded to float32 (an ulp of a float32 x is the gap to the next float32 away from zero).
// VMATH_REPORT=1 prints the measured maxima.
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, Scratch } from './support/helpers.js';

const MIN_NORMAL = 2 ** -126;

/** ulp of the float32 nearest to v (normal range; subnormals share the smallest normal's ulp) */
function ulp32(v: number): number {
  const a = Math.max(Math.abs(Math.fround(v)), MIN_NORMAL);
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

function grid(): Float32Array {
  const zs: number[] = [0, -0];
  const nLin = 400_000;
  for (let i = 0; i <= nLin; i++) zs.push(-20 + (40 * i) / nLin);
  const nLog = 100_000; // 1e-30 … 1e30, both signs
  for (let i = 0; i <= nLog; i++) {
    const v = 10 ** (-30 + (60 * i) / nLog);
    zs.push(v, -v);
  }
  // every float32 near the branch points of the reductions (|z| = 0.625 for tanh, 0 for sigmoid)
  for (const c of [0.625, -0.625, 0.3125, -0.3125]) {
    for (let d = -2000; d <= 2000; d++) zs.push(c * (1 + d * 2 ** -23));
  }
  return Float32Array.from(zs);
}

/** largest error in ulps of the float64 reference, and where */
function maxUlps(got: Float32Array, Z: Float32Array, ref: (z: number) => number): { ulps: number; at: number } {
  let worst = { ulps: 0, at: NaN };
  for (let i = 0; i < Z.length; i++) {
    const want = ref(Z[i]);
    const e = Math.abs(got[i] - want) / ulp32(want);
    if (!(e <= worst.ulps)) worst = { ulps: e, at: Z[i] };
  }
  return worst;
}

const sigmoid64 = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

describe.each(BACKENDS)('%s backend', (backend) => {
  let s: Scratch;
  let Z: Float32Array;
  let zp: number, ap: number;
  beforeAll(async () => {
    s = await Scratch.of(backend);
    Z = grid();
    zp = s.put(Z);
    ap = s.put(Z.length);
  });

  it('tanh is within 2 ulp of float64 on the grid, odd, and exactly ±1 for |z| ≥ 9.1', () => {
    s.k.tanh_forward(ap, zp, Z.length);
    const A = s.get(ap, Z.length);
    const { ulps, at } = maxUlps(A, Z, Math.tanh);
    if (process.env.VMATH_REPORT) console.log(backend, "tanh", ulps, at);
    expect(ulps, `worst at z = ${at}`).toBeLessThanOrEqual(2);
    for (let i = 0; i < Z.length; i++) {
      if (Math.abs(Z[i]) >= 9.1 && Math.abs(A[i]) !== 1) throw new Error(`tanh(${Z[i]}) = ${A[i]}`);
    }
    // odd: tanh(−z) = −tanh(z) bit for bit
    const negp = s.put(Z.map((z) => -z));
    s.k.tanh_forward(negp, negp, Z.length);
    const N = s.get(negp, Z.length);
    for (let i = 0; i < Z.length; i++) if (N[i] !== -A[i]) throw new Error(`tanh(−${Z[i]}) = ${N[i]}, tanh(${Z[i]}) = ${A[i]}`);
  });

  it('sigmoid is within 4 ulp of float64 on the grid (relative, down to the smallest normal)', () => {
    s.k.sigmoid_forward(ap, zp, Z.length);
    const A = s.get(ap, Z.length);
    const { ulps, at } = maxUlps(A, Z, sigmoid64);
    if (process.env.VMATH_REPORT) console.log(backend, "sigmoid", ulps, at);
    expect(ulps, `worst at z = ${at}`).toBeLessThanOrEqual(4);
    // gradual underflow: σ(−100) ≈ 3.7e-44 is a float32 subnormal, not flushed to 0
    const p = s.put([-100, -103, 88, 100]);
    s.k.sigmoid_forward(p, p, 4);
    const got = s.get(p, 4);
    expect(got[0]).toBeGreaterThan(0);
    expect(Math.abs(got[0] - Math.exp(-100))).toBeLessThanOrEqual(2 ** -149);
    expect(Array.from(got.subarray(2))).toEqual([1, 1]);
  });

  it('bias_<act> applies the same activation as the element-wise kernels, after the bias', () => {
    const rows = 3, cols = 7; // odd sizes: every row ends in a tail
    const z = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i) * 6);
    const b = Float32Array.from([0.5, -1.25, 3]);
    for (const act of ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear'] as const) {
      const zp2 = s.put(z), ap2 = s.put(rows * cols), bp = s.put(b);
      const fn = act === 'leakyRelu' ? 'leaky_relu' : act === 'linear' ? 'identity' : act;
      s.k[`bias_${fn}`](ap2, zp2, bp, rows, cols);
      const Zb = s.get(zp2, rows * cols);
      const want = Float32Array.from(z, (v, i) => v + b[Math.floor(i / cols)]);
      expect(Array.from(Zb)).toEqual(Array.from(want));
      const ref = s.put(Zb), out = s.put(rows * cols);
      if (act === 'linear') s.k.bias_identity(out, ref, s.put(3), rows, cols);
      else s.k[`${fn}_forward`](out, ref, rows * cols);
      expect(Array.from(s.get(ap2, rows * cols))).toEqual(Array.from(s.get(out, rows * cols)));
    }
  });

  it('each bce term log(1 + e^-|z|) + max(z, 0) − y·z is within 4 ulp + 1 ulp of its linear part', () => {
    // bce_cost over one element returns that element's term (m = 1); 20 000 grid points, y ∈ {0, 1}
    const zp1 = s.put(1), yp = s.put(1);
    const h = () => s.be.reserve(0);
    let worst = 0, at = NaN;
    for (let i = 0; i < Z.length; i += 50) {
      const z = Z[i];
      for (const y of [0, 1]) {
        h()[zp1 >> 2] = z;
        h()[yp >> 2] = y;
        const got = s.k.bce_cost(zp1, yp, 1, 1);
        const lin = Math.max(z, 0) - y * z;
        const want = lin + Math.log1p(Math.exp(-Math.abs(z)));
        // the log part in float32 (≤ 4 ulp of it), plus one rounding of the sum with lin
        const tol = Math.max(4 * ulp32(want - lin), want - lin < MIN_NORMAL ? MIN_NORMAL : 0) + ulp32(want);
        const e = Math.abs(got - want) / tol;
        if (!(e <= worst)) { worst = e; at = z; }
      }
    }
    if (process.env.VMATH_REPORT) console.log(backend, "bce", worst, at);
    expect(worst, `worst at z = ${at}`).toBeLessThanOrEqual(1);
  });
});
