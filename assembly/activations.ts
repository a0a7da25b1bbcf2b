// Element-wise activations over n contiguous float32 values, as forward / backward pairs.
//   <act>_forward(a, z, n):          a = g(z)
//   <act>_backward(dz, da, a, z, n): dz = da ⊙ g'(z), written from the cached a and z
//   bias_<act>(a, z, b, rows, cols): z[i, j] += b[i], then a = g(z) — the forward of a dense layer
//                                    after its product, in one pass
// dz may alias da (the driver computes Wᵀ·dZ straight into dz, then scales it in place): every
// kernel reads element i before it writes element i. a may alias z in the forward kernels.
// sigmoid and tanh are the SIMD polynomials of vmath.ts (error bounds there).
import { gemm_nn_cols } from './gemm';
import { madd } from './simd';
import { exp_neg, neg_abs, sigmoid4, sigmoid4_of, softplus_e, softplus_floor, tanh4, tanh4x4, tail_in, tail_out } from './vmath';

// activation codes of the inlined loops below (compile-time constants after inlining)
const ACT_SIGMOID = 0;
const ACT_TANH = 1;
const ACT_RELU = 2;
const ACT_LEAKY_RELU = 3;
const ACT_LINEAR = 4;

const LEAK: f32 = 0.01;

// tanh as one function for what is off the training step's hot loop — the element-wise forms,
// the last 1–15 columns of a row — while bias_tanh's loop inlines it four times: one copy of its
// code instead of several keeps the module small
function tanh4_call(z: v128): v128 {
  return tanh4(z);
}

@inline function act4(v: v128, act: i32, inlined: bool = true): v128 {
  if (act == ACT_SIGMOID) return sigmoid4(v);
  if (act == ACT_TANH) return inlined ? tanh4(v) : tanh4_call(v);
  // pmax(x, y) = x < y ? y : x is one maxps; it keeps a NaN z (NaN < y is false)
  if (act == ACT_RELU) return f32x4.pmax(v, f32x4.splat(0));
  if (act == ACT_LEAKY_RELU) return f32x4.pmax(v, f32x4.mul(v, f32x4.splat(LEAK)));
  return v;
}

// a = g(z) over n floats; act is a constant after inlining, so each caller gets its own loop
@inline function map_act(a: usize, z: usize, n: i32, act: i32): void {
  // (one vector per iteration: these element-wise forms are off the training step's path — the
  // step uses bias_<act> — so they stay small rather than unrolled; whole vectors and the last
  // partial one go through one copy of g, with a load and a store that branch)
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2, left = n - i;
    const v = act4(left >= 4 ? v128.load(z + o) : tail_in(z + o, left), act, false);
    if (left >= 4) v128.store(a + o, v);
    else tail_out(a + o, v, left);
  }
}

