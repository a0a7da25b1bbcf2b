// The output, loss, optimizer and regularisation kernels (softmax, CCE, MSE, momentum, RMSprop,
// Adam, L2, dropout) of both backends
// against float64 loops written here from the formulas, on odd sizes.
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, Scratch, U32, bitEqual, maxAbsDiff, randomArray } from './support/helpers.js';
import { ENGINE_MODULES, KernelArena } from './support/engines.js';

const SIZES: [number, number][] = [[2, 1], [3, 5], [10, 17], [5, 33], [2, 400]];

/** float64 softmax of each column of z (rows × cols) */
function softmax64(z: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let j = 0; j < cols; j++) {
    let s = 0;
    for (let i = 0; i < rows; i++) s += Math.exp(z[i * cols + j]);
    for (let i = 0; i < rows; i++) out[i * cols + j] = Math.exp(z[i * cols + j]) / s;
  }
  return out;
}

/** one-hot (rows × cols) of seeded classes */
function oneHot(rows: number, cols: number, seed: number): Float32Array {
  const u = randomArray(cols, seed, 0, rows);
  const y = new Float32Array(rows * cols);
  for (let j = 0; j < cols; j++) y[Math.min(rows - 1, Math.floor(u[j])) * cols + j] = 1;
  return y;
}

