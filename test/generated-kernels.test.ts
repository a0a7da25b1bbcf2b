/**
 * Generated cases for every kernel on every module the engine runs (test/support/engines.ts):
 * random shapes (each dimension 1–70, odd sizes over-represented, and the packed product's block
 * edges MC = 128 rows, KC = 256 of k, NC = 512 columns) and random values (ordinary, ±0,
 * subnormals, magnitudes up to 2^56), each result against a float64 evaluation within the kernel's
 * stated bound (the bounds of test/kernels.test.ts and test/kernels-outputs.test.ts, where each
 * is justified), and the modules against each other: bit for bit where the arithmetic is the
 * same single rounding on every module, within the sum of their bounds elsewhere.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_MODULES, KernelArena, PROPERTY_MODULES, singleThreadOf, type EngineModule } from './support/engines.js';
import { counted, dim, fcRuns, reportCases, seed, valueMix, values, type ValueMix } from './support/generated.js';
import { U32, bitEqual } from './support/helpers.js';
import { backendOf } from './support/modules.js';
import type { FusedKernels, Kernels, ReferenceKernels } from '../src/core/kernels.js';
import { MIN_PART_WORK, planSplit, splitFrom } from '../src/core/parallel.js';
import { forwardWork } from '../src/core/split-work.js';
import { Pool } from '../src/core/pool.js';

reportCases('kernels');

type K = Kernels & ReferenceKernels;
/** float32 underflow: an operation whose result is subnormal is off by up to half the smallest subnormal */
const TINY = 2 ** -149;

/** A kernel's outputs on one module, and the float64 values and per-element tolerances they must meet. */
interface Check { got: Float32Array | number[]; want: ArrayLike<number>; tol: ArrayLike<number> }

function expectWithin(label: string, { got, want, tol }: Check): void {
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tol[i])) {
      throw new Error(`${label}: element ${i} is ${got[i]}, float64 ${want[i]}, tolerance ${tol[i]}`);
    }
  }
}

// ---- the products --------------------------------------------------------------------------

type Form = 'nn' | 'nt' | 'tn';
const gemmShape = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(dim, dim, dim) },
  // one dimension at a packing block edge, the others 16–70 so that the packed path is taken
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(127, 128, 129), fc.integer({ min: 16, max: 40 }), fc.integer({ min: 16, max: 70 })) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 16, max: 40 }), fc.integer({ min: 16, max: 40 }), fc.constantFrom(255, 256, 257)) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 16, max: 24 }), fc.constantFrom(511, 512, 513), fc.integer({ min: 16, max: 40 })) },
);
const gemmCase = fc.record({
  shape: gemmShape, form: fc.constantFrom<Form>('nn', 'nt', 'tn'), variant: fc.constantFrom('', '_ref', '_packed'),
  mix: valueMix, seed, scal: fc.constantFrom<[number, number]>([1, 0], [0.7, 0], [1, 0.5], [-0.25, 1]), misalign: fc.integer({ min: 0, max: 3 }),
});
type GemmCase = typeof gemmCase extends fc.Arbitrary<infer T> ? T : never;

function gemmInputs(c: GemmCase) {
  const [M, N, K] = c.shape;
  return { M, N, K, A: values(M * K, c.seed, c.mix), B: values(K * N, c.seed + 1, c.mix), C: values(M * N, c.seed + 2, c.mix) };
}

function runGemm(a: KernelArena, c: GemmCase, inputs = gemmInputs(c)): Float32Array {
  const { M, N, K, A, B, C } = inputs;
  const [alpha, beta] = c.scal;
  a.reset();
  const cp = a.put(beta === 0 ? new Float32Array(M * N).fill(NaN) : C); // β = 0 ignores C, NaN included
  const ap = a.put(A, c.misalign), bp = a.put(B, 3 - c.misalign);
  (a.k[`gemm_${c.form}${c.variant}` as keyof K] as Kernels['gemm_nn'])(cp, ap, bp, M, N, K, alpha, beta);
  return a.get(cp, M * N);
}

/** float64 α·op(A)·op(B) + β·C, with the classic bound of a float32 sum of K products. */
function gemmWant(c: GemmCase, inputs = gemmInputs(c)): { want: Float64Array; tol: Float64Array } {
  const { M, N, K, A, B, C } = inputs;
  const [alpha, beta] = c.scal;
  const want = new Float64Array(M * N), tol = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0, g = 0;
      for (let k = 0; k < K; k++) {
        const p = (c.form === 'tn' ? A[k * M + i] : A[i * K + k]) * (c.form === 'nt' ? B[j * K + k] : B[k * N + j]);
        s += p;
        g += Math.abs(p);
      }
      const cc = beta === 0 ? 0 : beta * C[i * N + j];
      want[i * N + j] = alpha * s + cc;
      // (K + 3)·u·(|α|·Σ|a·b| + |β·c|): K products and sums, α, β·c and the store (test/kernels.test.ts),
      // plus as many half-subnormals for results that underflow
      tol[i * N + j] = (K + 3) * U32 * (Math.abs(alpha) * g + Math.abs(cc)) + (K + 3) * TINY;
    }
  }
  return { want, tol };
}