// ld: the row stride (elements) of z and a: cols for a whole matrix, more for a block of columns.
// K > 0 (tanh only, dense_tanh): the 16-column groups' Z is W·X, computed here from w (rows × K)
// and x (K × ld) as gemm_nn computes it (see dense_tanh), rather than read from z.
@inline function bias_act_loop(a: usize, z: usize, b: usize, rows: i32, cols: i32, ld: i32, act: i32,
                               w: usize = 0, x: usize = 0, K: i32 = 0): void {
  const rowX = <usize>ld << 2;
  for (let i = 0; i < rows; i++) {
    const row = <usize>i * (<usize>ld << 2);
    const zr = z + row, ar = a + row;
    const bv = v128.load32_splat(b + (<usize>i << 2));
    let j = 0;
    // tanh: four vectors per iteration (tanh4x4, the hidden layers' costliest loop)
    if (act == ACT_TANH) for (; j + 16 <= cols; j += 16) {
      const o = <usize>j << 2;
      let z0 = f32x4.splat(0), z1 = f32x4.splat(0), z2 = f32x4.splat(0), z3 = f32x4.splat(0);
      if (K == 0) {
        z0 = v128.load(zr + o); z1 = v128.load(zr + o, 16); z2 = v128.load(zr + o, 32); z3 = v128.load(zr + o, 48);
      } else {
        // gemm_xn's chains: K multiply-adds from 0 per element, W(i, k) broadcast
        let pw = w + (<usize>i * <usize>K << 2), px = x + o;
        for (let k = 0; k < K; k++) {
          const wk = v128.load32_splat(pw);
          z0 = madd(z0, wk, v128.load(px)); z1 = madd(z1, wk, v128.load(px, 16));
          z2 = madd(z2, wk, v128.load(px, 32)); z3 = madd(z3, wk, v128.load(px, 48));
          pw += 4; px += rowX;
        }
      }
      z0 = f32x4.add(z0, bv); z1 = f32x4.add(z1, bv); z2 = f32x4.add(z2, bv); z3 = f32x4.add(z3, bv);
      v128.store(zr + o, z0); v128.store(zr + o, z1, 16);
      v128.store(zr + o, z2, 32); v128.store(zr + o, z3, 48);
      tanh4x4(ar + o, z0, z1, z2, z3);
    }
    // two vectors per iteration, but for sigmoid: its training output is bias_sigmoid_e, so
    // bias_sigmoid runs hidden layers only, and one copy fewer of its exponential keeps the module small
    if (act != ACT_SIGMOID && act != ACT_TANH) for (; j + 8 <= cols; j += 8) {
      const o = <usize>j << 2;
      const z0 = f32x4.add(v128.load(zr + o), bv), z1 = f32x4.add(v128.load(zr + o, 16), bv);
      v128.store(zr + o, z0);
      v128.store(zr + o, z1, 16);
      v128.store(ar + o, act4(z0, act));
      v128.store(ar + o, act4(z1, act), 16);
    }
    // the rest a vector at a time, the last partial one through the same copy of g
    for (; j < cols; j += 4) {
      const o = <usize>j << 2, left = cols - j;
      const zv = f32x4.add(left >= 4 ? v128.load(zr + o) : tail_in(zr + o, left), bv);
      const av = act4(zv, act, false);
      if (left >= 4) {
        v128.store(zr + o, zv);
        v128.store(ar + o, av);
      } else {
        tail_out(zr + o, zv, left);
        tail_out(ar + o, av, left);
      }
    }
  }
}

// z is (rows × cols), b is (rows × 1): z[i, j] += b[i], then a[i, j] = g(z[i, j]) (a may alias z).
// One export per activation (not one kernel with an activation argument: the optimizer folds
// such copies back into a single loop that branches on every vector).
export function bias_sigmoid(a: usize, z: usize, b: usize, rows: i32, cols: i32): void {
  bias_act_loop(a, z, b, rows, cols, cols, ACT_SIGMOID);
}

export function bias_tanh(a: usize, z: usize, b: usize, rows: i32, cols: i32): void {
  bias_tanh_loop(a, z, b, rows, cols, cols, 0, 0, 0);
}

// bias_tanh's loop as one function that bias_tanh, bias_tanh_part and dense_tanh call: its four
// inlined copies of tanh's polynomial, once in the module rather than once per export
function bias_tanh_loop(a: usize, z: usize, b: usize, rows: i32, cols: i32, ld: i32, w: usize, x: usize, K: i32): void {
  bias_act_loop(a, z, b, rows, cols, ld, ACT_TANH, w, x, K);
}

// A dense tanh layer's forward in one pass: Z = W·X + b, A = tanh(Z), for w (rows × K), x (K × cols),
// bit for bit gemm_nn(z, w, x, rows, cols, K, 1, 0) then bias_tanh(a, z, b, rows, cols). For layers
// on few inputs (the engine calls it for K ≤ 4, where gemm_nn takes its direct path): each
// 16-column group's Z is formed inside tanh's loop instead of written by a product and read back
// (scripts/fused-ab.mjs: 1.06–1.09× the two kernels); the last cols mod 16 columns, which start at
// a multiple of 16 (so gemm_nn's 8-column tiles line up), by gemm_nn's own code first.
export function dense_tanh(a: usize, z: usize, w: usize, x: usize, b: usize, rows: i32, cols: i32, K: i32): void {
  dense_tanh_cols(a, z, w, x, b, rows, cols, K, 0, cols);
}

export function bias_relu(a: usize, z: usize, b: usize, rows: i32, cols: i32): void {
  bias_act_loop(a, z, b, rows, cols, cols, ACT_RELU);
}