describe.each(BACKENDS)('output, loss, optimizer and regularisation kernels on %s', (backend) => {
  let s: Scratch;
  beforeAll(async () => {
    s = await Scratch.of(backend);
  });

  it.each(SIZES)('softmax_forward %i × %i matches float64; columns sum to 1', (rows, cols) => {
    const z = randomArray(rows * cols, rows * 7 + cols, -6, 6);
    const zp = s.put(z), ap = s.put(rows * cols);
    s.k.softmax_forward(ap, zp, rows, cols);
    const got = s.get(ap, rows * cols);
    // exps and the sum in float64, one rounding to float32 at the store: within an ulp of values ≤ 1
    expect(maxAbsDiff(got, softmax64(z, rows, cols))).toBeLessThanOrEqual(2 * U32);
    for (let j = 0; j < cols; j++) {
      let t = 0;
      for (let i = 0; i < rows; i++) t += got[i * cols + j];
      // rows roundings of u each
      expect(Math.abs(t - 1)).toBeLessThanOrEqual(rows * U32);
    }
  });

  it('softmax_forward and cce_cost stay finite for logits of ±1e30 (log-sum-exp)', () => {
    // (2 × 3): column 0 strongly class 0, column 1 strongly class 1, column 2 logits (0, 5)
    const z = Float32Array.of(1e30, -1e30, 0, -1e30, 1e30, 5);
    const y = Float32Array.of(1, 0, 1, 0, 1, 0); // labels 0, 1, 0
    const zp = s.put(z), ap = s.put(6), yp = s.put(y);
    s.k.softmax_forward(ap, zp, 2, 3);
    const a = s.get(ap, 6);
    const want = [1, 0, 1 / (1 + Math.exp(5)), 0, 1, Math.exp(5) / (1 + Math.exp(5))];
    // one float32 rounding of values ≤ 1
    expect(maxAbsDiff(a, want)).toBeLessThanOrEqual(U32);
    const J = s.k.cce_cost(zp, yp, 2, 3);
    expect(Number.isFinite(J)).toBe(true);
    // columns 0 and 1 are right with certainty (cost 0); column 2 costs −log softmax(0, 5)_0 = log(1 + e^5)
    expect(Math.abs(J - Math.log1p(Math.exp(5)) / 3)).toBeLessThanOrEqual(1e-12);
  });

  it('cce_cost of equal logits is log(rows) to 4 ulp: the log of its log-sum-exp (wasm: its own float64 log) from 1 to 10⁴', () => {
    // every exp(z − max) is exp(0) = 1 exactly, so the sum is `rows` exactly and the only rounding
    // is the log's (and the division by cols = 1)
    for (const rows of [1, 2, 3, 5, 7, 10, 16, 99, 100, 1000, 1023, 1024, 1025, 4099, 10000]) {
      for (const v of [0, -3.5, 7.25]) {
        s.reset();
        const z = new Float32Array(rows).fill(v), y = new Float32Array(rows);
        y[rows >> 1] = 1;
        const J = s.k.cce_cost(s.put(z), s.put(y), rows, 1);
        const want = Math.log(rows);
        expect(Math.abs(J - want), `rows ${rows}, z ${v}: ${J} vs ${want}`).toBeLessThanOrEqual(4 * 2 ** -52 * Math.max(want, 2 ** -52));
      }
    }
  });

  it.each(SIZES)('cce_cost %i × %i matches float64 -(1/m) Σ y log softmax(z)', (rows, cols) => {
    const z = randomArray(rows * cols, rows + cols * 3, -5, 5), y = oneHot(rows, cols, rows * cols);
    const J = s.k.cce_cost(s.put(z), s.put(y), rows, cols);
    const p = softmax64(z, rows, cols);
    let want = 0;
    for (let i = 0; i < rows * cols; i++) if (y[i]) want -= Math.log(p[i]);
    want /= cols;
    // inputs are exact float32 values and the kernel sums in float64: only float64 rounding differs
    expect(Math.abs(J - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, want));
  });

  it.each(SIZES)('mse_cost %i × %i matches float64 (1/(2m)) Σ (a − y)²', (rows, cols) => {
    const a = randomArray(rows * cols, rows + 5, -3, 3), y = randomArray(rows * cols, cols + 6, -3, 3);
    const J = s.k.mse_cost(s.put(a), s.put(y), rows * cols, cols);
    let want = 0;
    for (let i = 0; i < rows * cols; i++) want += (a[i] - y[i]) ** 2;
    want /= 2 * cols;
    expect(Math.abs(J - want)).toBeLessThanOrEqual(1e-12 * want);
  });

  it.each([1, 3, 17, 34])('identity_forward copies and identity_backward passes dA through (n = %i)', (n) => {
    const z = randomArray(n, n, -9, 9);
    const zp = s.put(z), ap = s.put(n), dp = s.put(n);
    s.k.identity_forward(ap, zp, n);
    expect(bitEqual(s.get(ap, n), z)).toBe(true);
    s.k.identity_backward(dp, zp, ap, zp, n);
    expect(bitEqual(s.get(dp, n), z)).toBe(true);
  });

  // the update kernels against float64 evaluations of their formulas (one step from random state);
  // each value goes through ~6 float32 operations: 8·u relative to the largest term is ample
  const n = 37;
  const P = randomArray(n, 1, -1, 1), G = randomArray(n, 2, -0.5, 0.5), V = randomArray(n, 3, -0.2, 0.2), S = randomArray(n, 4, 0, 0.3);
  const check = (got: Float32Array, want: number[], scale: number[]) => {
    for (let i = 0; i < got.length; i++) {
      if (!(Math.abs(got[i] - want[i]) <= 8 * U32 * scale[i])) expect.fail(`[${i}]: ${got[i]} vs float64 ${want[i]}`);
    }
  };

  it('momentum_update: v = βv + (1−β)g, p −= lr·v', () => {
    const pp = s.put(P), vp = s.put(V), gp = s.put(G);
    const lr = 0.3, beta = 0.85;
    s.k.momentum_update(pp, vp, gp, n, lr, beta);
    const v = Array.from(V, (v, i) => beta * v + (1 - beta) * G[i]);
    check(s.get(vp, n), v, v.map((_, i) => Math.abs(V[i]) + Math.abs(G[i])));
    check(s.get(pp, n), Array.from(P, (p, i) => p - lr * v[i]), Array.from(P, (p) => Math.abs(p) + 1));
  });

  it('rmsprop_update: s = βs + (1−β)g², p −= lr·g/(√s + ε)', () => {
    const pp = s.put(P), sp = s.put(S), gp = s.put(G);
    const lr = 0.01, beta = 0.9, eps = 1e-7;
    s.k.rmsprop_update(pp, sp, gp, n, lr, beta, eps);
    const sv = Array.from(S, (x, i) => beta * x + (1 - beta) * G[i] ** 2);
    check(s.get(sp, n), sv, Array.from(S, (x) => x + 1));
    check(s.get(pp, n), Array.from(P, (p, i) => p - (lr * G[i]) / (Math.sqrt(sv[i]) + eps)), Array.from(P, (p) => Math.abs(p) + 1));
  });

  it('adam_update: moments, bias corrections c1, c2, p −= lr·(c1 v)/(√(c2 s) + ε)', () => {
    const pp = s.put(P), vp = s.put(V), sp = s.put(S), gp = s.put(G);
    const lr = 0.02, b1 = 0.8, b2 = 0.99, eps = 1e-8, t = 3;
    const c1 = 1 / (1 - b1 ** t), c2 = 1 / (1 - b2 ** t);
    s.k.adam_update(pp, vp, sp, gp, n, lr, b1, b2, eps, c1, c2);
    const v = Array.from(V, (x, i) => b1 * x + (1 - b1) * G[i]);
    const sv = Array.from(S, (x, i) => b2 * x + (1 - b2) * G[i] ** 2);
    check(s.get(vp, n), v, v.map((_, i) => Math.abs(V[i]) + Math.abs(G[i])));
    check(s.get(sp, n), sv, Array.from(S, (x) => x + 1));
    check(s.get(pp, n), Array.from(P, (p, i) => p - (lr * c1 * v[i]) / (Math.sqrt(c2 * sv[i]) + eps)), Array.from(P, (p) => Math.abs(p) + 1));
  });

  it('l2_grad_add, sum_squares and dropout_apply', () => {
    const dwp = s.put(G), wp = s.put(P);
    s.k.l2_grad_add(dwp, wp, n, 0.25);
    // two float32 roundings (product, sum) of values ≤ 0.75
    expect(maxAbsDiff(s.get(dwp, n), Array.from(G, (g, i) => g + 0.25 * P[i]))).toBeLessThanOrEqual(2 * U32);
    const want = P.reduce((t, x) => t + x * x, 0);
    // float32 inputs, float64 sum: float64 rounding only
    expect(Math.abs(s.k.sum_squares(wp, n) - want)).toBeLessThanOrEqual(1e-13 * want);
    const mask = Float32Array.from(randomArray(n, 9, 0, 1), (u) => (u < 0.7 ? 1 : 0));
    const xp = s.put(P), mp = s.put(mask);
    s.k.dropout_apply(xp, mp, n, 1 / 0.7);
    const got = s.get(xp, n);
    for (let i = 0; i < n; i++) {
      if (mask[i] === 0) expect(Math.abs(got[i])).toBe(0);
      // one rounding of x/0.7 plus the rounding of 1/0.7 to float32
      else expect(Math.abs(got[i] - P[i] / 0.7)).toBeLessThanOrEqual(3 * U32 * Math.abs(P[i] / 0.7));
    }
  });
});

