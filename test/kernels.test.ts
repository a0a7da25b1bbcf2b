// Every kernel of both backends against a naive float64 loop, on odd and non-square sizes.
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, Scratch, U32, maxAbsDiff, randomArray } from './support/helpers.js';
import type { Kernels } from '../src/core/kernels.js';

type Form = 'nn' | 'nt' | 'tn';

/** float64 C = α·op(A)·op(B) + β·C and, per entry, Σ|α·a·b| + |β·c| for the error bound */
function gemm64(form: Form, A: Float32Array, B: Float32Array, C: Float32Array,
                M: number, N: number, K: number, alpha: number, beta: number) {
  const out = new Float64Array(M * N), mag = new Float64Array(M * N);
  const a = (i: number, k: number) => (form === 'tn' ? A[k * M + i] : A[i * K + k]);
  const b = (k: number, j: number) => (form === 'nt' ? B[j * K + k] : B[k * N + j]);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0, g = 0;
      for (let k = 0; k < K; k++) {
        s += a(i, k) * b(k, j);
        g += Math.abs(a(i, k) * b(k, j));
      }
      const c = beta === 0 ? 0 : beta * C[i * N + j];
      out[i * N + j] = alpha * s + c;
      mag[i * N + j] = Math.abs(alpha) * g + Math.abs(c);
    }
  }
  return { out, mag };
}

// sizes 1, 3, 5, 17, 33, 127 in every position, squares, non-squares and the SIMD tile edges (4, 8)
const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 3, 5], [3, 5, 1], [5, 1, 3], [3, 3, 3], [5, 5, 5], [17, 17, 17], [33, 33, 33],
  [1, 33, 17], [33, 1, 5], [17, 5, 33], [5, 17, 1], [4, 8, 16], [8, 12, 7], [7, 9, 4], [12, 33, 2],
  [33, 17, 3], [2, 400, 4], [4, 400, 2], [9, 31, 64],
  // 127, and the packed path's block edges: MC = 128 rows, KC = 256 of k, NC = 512 columns
  [127, 33, 17], [17, 127, 33], [33, 17, 127], [130, 20, 300], [20, 520, 40], [64, 64, 64],
];

const FORMS: Form[] = ['nn', 'nt', 'tn'];