export function bias_leaky_relu(a: usize, z: usize, b: usize, rows: i32, cols: i32): void {
  bias_act_loop(a, z, b, rows, cols, cols, ACT_LEAKY_RELU);
}

export function bias_identity(a: usize, z: usize, b: usize, rows: i32, cols: i32): void {
  bias_act_loop(a, z, b, rows, cols, cols, ACT_LINEAR);
}

// bias_sigmoid, and beside A into ev the e^-min(|z|, 87.3) that bce_cost's terms start from (the
// exponential the sigmoid has just computed, softplus_e): bce_cost_e then sums the same terms, bit
// for bit, without a second exponential per output. The output layer of sigmoid + BCE in training,
// where ev is that layer's dZ slot (free until backward writes A − Y there).
export function bias_sigmoid_e(a: usize, z: usize, b: usize, ev: usize, rows: i32, cols: i32): void {
  const floor = softplus_floor();
  const rowBytes = <usize>cols << 2;
  for (let i = 0; i < rows; i++) {
    const row = <usize>i * rowBytes;
    const zr = z + row, ar = a + row, er = ev + row;
    const bv = v128.load32_splat(b + (<usize>i << 2));
    let j = 0;
    // four vectors per iteration: four independent exponentials in one block, which the core
    // overlaps instead of waiting out one chain's latency (planar's output, 1 × 400: 1.4–1.5× faster
    // than one vector per iteration, scripts/kernel-ab.mjs); then one at a time
    for (; j + 16 <= cols; j += 16) {
      const o = <usize>j << 2;
      const z0 = f32x4.add(v128.load(zr + o), bv), z1 = f32x4.add(v128.load(zr + o, 16), bv);
      const z2 = f32x4.add(v128.load(zr + o, 32), bv), z3 = f32x4.add(v128.load(zr + o, 48), bv);
      const n0 = neg_abs(z0), n1 = neg_abs(z1), n2 = neg_abs(z2), n3 = neg_abs(z3);
      const e0 = exp_neg(n0), e1 = exp_neg(n1), e2 = exp_neg(n2), e3 = exp_neg(n3);
      v128.store(zr + o, z0); v128.store(zr + o, z1, 16); v128.store(zr + o, z2, 32); v128.store(zr + o, z3, 48);
      v128.store(ar + o, sigmoid4_of(z0, e0)); v128.store(ar + o, sigmoid4_of(z1, e1), 16);
      v128.store(ar + o, sigmoid4_of(z2, e2), 32); v128.store(ar + o, sigmoid4_of(z3, e3), 48);
      v128.store(er + o, softplus_e(n0, e0, floor)); v128.store(er + o, softplus_e(n1, e1, floor), 16);
      v128.store(er + o, softplus_e(n2, e2, floor), 32); v128.store(er + o, softplus_e(n3, e3, floor), 48);
    }
    // the rest a vector at a time, the last partial one through the same copy of the exponential
    for (; j < cols; j += 4) {
      const o = <usize>j << 2, left = cols - j;
      const zv = f32x4.add(left >= 4 ? v128.load(zr + o) : tail_in(zr + o, left), bv);
      const nz = neg_abs(zv);
      const e = exp_neg(nz);
      const av = sigmoid4_of(zv, e), kv = softplus_e(nz, e, floor);
      if (left >= 4) {
        v128.store(zr + o, zv);
        v128.store(ar + o, av);
        v128.store(er + o, kv);
      } else {
        tail_out(zr + o, zv, left);
        tail_out(ar + o, av, left);
        tail_out(er + o, kv, left);
      }
    }
  }
}

// bias_<act>_part: the columns j0 ≤ j < j1 of bias_<act> over z, a (rows × cols), for the thread
// that computed that block of Z (an element's result does not depend on its position: the tail
// lanes go through the same vector code). Only the shared-memory builds (threads.ts) export them.
@inline function bias_act_part(a: usize, z: usize, b: usize, rows: i32, cols: i32, j0: i32, j1: i32, act: i32): void {
  bias_act_loop(a + (<usize>j0 << 2), z + (<usize>j0 << 2), b, rows, j1 - j0, cols, act);
}

export function bias_sigmoid_part(a: usize, z: usize, b: usize, rows: i32, cols: i32, j0: i32, j1: i32): void {
  bias_act_part(a, z, b, rows, cols, j0, j1, ACT_SIGMOID);
}