// ---- element-wise kernels ------------------------------------------------------------------

interface EwCase { n: number; mix: ValueMix; seed: number; misalign: number }
const ewCase = fc.record({ n: fc.oneof(dim, fc.integer({ min: 71, max: 4900 })), mix: valueMix, seed, misalign: fc.integer({ min: 0, max: 3 }) });

/**
 * float64 g and g', the forward's tolerance, and whether the forward is the same one rounding on
 * every module (relu, identity: exact; leaky relu: one rounding of 0.01·z) or a polynomial
 * (sigmoid, tanh: 8 ulp of |a|, ≥ 1e-38, covers their stated bounds of 4 and 2 ulp).
 */
const ulp8 = (w: number) => 8 * U32 * Math.max(Math.abs(w), 1e-38) + 1e-44;
const ACT64: Record<string, { g: (z: number) => number; dg: (z: number, a: number) => number; tol: (w: number) => number; exact: boolean }> = {
  sigmoid: { g: (z) => 1 / (1 + Math.exp(-z)), dg: (_z, a) => a * (1 - a), tol: ulp8, exact: false },
  tanh: { g: Math.tanh, dg: (_z, a) => 1 - a * a, tol: ulp8, exact: false },
  relu: { g: (z) => Math.max(0, z), dg: (z) => (z > 0 ? 1 : 0), tol: () => 0, exact: true },
  leaky_relu: { g: (z) => (z >= 0 ? z : Math.fround(0.01) * z), dg: (z) => (z >= 0 ? 1 : Math.fround(0.01)), tol: (w) => U32 * Math.abs(w) + TINY, exact: true },
  identity: { g: (z) => z, dg: () => 1, tol: () => 0, exact: true },
};

/** An element-wise kernel: its call on one module, the float64 check, and whether modules must agree bit for bit. */
interface EwKernel { run(a: KernelArena, c: EwCase): Float32Array | number[]; check(c: EwCase, got: Float32Array | number[]): Check; bits: boolean }

function actKernels(name: string): Record<string, EwKernel> {
  const { g, dg, tol: fwdTol, exact } = ACT64[name];
  const z = (c: EwCase) => values(c.n, c.seed, c.mix === 'wide' ? 'wide' : c.mix, c.mix === 'wide' ? 120 : 56);
  return {
    [`${name}_forward`]: {
      bits: exact,
      run: (a, c) => { a.reset(); const zp = a.put(z(c), c.misalign), ap = a.put(c.n); (a.k[`${name}_forward` as keyof K] as Kernels['tanh_forward'])(ap, zp, c.n); return a.get(ap, c.n); },
      // the library's exp/tanh are within a few ulp of float64: 8 ulp of |a| (≥ 1e-38) covers every bound
      check: (c, got) => { const Z = z(c), want = Array.from(Z, g); return { got, want, tol: want.map(fwdTol) }; },
    },
    [`${name}_backward`]: {
      bits: exact,
      run: (a, c) => {
        a.reset();
        const Z = z(c), A = Float32Array.from(Z, g), dA = values(c.n, c.seed + 7, c.mix);
        const zp = a.put(Z), ap = a.put(A), dp = a.put(dA, c.misalign);
        (a.k[`${name}_backward` as keyof K] as Kernels['tanh_backward'])(dp, dp, ap, zp, c.n); // in place, as the engine calls it
        return a.get(dp, c.n);
      },
      // g' from the float32 a with ≤ 3 roundings of values ≤ 1, then one product with dA (test/kernels.test.ts)
      check: (c, got) => {
        const Z = z(c), A = Float32Array.from(Z, g), dA = values(c.n, c.seed + 7, c.mix);
        const want = Array.from(dA, (d, i) => d * dg(Z[i], A[i]));
        return { got, want, tol: Array.from(dA, (d, i) => 4 * U32 * Math.abs(d) * Math.max(1, Math.abs(dg(Z[i], A[i]))) + 1e-38) };
      },
    },
  };
}