describe('the two backends give the same bits for the update kernels', () => {
  it('momentum, rmsprop, adam, l2, dropout: wasm and js agree bit for bit (both round every f32 operation)', async () => {
    const [w, j] = await Promise.all([Scratch.of('wasm'), Scratch.of('js')]);
    const n = 53;
    const run = (s: Scratch) => {
      const P = s.put(randomArray(n, 11)), V = s.put(randomArray(n, 12)), S = s.put(randomArray(n, 13, 0, 1)), G = s.put(randomArray(n, 14));
      const M = s.put(Float32Array.from(randomArray(n, 15, 0, 1), (u) => (u < 0.6 ? 1 : 0)));
      s.k.momentum_update(P, V, G, n, 0.1, 0.9);
      s.k.rmsprop_update(P, S, G, n, 0.01, 0.9, 1e-8);
      s.k.adam_update(P, V, S, G, n, 0.001, 0.9, 0.999, 1e-8, 1 / (1 - 0.9 ** 2), 1 / (1 - 0.999 ** 2));
      s.k.l2_grad_add(G, P, n, 0.03);
      s.k.dropout_apply(G, M, n, 1 / 0.6);
      return [P, V, S, G].map((p) => s.get(p, n));
    };
    const a = run(w), b = run(j);
    a.forEach((x, i) => expect(bitEqual(x, b[i]), `array ${i}`).toBe(true));
  });
});

describe.each(ENGINE_MODULES)('all_finite on $name', (mod) => {
  it('is 1 for finite floats (±0, subnormals, ±max) and 0 for one ±∞ or NaN anywhere, at every length 0–70', async () => {
    const a = new KernelArena(await mod.create());
    try {
      const finite = [0, -0, 1e-45, -1e-45, 1.17e-38, 3.4028234e38, -3.4028234e38, 1, -2.5];
      for (let n = 0; n <= 70; n++) {
        const x = Float32Array.from({ length: n }, (_, i) => finite[i % finite.length]);
        a.reset();
        expect(a.k.all_finite(a.put(x), n), `n ${n}, all finite`).toBe(1);
        for (const bad of [Infinity, -Infinity, NaN]) {
          for (const at of new Set([0, n >> 1, n - 1].filter((i) => i >= 0 && i < n))) {
            const y = x.slice();
            y[at] = bad;
            a.reset();
            expect(a.k.all_finite(a.put(y, at % 4), n), `n ${n}, ${bad} at ${at}`).toBe(0);
          }
        }
      }
    } finally {
      a.be.dispose();
    }
  });
});