export function bias_tanh_part(a: usize, z: usize, b: usize, rows: i32, cols: i32, j0: i32, j1: i32): void {
  bias_tanh_loop(a + (<usize>j0 << 2), z + (<usize>j0 << 2), b, rows, j1 - j0, cols, 0, 0, 0);
}

// columns j0 ≤ j < j1 of dense_tanh's Z and A, for the threads (assembly/threads.ts), j0 a
// multiple of 16: the block's 16-column groups are then the whole call's, and its last
// (j1 − j0) mod 16 columns, where j1 = cols, start where the whole call's do (the same bits)
export function dense_tanh_part(a: usize, z: usize, w: usize, x: usize, b: usize, rows: i32, cols: i32, K: i32, j0: i32, j1: i32): void {
  dense_tanh_cols(a, z, w, x, b, rows, cols, K, j0, j1);
}

@inline function dense_tanh_cols(a: usize, z: usize, w: usize, x: usize, b: usize, rows: i32, cols: i32, K: i32, j0: i32, j1: i32): void {
  const c16 = j0 + ((j1 - j0) & ~15);
  if (c16 < j1) gemm_nn_cols(z, w, x, rows, cols, K, c16, j1);
  const o = <usize>j0 << 2;
  bias_tanh_loop(a + o, z + o, b, rows, j1 - j0, cols, w, x + o, K);
}

export function bias_relu_part(a: usize, z: usize, b: usize, rows: i32, cols: i32, j0: i32, j1: i32): void {
  bias_act_part(a, z, b, rows, cols, j0, j1, ACT_RELU);
}

export function bias_leaky_relu_part(a: usize, z: usize, b: usize, rows: i32, cols: i32, j0: i32, j1: i32): void {
  bias_act_part(a, z, b, rows, cols, j0, j1, ACT_LEAKY_RELU);
}

export function bias_identity_part(a: usize, z: usize, b: usize, rows: i32, cols: i32, j0: i32, j1: i32): void {
  bias_act_part(a, z, b, rows, cols, j0, j1, ACT_LINEAR);
}

export function sigmoid_forward(a: usize, z: usize, n: i32): void {
  map_act(a, z, n, ACT_SIGMOID);
}