const EW: Record<string, EwKernel> = {
  ...actKernels('sigmoid'), ...actKernels('tanh'), ...actKernels('relu'), ...actKernels('leaky_relu'), ...actKernels('identity'),
  output_delta: {
    bits: false, // js computes in float64 and rounds once, wasm rounds each float32 operation
    run: (a, c) => { a.reset(); const dz = a.put(c.n); a.k.output_delta(dz, a.put(values(c.n, c.seed, c.mix), c.misalign), a.put(values(c.n, c.seed + 1, c.mix)), c.n); return a.get(dz, c.n); },
    // one float32 subtraction
    check: (c, got) => {
      const A = values(c.n, c.seed, c.mix), Y = values(c.n, c.seed + 1, c.mix);
      return { got, want: Array.from(A, (x, i) => x - Y[i]), tol: Array.from(A, (x, i) => U32 * Math.abs(x - Y[i]) + TINY) };
    },
  },
  sgd_update: {
    bits: false, // js computes in float64 and rounds once, wasm rounds each float32 operation
    run: (a, c) => { a.reset(); const p = a.put(values(c.n, c.seed, c.mix), c.misalign); a.k.sgd_update(p, a.put(values(c.n, c.seed + 1, c.mix)), c.n, 0.3); return a.get(p, c.n); },
    // p − lr·g: a product and a difference, each rounded once
    check: (c, got) => {
      const P = values(c.n, c.seed, c.mix), G = values(c.n, c.seed + 1, c.mix), lr = Math.fround(0.3);
      return { got, want: Array.from(P, (p, i) => p - lr * G[i]), tol: Array.from(P, (p, i) => 2 * U32 * (Math.abs(p) + Math.abs(lr * G[i])) + 2 * TINY) };
    },
  },
  l2_grad_add: {
    bits: false, // js computes in float64 and rounds once, wasm rounds each float32 operation
    run: (a, c) => { a.reset(); const d = a.put(values(c.n, c.seed, c.mix), c.misalign); a.k.l2_grad_add(d, a.put(values(c.n, c.seed + 1, c.mix)), c.n, 0.05); return a.get(d, c.n); },
    // dw + scale·w: a product and a sum, each rounded once
    check: (c, got) => {
      const D = values(c.n, c.seed, c.mix), W = values(c.n, c.seed + 1, c.mix), s = Math.fround(0.05);
      return { got, want: Array.from(D, (d, i) => d + s * W[i]), tol: Array.from(D, (d, i) => 2 * U32 * (Math.abs(d) + Math.abs(s * W[i])) + 2 * TINY) };
    },
  },
  dropout_apply: {
    bits: true,
    run: (a, c) => {
      a.reset();
      const x = a.put(values(c.n, c.seed, c.mix), c.misalign);
      a.k.dropout_apply(x, a.put(Float32Array.from(values(c.n, c.seed + 1, 'normal'), (u) => (u > 0 ? 1 : 0))), c.n, 1 / 0.7);
      return a.get(x, c.n);
    },
    // x·mask is exact (mask 0 or 1), then one rounding of ·scale
    check: (c, got) => {
      const X = values(c.n, c.seed, c.mix), mask = Float32Array.from(values(c.n, c.seed + 1, 'normal'), (u) => (u > 0 ? 1 : 0)), s = Math.fround(1 / 0.7);
      return { got, want: Array.from(X, (x, i) => x * mask[i] * s), tol: Array.from(X, (x) => U32 * Math.abs(x * s) + TINY) };
    },
  },
  sum_squares: {
    bits: false,
    run: (a, c) => { a.reset(); return [a.k.sum_squares(a.put(values(c.n, c.seed, c.mix), c.misalign), c.n)]; },
    // float64 sum of float32 squares (each exact in float64): n roundings of 2^-53 of the total
    check: (c, got) => {
      const X = values(c.n, c.seed, c.mix);
      let s = 0;
      for (const x of X) s += x * x;
      return { got, want: [s], tol: [c.n * 2 ** -52 * s] };
    },
  },
};

// ---- the losses and softmax (per column) ---------------------------------------------------

const colCase = fc.record({ rows: fc.oneof(fc.integer({ min: 2, max: 12 }), dim.filter((d) => d >= 2)), cols: dim, mix: valueMix, seed });
type ColCase = typeof colCase extends fc.Arbitrary<infer T> ? T : never;
const logits = (c: ColCase) => values(c.rows * c.cols, c.seed, c.mix === 'wide' ? 'wide' : c.mix, c.mix === 'wide' ? 100 : 56);
function classes(c: ColCase): Float32Array {
  const y = new Float32Array(c.rows * c.cols), u = values(c.cols, c.seed + 3, 'normal');
  for (let j = 0; j < c.cols; j++) y[Math.min(c.rows - 1, Math.floor(((u[j] + 2) / 4) * c.rows)) * c.cols + j] = 1;
  return y;
}
const softplus = (t: number) => Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
/** float64 Σ of the cross-entropy terms from the logits, and Σ (|term| + |z|) for the bounds */
function bce64(c: ColCase): { s: number; mag: number } {
  const Z = logits(c), Y = classes(c);
  let s = 0, mag = 0;
  for (let i = 0; i < Z.length; i++) {
    const t = Y[i] * softplus(-Z[i]) + (1 - Y[i]) * softplus(Z[i]);
    s += t;
    mag += Math.abs(t) + Math.abs(Z[i]);
  }
  return { s, mag };
}