describe.each(BACKENDS)('kernels on %s', (backend) => {
  let s: Scratch;
  beforeAll(async () => {
    s = await Scratch.of(backend);
  });

  describe.each(FORMS)('gemm_%s', (form) => {
    const fast = `gemm_${form}` as keyof Kernels;
    const ref = `gemm_${form}_ref` as const;
    const packed = `gemm_${form}_packed` as const;
    it.each(SHAPES)('M=%i N=%i K=%i matches float64 for β = 0 (old C ignored) and β = 0.5', (M, N, K) => {
      const A = randomArray(M * K, M * 1000 + K), B = randomArray(K * N, N * 1000 + K + 7);
      const C0 = randomArray(M * N, M + N);
      for (const [alpha, beta] of [[0.7, 0], [1, 0.5]] as const) {
        const want = gemm64(form, A, B, C0, M, N, K, alpha, beta);
        for (const name of [fast, ref, packed] as const) {
          // β = 0 must ignore C entirely, NaN included (BLAS semantics); misaligned A tests unaligned loads
          const cPtr = s.put(beta === 0 ? new Float32Array(M * N).fill(NaN) : C0);
          const aPtr = s.put(A, 1), bPtr = s.put(B, 3);
          (s.k[name] as Kernels['gemm_nn'])(cPtr, aPtr, bPtr, M, N, K, alpha, beta);
          const got = s.get(cPtr, M * N);
          // a float32 sum of K products is within K·u·Σ|a·b| of the exact sum (the classic γ_K
          // bound; u = 2^-24), plus rounding of α, β·c and the store: (K + 3)·u·magnitude
          for (let i = 0; i < M * N; i++) {
            const tol = (K + 3) * U32 * want.mag[i] + 1e-30;
            if (!(Math.abs(got[i] - want.out[i]) <= tol)) {
              expect.fail(`${name} ${M}×${N}×${K} α=${alpha} β=${beta}: C[${i}] = ${got[i]}, float64 ${want.out[i]}, tolerance ${tol}`);
            }
          }
          // the canary floats just past C are untouched
          expect(s.get(cPtr + M * N * 4, 1)[0]).toBe(0);
        }
      }
    });
  });

  it.each([[1, 1], [3, 5], [17, 33], [5, 1], [4, 400]])('bias_add and row_sum, %i × %i', (rows, cols) => {
    const Z = randomArray(rows * cols, rows * 31 + cols), b = randomArray(rows, rows + 99);
    const zp = s.put(Z), bp = s.put(b);
    s.k.bias_add(zp, bp, rows, cols);
    const got = s.get(zp, rows * cols);
    const want = Array.from(Z, (z, i) => z + b[Math.floor(i / cols)]);
    // one float32 addition: within half an ulp of |z + b| ≤ 2
    expect(maxAbsDiff(got, want)).toBeLessThanOrEqual(2 * U32 * 2);

    const dp = s.put(rows);
    s.k.row_sum(dp, zp, rows, cols, 1 / cols);
    const sums = s.get(dp, rows);
    for (let i = 0; i < rows; i++) {
      let t = 0, mag = 0;
      for (let j = 0; j < cols; j++) {
        t += got[i * cols + j];
        mag += Math.abs(got[i * cols + j]);
      }
      // a float32 sum of `cols` terms: within (cols + 2)·u·Σ|z| / cols (α = 1/cols rounds too)
      expect(Math.abs(sums[i] - t / cols)).toBeLessThanOrEqual(((cols + 2) * U32 * mag) / cols + 1e-30);
    }
  });

  const ACT64: Record<string, { g: (z: number) => number; dg: (z: number, a: number) => number }> = {
    sigmoid: { g: (z) => 1 / (1 + Math.exp(-z)), dg: (_z, a) => a * (1 - a) },
    tanh: { g: Math.tanh, dg: (_z, a) => 1 - a * a },
    relu: { g: (z) => Math.max(0, z), dg: (z) => (z > 0 ? 1 : 0) },
    leaky_relu: { g: (z) => Math.max(0.01 * z, z), dg: (z) => (z >= 0 ? 1 : 0.01) },
  };

  describe.each(Object.keys(ACT64))('%s', (act) => {
    it.each([1, 3, 5, 17, 33, 127, 400])('forward and backward on n = %i, including 0 and large |z|', (n) => {
      const Z = randomArray(n, n * 7 + act.length, -6, 6);
      const specials = [0, -0, 1e-30, -1e-30, 20, -20, 90, -90, 1e30, -1e30];
      for (let i = 0; i < Math.min(n, specials.length); i++) Z[i] = specials[(i + n) % specials.length];
      const dA = randomArray(n, n + 5);
      const zp = s.put(Z), ap = s.put(n), dap = s.put(dA), dzp = s.put(n);
      const fw = s.k[`${act}_forward` as keyof Kernels] as Kernels['tanh_forward'];
      const bw = s.k[`${act}_backward` as keyof Kernels] as Kernels['tanh_backward'];
      fw(ap, zp, n);
      const A = s.get(ap, n);
      const { g, dg } = ACT64[act];
      for (let i = 0; i < n; i++) {
        // the library's exp/tanh are within a few ulp of the float64 value: 4 ulp of |a| (≥ 1e-38)
        const want = g(Z[i]);
        expect(Math.abs(A[i] - want), `${act}(${Z[i]}) = ${A[i]}, want ${want}`)
          .toBeLessThanOrEqual(8 * U32 * Math.max(Math.abs(want), 1e-38) + 1e-44);
      }
      bw(dzp, dap, ap, zp, n);
      const dZ = s.get(dzp, n);
      for (let i = 0; i < n; i++) {
        // g' is formed from the float32 a (|a| ≤ 1 for sigmoid and tanh) with ≤ 3 roundings of
        // values ≤ 1 (e.g. a·a, then 1 − a²: cancellation makes this absolute, not relative),
        // then one product with dA: 4·u·|dA|·max(1, |g'|)
        const want = dA[i] * dg(Z[i], A[i]);
        const tol = 4 * U32 * Math.abs(dA[i]) * Math.max(1, Math.abs(dg(Z[i], A[i]))) + 1e-38;
        expect(Math.abs(dZ[i] - want)).toBeLessThanOrEqual(tol);
      }
      // in place (dz aliasing da), as the driver calls it
      bw(dap, dap, ap, zp, n);
      expect(Array.from(s.get(dap, n))).toEqual(Array.from(dZ));
    });
  });

  it.each([1, 3, 5, 17, 33, 127])('bce_cost (SIMD) and bce_cost_ref from logits, and output_delta, n = %i', (n) => {
    const Z = randomArray(n, n + 1, -8, 8);
    Z[0] = n > 1 ? 100 : -100;
    const Y = randomArray(n, n + 2, 0, 1).map((y) => (y > 0.5 ? 1 : 0));
    const m = Math.max(1, n - 2);
    const zp = s.put(Z), yp = s.put(Y);
    let want = 0, scale = 0;
    for (let i = 0; i < n; i++) {
      const z = Z[i];
      // -log σ(z) = log(1 + e^-z), -log(1 − σ(z)) = log(1 + e^z), in float64
      const t = Y[i] ? Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
      want += t;
      scale += Math.abs(t) + Math.abs(z);
    }
    want /= m;
    // the reference sums float64 terms of the float32 inputs: only float64 rounding remains
    expect(Math.abs(s.k.bce_cost_ref(zp, yp, n, m) - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, want));
    // the SIMD kernel rounds each term in float32: ≤ 4 ulp of its log part + 1 ulp of the term
    // (test/vmath.test.ts), i.e. ≤ 5·2u relative to |term| + |z|; summed in float64
    expect(Math.abs(s.k.bce_cost(zp, yp, n, m) - want)).toBeLessThanOrEqual((10 * U32 * scale) / m);
    const A = Z.map((z) => 1 / (1 + Math.exp(-z)));
    const dzp = s.put(n);
    s.k.output_delta(dzp, s.put(A), yp, n);
    // one float32 subtraction of values in [0, 1]
    expect(maxAbsDiff(s.get(dzp, n), Array.from(A, (a, i) => a - Y[i]))).toBeLessThanOrEqual(U32);
  });

  it('bce_cost is finite for saturated and infinite logits with matching labels', () => {
    const Z = new Float32Array([1e30, -1e30, 3e38, -3e38, Infinity, -Infinity, 100, -100]);
    const Y = new Float32Array([1, 0, 0, 1, 1, 0, 0, 1]);
    const cost = s.k.bce_cost(s.put(Z), s.put(Y), 8, 1);
    // the wrong-side logits cost their size (3e38 twice, after float32 rounding) and 100 twice;
    // the sum is larger than float32 can hold, which is why the cost is returned as a float64
    const want = 2 * Math.fround(3e38) + 200;
    expect(Math.abs(cost - want)).toBeLessThanOrEqual(1e-15 * want);
    expect(Number.isFinite(cost)).toBe(true);
  });

  it.each([1, 3, 5, 17, 33, 1001])('sgd_update over n = %i', (n) => {
    const P = randomArray(n, n), G = randomArray(n, n + 1);
    const pp = s.put(P);
    s.k.sgd_update(pp, s.put(G), n, 0.3);
    const lr = Math.fround(0.3);
    // p − lr·g: a product and a difference, each rounded once
    const got = s.get(pp, n);
    for (let i = 0; i < n; i++) {
      const want = P[i] - lr * G[i];
      expect(Math.abs(got[i] - want)).toBeLessThanOrEqual(2 * U32 * (Math.abs(P[i]) + Math.abs(lr * G[i])));
    }
  });
});