export function sigmoid_backward(dz: usize, da: usize, a: usize, z: usize, n: i32): void {
  // g'(z) = a (1 − a)
  let i = 0;
  const one = f32x4.splat(1);
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const av = v128.load(a + o);
    v128.store(dz + o, f32x4.mul(v128.load(da + o), f32x4.mul(av, f32x4.sub(one, av))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const av = load<f32>(a + o);
    store<f32>(dz + o, load<f32>(da + o) * (av * (1 - av)));
  }
}

export function tanh_forward(a: usize, z: usize, n: i32): void {
  map_act(a, z, n, ACT_TANH);
}

export function tanh_backward(dz: usize, da: usize, a: usize, z: usize, n: i32): void {
  // g'(z) = 1 − a²
  let i = 0;
  const one = f32x4.splat(1);
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const av = v128.load(a + o);
    v128.store(dz + o, f32x4.mul(v128.load(da + o), f32x4.sub(one, f32x4.mul(av, av))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const av = load<f32>(a + o);
    store<f32>(dz + o, load<f32>(da + o) * (1 - av * av));
  }
}

// A tanh layer's dZ from the layer above in one pass: dz = (Wᵀ·dzo) ⊙ (1 − a²) for w (K × M, the
// weights of the layer above), dzo (K × N, its dZ) and a (M × N), bit for bit gemm_tn(dz, w, dzo,
// M, N, K, 1, 0) then tanh_backward(dz, dz, a, z, M·N): each element's sum is gemm_tn's (K
// multiply-adds from 0, vectors of columns, the last N mod 4 columns scalar; the engine calls it
// for K ≤ 4, where gemm_tn takes its direct path), then tanh_backward's product, without the store
// and reload of Wᵀ·dzo between them.
export function tanh_backward_tn(dz: usize, w: usize, dzo: usize, a: usize, M: i32, N: i32, K: i32): void {
  tanh_backward_tn_rows(dz, w, dzo, a, M, N, K, 0, M);
}

// rows i0 ≤ i < i1 of tanh_backward_tn's dz (each row its own: the same bits wherever a block
// starts), for the threads (assembly/threads.ts)
export function tanh_backward_tn_part(dz: usize, w: usize, dzo: usize, a: usize, M: i32, N: i32, K: i32, i0: i32, i1: i32): void {
  tanh_backward_tn_rows(dz, w, dzo, a, M, N, K, i0, i1);
}

@inline function tanh_backward_tn_rows(dz: usize, w: usize, dzo: usize, a: usize, M: i32, N: i32, K: i32, i0: i32, i1: i32): void {
  const rowN = <usize>N << 2, rowM = <usize>M << 2;
  const one = f32x4.splat(1);
  for (let i = i0; i < i1; i++) {
    const r = <usize>i * rowN, wi = w + (<usize>i << 2);
    let j = 0;
    for (; j + 16 <= N; j += 16) {
      const o = <usize>j << 2;
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      let pw = wi, px = dzo + o;
      for (let k = 0; k < K; k++) {
        const wk = v128.load32_splat(pw);
        s0 = madd(s0, wk, v128.load(px)); s1 = madd(s1, wk, v128.load(px, 16));
        s2 = madd(s2, wk, v128.load(px, 32)); s3 = madd(s3, wk, v128.load(px, 48));
        pw += rowM; px += rowN;
      }
      const ap = a + r + o, dp = dz + r + o;
      const a0 = v128.load(ap), a1 = v128.load(ap, 16), a2 = v128.load(ap, 32), a3 = v128.load(ap, 48);
      v128.store(dp, f32x4.mul(s0, f32x4.sub(one, f32x4.mul(a0, a0))));
      v128.store(dp, f32x4.mul(s1, f32x4.sub(one, f32x4.mul(a1, a1))), 16);
      v128.store(dp, f32x4.mul(s2, f32x4.sub(one, f32x4.mul(a2, a2))), 32);
      v128.store(dp, f32x4.mul(s3, f32x4.sub(one, f32x4.mul(a3, a3))), 48);
    }
    for (; j + 4 <= N; j += 4) {
      const o = <usize>j << 2;
      let s0 = f32x4.splat(0);
      let pw = wi, px = dzo + o;
      for (let k = 0; k < K; k++) {
        s0 = madd(s0, v128.load32_splat(pw), v128.load(px));
        pw += rowM; px += rowN;
      }
      const av = v128.load(a + r + o);
      v128.store(dz + r + o, f32x4.mul(s0, f32x4.sub(one, f32x4.mul(av, av))));
    }
    for (; j < N; j++) {
      const o = <usize>j << 2;
      let s: f32 = 0;
      let pw = wi, px = dzo + o;
      for (let k = 0; k < K; k++) {
        s += load<f32>(pw) * load<f32>(px);
        pw += rowM; px += rowN;
      }
      const av = load<f32>(a + r + o);
      store<f32>(dz + r + o, s * (1 - av * av));
    }
  }
}

export function relu_forward(a: usize, z: usize, n: i32): void {
  // g(z) = max(0, z)
  map_act(a, z, n, ACT_RELU);
}

export function relu_backward(dz: usize, da: usize, a: usize, z: usize, n: i32): void {
  // g'(z) = 1 if z > 0 else 0
  let i = 0;
  const zero = f32x4.splat(0);
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dz + o, v128.and(v128.load(da + o), f32x4.gt(v128.load(z + o), zero)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dz + o, load<f32>(z + o) > 0 ? load<f32>(da + o) : 0);
  }
}

export function leaky_relu_forward(a: usize, z: usize, n: i32): void {
  // g(z) = max(0.01 z, z)
  map_act(a, z, n, ACT_LEAKY_RELU);
}

export function leaky_relu_backward(dz: usize, da: usize, a: usize, z: usize, n: i32): void {
  // g'(z) = 1 if z ≥ 0 else 0.01
  let i = 0;
  const leak = f32x4.splat(LEAK);
  const zero = f32x4.splat(0);
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const dv = v128.load(da + o);
    v128.store(dz + o, v128.bitselect(dv, f32x4.mul(dv, leak), f32x4.ge(v128.load(z + o), zero)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const dv = load<f32>(da + o);
    store<f32>(dz + o, load<f32>(z + o) >= 0 ? dv : dv * LEAK);
  }
}