const COL: Record<string, { run(a: KernelArena, c: ColCase): Float32Array | number[]; check(c: ColCase, got: Float32Array | number[]): Check }> = {
  softmax_forward: {
    run: (a, c) => { a.reset(); const n = c.rows * c.cols, ap = a.put(n); a.k.softmax_forward(ap, a.put(logits(c)), c.rows, c.cols); return a.get(ap, n); },
    // exps and the sum in float64 after the column max, one rounding at the store: within 2u of values ≤ 1
    check: (c, got) => {
      const Z = logits(c), want = new Float64Array(Z.length);
      for (let j = 0; j < c.cols; j++) {
        let mx = -Infinity, s = 0;
        for (let i = 0; i < c.rows; i++) mx = Math.max(mx, Z[i * c.cols + j]);
        for (let i = 0; i < c.rows; i++) s += Math.exp(Z[i * c.cols + j] - mx);
        for (let i = 0; i < c.rows; i++) want[i * c.cols + j] = Math.exp(Z[i * c.cols + j] - mx) / s;
      }
      return { got, want, tol: new Float64Array(Z.length).fill(2 * U32) };
    },
  },
  cce_cost: {
    run: (a, c) => { a.reset(); return [a.k.cce_cost(a.put(logits(c)), a.put(classes(c)), c.rows, c.cols)]; },
    // float32 inputs, float64 log-sum-exp and sum: float64 rounding only, relative to the terms' size
    check: (c, got) => {
      const Z = logits(c), Y = classes(c);
      let s = 0, mag = 0;
      for (let j = 0; j < c.cols; j++) {
        let mx = -Infinity, e = 0;
        for (let i = 0; i < c.rows; i++) mx = Math.max(mx, Z[i * c.cols + j]);
        for (let i = 0; i < c.rows; i++) e += Math.exp(Z[i * c.cols + j] - mx);
        for (let i = 0; i < c.rows; i++) {
          if (!Y[i * c.cols + j]) continue;
          s += mx + Math.log(e) - Z[i * c.cols + j];
          mag += Math.abs(mx) + Math.abs(Z[i * c.cols + j]) + Math.log(e);
        }
      }
      return { got, want: [s / c.cols], tol: [(1e-12 * Math.max(1, mag)) / c.cols] };
    },
  },
  bce_cost: {
    run: (a, c) => { a.reset(); const n = c.rows * c.cols; return [a.k.bce_cost(a.put(logits(c)), a.put(classes(c)), n, c.cols)]; },
    // each float32 term within 4 ulp of its log part + 1 ulp of the term (test/vmath.test.ts): 10u of |t| + |z|, summed in float64
    check: (c, got) => { const { s, mag } = bce64(c); return { got, want: [s / c.cols], tol: [(10 * U32 * mag) / c.cols + 1e-300] }; },
  },
  bce_cost_ref: {
    run: (a, c) => { a.reset(); const n = c.rows * c.cols; return [a.k.bce_cost_ref(a.put(logits(c)), a.put(classes(c)), n, c.cols)]; },
    // the reference sums float64 terms of the float32 inputs: only float64 rounding remains
    check: (c, got) => { const { s, mag } = bce64(c); return { got, want: [s / c.cols], tol: [(1e-12 * Math.max(1, mag)) / c.cols] }; },
  },
  mse_cost: {
    run: (a, c) => { a.reset(); const n = c.rows * c.cols; return [a.k.mse_cost(a.put(values(n, c.seed, c.mix)), a.put(values(n, c.seed + 1, c.mix)), n, c.cols)]; },
    // float32 differences (one rounding each: 2u of (a − y)² relative), squares and sum in float64
    check: (c, got) => {
      const n = c.rows * c.cols, A = values(n, c.seed, c.mix), Y = values(n, c.seed + 1, c.mix);
      let s = 0, mag = 0;
      for (let i = 0; i < n; i++) { s += (A[i] - Y[i]) ** 2; mag += (Math.abs(A[i]) + Math.abs(Y[i])) ** 2; }
      return { got, want: [s / (2 * c.cols)], tol: [(3 * U32 * mag) / (2 * c.cols) + 1e-300] };
    },
  },
};

// ---- bias and row sums, fused bias + activation --------------------------------------------

const matCase = fc.record({ rows: dim, cols: dim, mix: valueMix, seed, act: fc.constantFrom('sigmoid', 'tanh', 'relu', 'leaky_relu', 'identity') });
type MatCase = typeof matCase extends fc.Arbitrary<infer T> ? T : never;

function runBias(a: KernelArena, c: MatCase): { z: Float32Array; a: Float32Array; db: Float32Array } {
  a.reset();
  const n = c.rows * c.cols;
  const zp = a.put(values(n, c.seed, c.mix)), bp = a.put(values(c.rows, c.seed + 1, c.mix)), ap = a.put(n), dbp = a.put(c.rows);
  const zp2 = a.put(values(n, c.seed, c.mix));
  a.k.bias_add(zp, bp, c.rows, c.cols);
  (a.k[`bias_${c.act}` as keyof K] as Kernels['bias_tanh'])(ap, zp2, bp, c.rows, c.cols);
  a.k.row_sum(dbp, zp, c.rows, c.cols, 1 / c.cols);
  return { z: a.get(zp, n), a: a.get(ap, n), db: a.get(dbp, c.rows) };
}

function biasChecks(c: MatCase, got: ReturnType<typeof runBias>): Check[] {
  const n = c.rows * c.cols, Z = values(n, c.seed, c.mix), b = values(c.rows, c.seed + 1, c.mix);
  const zb = Float32Array.from(Z, (z, i) => z + b[Math.floor(i / c.cols)]); // float32 z + b
  const { g, tol: actTol } = ACT64[c.act];
  const db = new Float64Array(c.rows), dbTol = new Float64Array(c.rows);
  for (let i = 0; i < c.rows; i++) {
    let s = 0, m = 0;
    for (let j = 0; j < c.cols; j++) { s += got.z[i * c.cols + j]; m += Math.abs(got.z[i * c.cols + j]); }
    db[i] = s / c.cols;
    // a float32 sum of `cols` terms, α = 1/cols rounded too: (cols + 2)·u·Σ|z| / cols
    dbTol[i] = ((c.cols + 2) * U32 * m) / c.cols + (c.cols + 2) * TINY;
  }
  return [
    // one float32 addition
    { got: got.z, want: Array.from(Z, (z, i) => z + b[Math.floor(i / c.cols)]), tol: Array.from(Z, (z, i) => U32 * Math.abs(z + b[Math.floor(i / c.cols)]) + TINY) },
    // the addition, then the activation of the float32 sum within its bound
    { got: got.a, want: Array.from(zb, g), tol: Array.from(zb, (z) => actTol(g(z))) },
    { got: got.db, want: db, tol: dbTol },
  ];
}

// ---- the optimizers ------------------------------------------------------------------------

const optCase = fc.record({ n: dim, seed, name: fc.constantFrom('momentum', 'rmsprop', 'adam'), t: fc.integer({ min: 1, max: 50 }) });
type OptCase = typeof optCase extends fc.Arbitrary<infer T> ? T : never;
function optInputs(c: OptCase) {
  return { P: values(c.n, c.seed, 'normal'), G: values(c.n, c.seed + 1, 'specials'), V: values(c.n, c.seed + 2, 'normal').map((x) => x / 8), S: values(c.n, c.seed + 3, 'normal').map((x) => Math.abs(x) / 8) };
}
function runOpt(a: KernelArena, c: OptCase): Float32Array[] {
  a.reset();
  const { P, G, V, S } = optInputs(c);
  const pp = a.put(P), gp = a.put(G), vp = a.put(V), sp = a.put(S);
  if (c.name === 'momentum') a.k.momentum_update(pp, vp, gp, c.n, 0.3, 0.85);
  else if (c.name === 'rmsprop') a.k.rmsprop_update(pp, sp, gp, c.n, 0.01, 0.9, 1e-7);
  else a.k.adam_update(pp, vp, sp, gp, c.n, 0.02, 0.8, 0.99, 1e-8, 1 / (1 - 0.8 ** c.t), 1 / (1 - 0.99 ** c.t));
  return [a.get(pp, c.n), a.get(vp, c.n), a.get(sp, c.n)];
}
function optChecks(c: OptCase, [p, v, s]: Float32Array[]): Check[] {
  const { P, G, V, S } = optInputs(c);
  const f = Math.fround;
  // each value goes through ~6 float32 operations: 8·u relative to the largest term (test/kernels-outputs.test.ts)
  const tol = (scale: number[]) => scale.map((x) => 8 * U32 * x + 8 * TINY);
  if (c.name === 'momentum') {
    const b = f(0.85), lr = f(0.3);
    const vv = Array.from(V, (x, i) => b * x + (1 - b) * G[i]);
    return [{ got: v, want: vv, tol: tol(vv.map((_, i) => Math.abs(V[i]) + Math.abs(G[i]))) },
      { got: p, want: Array.from(P, (x, i) => x - lr * vv[i]), tol: tol(Array.from(P, (x, i) => Math.abs(x) + Math.abs(lr * vv[i]) + lr * (Math.abs(V[i]) + Math.abs(G[i])))) }];
  }
  if (c.name === 'rmsprop') {
    const b = f(0.9), lr = f(0.01), eps = f(1e-7);
    const ss = Array.from(S, (x, i) => b * x + (1 - b) * G[i] ** 2);
    const step = ss.map((x, i) => (lr * G[i]) / (Math.sqrt(x) + eps));
    return [{ got: s, want: ss, tol: tol(Array.from(S, (x, i) => x + G[i] ** 2)) },
      { got: p, want: Array.from(P, (x, i) => x - step[i]), tol: tol(Array.from(P, (x, i) => Math.abs(x) + 2 * Math.abs(step[i]))) }];
  }
  const b1 = f(0.8), b2 = f(0.99), lr = f(0.02), eps = f(1e-8), c1 = f(1 / (1 - 0.8 ** c.t)), c2 = f(1 / (1 - 0.99 ** c.t));
  const vv = Array.from(V, (x, i) => b1 * x + (1 - b1) * G[i]);
  const ss = Array.from(S, (x, i) => b2 * x + (1 - b2) * G[i] ** 2);
  const step = vv.map((x, i) => (lr * c1 * x) / (Math.sqrt(c2 * ss[i]) + eps));
  return [{ got: v, want: vv, tol: tol(vv.map((_, i) => Math.abs(V[i]) + Math.abs(G[i]))) },
    { got: s, want: ss, tol: tol(Array.from(S, (x, i) => x + G[i] ** 2)) },
    // the step's quotient amplifies the rounding of √(c2·s) when s is tiny: relative to |step| times (1 + √(c2 s)/(√(c2 s) + ε));
    // and the step carries v's own rounding, relative to its terms |β1·v| + |(1 − β1)·g|, not to
    // v (which cancels where they are close: v 9.4e-4 from terms of 0.12, seed 577329839 below),
    // through lr·c1/(√(c2 s) + ε) — as momentum's check carries lr·(|v| + |g|)
    { got: p, want: Array.from(P, (x, i) => x - step[i]), tol: tol(Array.from(P, (x, i) => Math.abs(x) + 3 * Math.abs(step[i]) + (lr * c1 * (Math.abs(V[i]) + Math.abs(G[i]))) / (Math.sqrt(c2 * ss[i]) + eps))) }];
}

// ---- the properties, on every module --------------------------------------------------------

const RUNS = { gemm: 900, ew: 140, col: 250, bias: 350, opt: 200, parity: 400 };

describe.each(PROPERTY_MODULES)('generated kernel cases on $name', (mod) => {
  let a: KernelArena;
  beforeAll(async () => { a = new KernelArena(await mod.create()); });
  afterAll(() => a.be.dispose());

  it(`gemm (nn, nt, tn; fast, reference and packed): ${RUNS.gemm} cases within (K + 3)·u·Σ|α·a·b| + |β·c| of float64`, () => {
    fc.assert(fc.property(gemmCase, counted((c) => {
      const got = runGemm(a, c);
      expectWithin(`gemm_${c.form}${c.variant} ${c.shape.join('×')} ${c.mix} α,β=${c.scal}`, { got, ...gemmWant(c) });
    })), fcRuns(RUNS.gemm));
  });

  it.each(Object.keys(EW))(`%s: ${RUNS.ew} cases (n 1–4900) within its bound of float64`, (name) => {
    fc.assert(fc.property(ewCase, counted((c) => {
      expectWithin(`${name} n=${c.n} ${c.mix}`, EW[name].check(c, EW[name].run(a, c)));
    })), fcRuns(RUNS.ew));
  });

  it.each(Object.keys(COL))(`%s: ${RUNS.col} cases (rows 2–70, cols 1–70) within its bound of float64`, (name) => {
    fc.assert(fc.property(colCase, counted((c) => {
      expectWithin(`${name} ${c.rows}×${c.cols} ${c.mix}`, COL[name].check(c, COL[name].run(a, c)));
    })), fcRuns(RUNS.col));
  });

  it(`bias_add, bias_<activation>, row_sum: ${RUNS.bias} cases within their bounds`, () => {
    fc.assert(fc.property(matCase, counted((c) => {
      biasChecks(c, runBias(a, c)).forEach((ch, i) => expectWithin(`${['bias_add', `bias_${c.act}`, 'row_sum'][i]} ${c.rows}×${c.cols} ${c.mix}`, ch));
    })), fcRuns(RUNS.bias));
  });

  it(`momentum, rmsprop, adam updates: ${RUNS.opt} cases within 8u of their formulas`, () => {
    fc.assert(fc.property(optCase, counted((c) => {
      optChecks(c, runOpt(a, c)).forEach((ch, i) => expectWithin(`${c.name} n=${c.n} t=${c.t} output ${i}`, ch));
    })), { ...fcRuns(RUNS.opt), examples: [[{ n: 66, seed: 577329839, name: 'adam', t: 32 }]] });
  });
});

describe('generated parity between the modules', () => {
  const arenas: KernelArena[] = [];
  beforeAll(async () => { for (const m of ENGINE_MODULES) arenas.push(new KernelArena(await m.create())); });
  afterAll(() => { for (const ar of arenas) ar.be.dispose(); });

  it(`element-wise kernels with one rounding per element give the same values on every module; the others agree within the sum of their bounds (${RUNS.parity} cases)`, () => {
    fc.assert(fc.property(ewCase, fc.constantFrom(...Object.keys(EW)), counted((c, name) => {
      const outs = arenas.map((ar) => EW[name].run(ar, c));
      const { tol } = EW[name].check(c, outs[0]);
      for (let m = 1; m < outs.length; m++) {
        const label = `${name} n=${c.n} ${c.mix}: ${ENGINE_MODULES[0].name} vs ${ENGINE_MODULES[m].name}`;
        // the same value on every module: equal as numbers, so the sign of a zero may differ (relu
        // of −0 is −0 on wasm, whose max keeps z, and +0 on js; equal in value, as JSON's 0)
        if (EW[name].bits) expect(Array.from(outs[m]).every((x, i) => x === outs[0][i]), label).toBe(true);
        // each within tol of float64, so within 2·tol of each other
        else expectWithin(label, { got: outs[m], want: outs[0], tol: Array.from(tol, (t) => 2 * t) });
      }
    })), fcRuns(RUNS.parity));
  });

  it(`gemm: the modules agree within twice the float64 bound (${RUNS.parity} cases)`, () => {
    fc.assert(fc.property(gemmCase, counted((c) => {
      const outs = arenas.map((ar) => runGemm(ar, c));
      const { tol } = gemmWant(c);
      for (let m = 1; m < outs.length; m++) expectWithin(`gemm_${c.form}${c.variant} ${c.shape.join('×')}: ${ENGINE_MODULES[0].name} vs ${ENGINE_MODULES[m].name}`, { got: outs[m], want: outs[0], tol: Array.from(tol, (t) => 2 * t) });
    })), fcRuns(RUNS.parity / 4));
  });
});

// ---- the threaded split --------------------------------------------------------------------
//
// On the shared-memory modules the products gemm_nn, gemm_nt and gemm_tn, a dense layer's forward
// (its product, then bias and activation per block) and a layer's two backward products split
// over the pool's threads (src/core/parallel.ts) once each part has MIN_PART_WORK multiply-adds.
// The split must give the bits of the same module's unsplit kernels on the calling thread
// (be.raw) and of the module with its own memory (what threads: 1 runs): for products above that
// size, and, with the threshold lowered (splitFrom(1)), for every generated shape, whose blocks of
// ROW_UNIT rows or COL_UNIT columns then end anywhere.

/**
 * (M, N, K) with 2·MIN_PART_WORK to 2^19 multiply-adds: split into blocks of columns (N ≥ 17:
 * two 16-column units) or, for a C of few columns (N ≤ 16; here ≤ 8, as dA = Wᵀ·dZ of a small
 * batch), of rows. (M and N from 16 and
 * 256 keep the inputs under 2^19 values: generating them is most of a case's time.)
 */
const splitShape = fc.tuple(
  fc.oneof(
    { weight: 3, arbitrary: fc.tuple(fc.integer({ min: 16, max: 140 }), fc.integer({ min: 17, max: 140 })) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 256, max: 700 }), fc.integer({ min: 1, max: 8 })) },
  ),
  fc.integer({ min: 0, max: 1000 }),
).map(([[M, N], t]): [number, number, number] => {
  const lo = Math.ceil((2 * MIN_PART_WORK) / (M * N)), hi = Math.max(lo, Math.floor(2 ** 19 / (M * N)));
  return [M, N, lo + Math.floor((t / 1000) * (hi - lo))];
});
const splitGemmCase = fc.record({
  shape: splitShape, form: fc.constantFrom<Form>('nn', 'nt', 'tn'), variant: fc.constant('' as const),
  mix: valueMix, seed, scal: fc.constantFrom<[number, number]>([1, 0], [0.7, 0], [1, 0.5], [-0.25, 1]), misalign: fc.integer({ min: 0, max: 3 }),
});
/** every generated product shape (1–70, block edges), for the lowered threshold */
const smallGemmCase = gemmCase.map((c) => ({ ...c, variant: '' as const }));

const FUSED_ACTS = [['sigmoid', 'bias_sigmoid'], ['tanh', 'bias_tanh'], ['relu', 'bias_relu'], ['leakyRelu', 'bias_leaky_relu'], ['linear', 'bias_identity']] as const;
/** a layer (nOut, m, nIn): every dimension 1–70 with every product split, or one of the products above MIN_PART_WORK's */
const layerCase = fc.record({
  big: fc.boolean(), small: fc.tuple(dim, dim, dim), large: splitShape, act: fc.integer({ min: 0, max: FUSED_ACTS.length - 1 }), mix: valueMix, seed,
});
type LayerCase = typeof layerCase extends fc.Arbitrary<infer T> ? T : never;

/** The same kernels over the same memory without the split: the module's own exports, on the calling thread. */
function unsplit(a: KernelArena): KernelArena {
  return new KernelArena({ ...a.be, kernels: a.be.raw! });
}

const SPLIT_RUNS = { gemm: 150, small: 400, layer: 250 };

describe.each(PROPERTY_MODULES.filter((m) => m.threads > 1))('the threaded split on $name', (mod: EngineModule) => {
  let a: KernelArena, raw: KernelArena, three: KernelArena, one: KernelArena;
  beforeAll(async () => {
    a = new KernelArena(await mod.create());
    raw = unsplit(a);
    // three threads: three blocks, the middle one between two edges
    three = new KernelArena(await backendOf({ label: `${mod.name} on 3 threads`, simd: mod.simd!, threads: 3 }));
    one = new KernelArena(await singleThreadOf(mod).create());
  });
  afterAll(() => { a.be.dispose(); three.be.dispose(); splitFrom(); });

  /** runs f, and checks it dispatched to the pool `n` times */
  function dispatched<T>(n: number, what: string, f: () => T): T {
    const before = Pool.dispatches;
    const out = f();
    expect(Pool.dispatches - before, `${what}: dispatches`).toBe(n);
    return out;
  }

  it(`gemm_nn, gemm_nt, gemm_tn of 2·MIN_PART_WORK to 2^19 multiply-adds, split by columns or by rows: ${SPLIT_RUNS.gemm} cases within the float64 bound, with the bits of the unsplit kernel and of the 1-thread module`, () => {
    splitFrom();
    fc.assert(fc.property(splitGemmCase, counted((c) => {
      const label = `gemm_${c.form} ${c.shape.join('×')} ${c.mix} α,β=${c.scal}`;
      const inputs = gemmInputs(c);
      const got = dispatched(1, label, () => runGemm(a, c, inputs));
      expectWithin(label, { got, ...gemmWant(c, inputs) });
      expect(bitEqual(got, runGemm(raw, c, inputs)), `${label}: split vs unsplit`).toBe(true);
      expect(bitEqual(got, runGemm(one, c, inputs)), `${label}: 2 threads vs the 1-thread module`).toBe(true);
    })), fcRuns(SPLIT_RUNS.gemm));
  });

  it(`every product split (the threshold lowered to 1): ${SPLIT_RUNS.small} generated shapes (1–70, block edges) on 2 and 3 threads give the unsplit kernel's bits`, () => {
    splitFrom(1);
    fc.assert(fc.property(smallGemmCase, counted((c) => {
      const [M, N, K] = c.shape;
      const label = `gemm_${c.form} ${c.shape.join('×')} ${c.mix} α,β=${c.scal}`;
      const inputs = gemmInputs(c);
      const want = runGemm(raw, c, inputs);
      for (const [ar, threads] of [[a, 2], [three, 3]] as const) {
        const got = dispatched(planSplit(M, N, K, threads).parts > 1 ? 1 : 0, `${label}, ${threads} threads`, () => runGemm(ar, c, inputs));
        expect(bitEqual(got, want), `${label}: ${threads} threads vs unsplit`).toBe(true);
      }
    })), fcRuns(SPLIT_RUNS.small));
  });

  /** W, A_in, b of a layer case, and its shape */
  function layerInputs(c: LayerCase) {
    const [nOut, m, nIn] = c.big ? c.large : c.small;
    return { nOut, m, nIn, W: values(nOut * nIn, c.seed, c.mix), X: values(nIn * m, c.seed + 1, c.mix), b: values(nOut, c.seed + 2, c.mix), dZ: values(nOut * m, c.seed + 3, c.mix) };
  }

  it(`a dense layer's fused forward (product, bias, activation per block) and its two backward products in one dispatch: ${SPLIT_RUNS.layer} layers, half above the threshold and half with every product split, on 2 and 3 threads, give the bits of the unsplit calls`, () => {
    fc.assert(fc.property(layerCase, counted((c) => {
      splitFrom(c.big ? MIN_PART_WORK : 1);
      const { nOut, m, nIn, W, X, b, dZ } = layerInputs(c);
      const [act, biasKernel] = FUSED_ACTS[c.act];
      const label = `${act} layer nOut ${nOut}, m ${m}, nIn ${nIn}, ${c.mix}`;
      const run = (ar: KernelArena, split: boolean) => {
        ar.reset();
        const w = ar.put(W), x = ar.put(X, 1), bp = ar.put(b), dz = ar.put(dZ, 2);
        const z = ar.put(nOut * m), ap = ar.put(nOut * m), dW = ar.put(nOut * nIn), dA = ar.put(nIn * m);
        if (split) {
          const k = ar.k as unknown as FusedKernels;
          k.fusedLayerForward(act)!(z, ap, w, x, bp, nOut, m, nIn);
          k.backProducts(dW, dA, dz, x, w, nOut, nIn, m, 1 / m);
        } else {
          ar.k.gemm_nn(z, w, x, nOut, m, nIn, 1, 0);
          (ar.k[biasKernel] as Kernels['bias_tanh'])(ap, z, bp, nOut, m);
          ar.k.gemm_nt(dW, dz, x, nOut, nIn, m, 1 / m, 0);
          ar.k.gemm_tn(dA, w, dz, nIn, m, nOut, 1, 0);
        }
        return [ar.get(z, nOut * m), ar.get(ap, nOut * m), ar.get(dW, nOut * nIn), ar.get(dA, nIn * m)];
      };
      const want = run(raw, false);
      for (const [ar, threads] of [[a, 2], [three, 3]] as const) {
        // the forward splits when its product does; the backward is one dispatch when either of its products splits
        // (the forward's work counts its activation: split-work.ts)
        const n = (planSplit(nOut, m, nIn, threads, forwardWork(nOut, m, nIn, act)).parts > 1 ? 1 : 0)
          + (planSplit(nOut, nIn, m, threads).parts > 1 || planSplit(nIn, m, nOut, threads).parts > 1 ? 1 : 0);
        if (c.big) expect(n, `${label}: a layer above the threshold splits`).toBeGreaterThan(0);
        const got = dispatched(n, `${label}, ${threads} threads`, () => run(ar, true));
        got.forEach((g, i) => expect(bitEqual(g, want[i]), `${label}: ${['Z', 'A', 'dW', 'dA'][i]} on ${threads} threads vs unsplit`).toBe(true));
      }
    })), fcRuns(SPLIT_RUNS.layer));
    splitFrom();
  });
});
