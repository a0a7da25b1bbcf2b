// Matrix products over float32 row-major buffers, the three forms backprop needs:
//   gemm_nn: C = α·A·B  + β·C    forward    Z  = W·A_prev        (W is M×K, A_prev is K×N)
//   gemm_nt: C = α·A·Bᵀ + β·C    backward   dW = (1/m)·dZ·A_prevᵀ (dZ is M×K, A_prev is N×K)
//   gemm_tn: C = α·Aᵀ·B + β·C    backward   dA = Wᵀ·dZ           (W is K×M, dZ is K×N)
// Pointers are byte addresses; sizes are element counts. β = 0 means C is write-only (whatever it
// held, NaN included, is ignored), as in BLAS. The *_ref kernels are the scalar references the
// SIMD kernels are tested against; they stay forever.

import { hsum, put1, put4, madd } from './simd';
import { gemm_packed, use_packed } from './gemm-packed';

// ---- scalar references -------------------------------------------------------------------

// op(A)(i, k) = A[i·ars + k·aks], op(B)(k, j) = B[k·bks + j·bjs]; C is M×N, contiguous rows.
function gemm_ref(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32,
                  ars: i32, aks: i32, bks: i32, bjs: i32, alpha: f32, beta: f32): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s: f32 = 0;
      for (let k = 0; k < K; k++) {
        s += load<f32>(a + ((<usize>(i * ars + k * aks)) << 2)) *
             load<f32>(b + ((<usize>(k * bks + j * bjs)) << 2));
      }
      const cp = c + ((<usize>(i * N + j)) << 2);
      store<f32>(cp, beta == 0 ? alpha * s : alpha * s + beta * load<f32>(cp));
    }
  }
}

export function gemm_nn_ref(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32, alpha: f32, beta: f32): void {
  // a is (M × K), b is (K × N), c is (M × N)
  gemm_ref(c, a, b, M, N, K, K, 1, N, 1, alpha, beta);
}

export function gemm_nt_ref(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32, alpha: f32, beta: f32): void {
  // a is (M × K), b is (N × K), c is (M × N)
  gemm_ref(c, a, b, M, N, K, K, 1, 1, K, alpha, beta);
}

export function gemm_tn_ref(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32, alpha: f32, beta: f32): void {
  // a is (K × M), b is (K × N), c is (M × N)
  gemm_ref(c, a, b, M, N, K, 1, M, N, 1, alpha, beta);
}

// ---- SIMD, direct (small and medium products; large ones go to gemm-packed.ts) -----------


// Shared by gemm_nn and gemm_tn: B is (K × N) with contiguous rows, so the SIMD lanes run along
// a row of B and of C while op(A)(i, k) = A[i·ars + k·aks] is broadcast. Tiles of 4 rows × 8
// columns keep 8 accumulators in registers; the edges fall back to 4 × 4, then to scalars.
// ldn: the row stride (elements) of B and C: N for a whole product, more for a block of columns.
function gemm_xn(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32,
                 ars: i32, aks: i32, ldn: i32, alpha: f32, beta: f32): void {
  const va = f32x4.splat(alpha);
  const rowB = <usize>ldn << 2;
  const stepA = <usize>aks << 2;
  const rowA = <usize>ars << 2;
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const a0 = a + <usize>i * rowA;
    const c0 = c + <usize>i * rowB;
    let j = 0;
    for (; j + 8 <= N; j += 8) {
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s10 = f32x4.splat(0), s11 = f32x4.splat(0);
      let s20 = f32x4.splat(0), s21 = f32x4.splat(0), s30 = f32x4.splat(0), s31 = f32x4.splat(0);
      let pa = a0;
      let pb = b + (<usize>j << 2);
      for (let k = 0; k < K; k++) {
        const b0 = v128.load(pb), b1 = v128.load(pb, 16);
        const x0 = v128.load32_splat(pa), x1 = v128.load32_splat(pa + rowA);
        const x2 = v128.load32_splat(pa + 2 * rowA), x3 = v128.load32_splat(pa + 3 * rowA);
        s00 = madd(s00, x0, b0); s01 = madd(s01, x0, b1);
        s10 = madd(s10, x1, b0); s11 = madd(s11, x1, b1);
        s20 = madd(s20, x2, b0); s21 = madd(s21, x2, b1);
        s30 = madd(s30, x3, b0); s31 = madd(s31, x3, b1);
        pa += stepA; pb += rowB;
      }
      const cp = c0 + (<usize>j << 2);
      put4(cp, s00, va, beta); put4(cp + 16, s01, va, beta);
      put4(cp + rowB, s10, va, beta); put4(cp + rowB + 16, s11, va, beta);
      put4(cp + 2 * rowB, s20, va, beta); put4(cp + 2 * rowB + 16, s21, va, beta);
      put4(cp + 3 * rowB, s30, va, beta); put4(cp + 3 * rowB + 16, s31, va, beta);
    }
    for (; j + 4 <= N; j += 4) {
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      let pa = a0;
      let pb = b + (<usize>j << 2);
      for (let k = 0; k < K; k++) {
        const b0 = v128.load(pb);
        s0 = madd(s0, v128.load32_splat(pa), b0);
        s1 = madd(s1, v128.load32_splat(pa + rowA), b0);
        s2 = madd(s2, v128.load32_splat(pa + 2 * rowA), b0);
        s3 = madd(s3, v128.load32_splat(pa + 3 * rowA), b0);
        pa += stepA; pb += rowB;
      }
      const cp = c0 + (<usize>j << 2);
      put4(cp, s0, va, beta); put4(cp + rowB, s1, va, beta);
      put4(cp + 2 * rowB, s2, va, beta); put4(cp + 3 * rowB, s3, va, beta);
    }
    for (let r = 0; r < 4; r++) xn_row_tail(c0 + <usize>r * rowB, a0 + <usize>r * rowA, b, j, N, K, stepA, rowB, alpha, beta);
  }
  for (; i < M; i++) {
    const a0 = a + <usize>i * rowA;
    const c0 = c + <usize>i * rowB;
    let j = 0;
    // a row alone (M < 4, or the last M mod 4 rows): four column vectors at a time, four independent
    // chains of K multiply-adds in one block (1 × 400 × 4, planar's output layer: 1.9× faster than
    // one vector at a time), each the chain the 4-wide loop below forms
    for (; j + 16 <= N; j += 16) {
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      let pa = a0;
      let pb = b + (<usize>j << 2);
      for (let k = 0; k < K; k++) {
        const x = v128.load32_splat(pa);
        s0 = madd(s0, x, v128.load(pb)); s1 = madd(s1, x, v128.load(pb, 16));
        s2 = madd(s2, x, v128.load(pb, 32)); s3 = madd(s3, x, v128.load(pb, 48));
        pa += stepA; pb += rowB;
      }
      const cp = c0 + (<usize>j << 2);
      put4(cp, s0, va, beta); put4(cp + 16, s1, va, beta);
      put4(cp + 32, s2, va, beta); put4(cp + 48, s3, va, beta);
    }
    for (; j + 4 <= N; j += 4) {
      let s0 = f32x4.splat(0);
      let pa = a0;
      let pb = b + (<usize>j << 2);
      for (let k = 0; k < K; k++) {
        s0 = madd(s0, v128.load32_splat(pa), v128.load(pb));
        pa += stepA; pb += rowB;
      }
      put4(c0 + (<usize>j << 2), s0, va, beta);
    }
    xn_row_tail(c0, a0, b, j, N, K, stepA, rowB, alpha, beta);
  }
}

// columns j0..N-1 of one row of C, scalar
@inline function xn_row_tail(c0: usize, a0: usize, b: usize, j0: i32, N: i32, K: i32,
                             stepA: usize, rowB: usize, alpha: f32, beta: f32): void {
  for (let j = j0; j < N; j++) {
    let s: f32 = 0;
    let pa = a0;
    let pb = b + (<usize>j << 2);
    for (let k = 0; k < K; k++) {
      s += load<f32>(pa) * load<f32>(pb);
      pa += stepA; pb += rowB;
    }
    put1(c0 + (<usize>j << 2), s, alpha, beta);
  }
}

export function gemm_nn(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32, alpha: f32, beta: f32): void {
  // a is (M × K), b is (K × N), c is (M × N)
  nn_block(c, 0, a, b, M, N, K, 0, M, 0, N, alpha, beta);
}

export function gemm_tn(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32, alpha: f32, beta: f32): void {
  // a is (K × M), b is (K × N), c is (M × N)
  tn_block(c, 0, a, b, M, N, K, 0, M, 0, N, alpha, beta);
}

// ---- one block of a product (for threads sharing one memory) --------------------------------
// gemm_*_part compute the block i0 ≤ i < i1, j0 ≤ j < j1 of the product gemm_* computes, bit for
// bit: the path (packed or direct) is chosen from the whole product's M, N, K, and neither path's
// float operations for C(i, j) depend on where the block starts or ends — provided j0 and j1 are
// multiples of 8 or N (the direct path's SIMD tiles then line up with the whole product's; rows
// may split anywhere). scratch: the packed path's buffers (gemm_scratch_bytes() bytes, 64-byte
// aligned), or 0 for the module's own. Only the shared-memory builds (threads.ts) export them.

@inline function at(p: usize, row: i32, ld: i32, col: i32): usize {
  return p + ((<usize>row * <usize>ld + <usize>col) << 2);
}

@inline function nn_block(c: usize, scratch: usize, a: usize, b: usize, M: i32, N: i32, K: i32,
                          i0: i32, i1: i32, j0: i32, j1: i32, alpha: f32, beta: f32): void {
  // a is (M × K), b is (K × N), c is (M × N)
  if (use_packed(M, N, K)) gemm_packed(c, scratch, a, b, M, N, K, K, 1, N, 1, i0, i1, j0, j1, alpha, beta);
  else gemm_xn(at(c, i0, N, j0), at(a, i0, K, 0), at(b, 0, N, j0), i1 - i0, j1 - j0, K, K, 1, N, alpha, beta);
}

@inline function tn_block(c: usize, scratch: usize, a: usize, b: usize, M: i32, N: i32, K: i32,
                          i0: i32, i1: i32, j0: i32, j1: i32, alpha: f32, beta: f32): void {
  // a is (K × M), b is (K × N), c is (M × N): row i of op(A) is column i of a
  if (use_packed(M, N, K)) gemm_packed(c, scratch, a, b, M, N, K, 1, M, N, 1, i0, i1, j0, j1, alpha, beta);
  else gemm_xn(at(c, i0, N, j0), at(a, 0, M, i0), at(b, 0, N, j0), i1 - i0, j1 - j0, K, 1, M, N, alpha, beta);
}

@inline function nt_block(c: usize, scratch: usize, a: usize, b: usize, M: i32, N: i32, K: i32,
                          i0: i32, i1: i32, j0: i32, j1: i32, alpha: f32, beta: f32): void {
  // a is (M × K), b is (N × K), c is (M × N)
  if (use_packed(M, N, K)) gemm_packed(c, scratch, a, b, M, N, K, K, 1, 1, K, i0, i1, j0, j1, alpha, beta);
  else gemm_nt_direct(at(c, i0, N, j0), at(a, i0, K, 0), at(b, j0, K, 0), i1 - i0, j1 - j0, K, N, alpha, beta);
}

/** columns j0 ≤ j < j1 of gemm_nn's C = A·B (α = 1, β = 0), bit for bit; j0 a multiple of 8 */
@inline export function gemm_nn_cols(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32, j0: i32, j1: i32): void {
  nn_block(c, 0, a, b, M, N, K, 0, M, j0, j1, 1, 0);
}

export function gemm_nn_part(c: usize, scratch: usize, a: usize, b: usize, M: i32, N: i32, K: i32,
                             i0: i32, i1: i32, j0: i32, j1: i32, alpha: f32, beta: f32): void {
  nn_block(c, scratch, a, b, M, N, K, i0, i1, j0, j1, alpha, beta);
}

export function gemm_tn_part(c: usize, scratch: usize, a: usize, b: usize, M: i32, N: i32, K: i32,
                             i0: i32, i1: i32, j0: i32, j1: i32, alpha: f32, beta: f32): void {
  tn_block(c, scratch, a, b, M, N, K, i0, i1, j0, j1, alpha, beta);
}

export function gemm_nt_part(c: usize, scratch: usize, a: usize, b: usize, M: i32, N: i32, K: i32,
                             i0: i32, i1: i32, j0: i32, j1: i32, alpha: f32, beta: f32): void {
  nt_block(c, scratch, a, b, M, N, K, i0, i1, j0, j1, alpha, beta);
}

// One dot product of length K: two vector accumulators, for k mod 8 in 0–3 and in 4–7 (two
// independent chains of adds: a single chain waits an add's latency every 4 elements, which left
// the long, thin products of backward — dW = dZ·Aᵀ over m = 400 columns — at half the core's
// rate), a last whole vector into the first, their sum reduced, then a scalar tail. gemm_nt_direct's
// tiles compute each C(i, j) by this same sequence, so where a block ends never changes a bit.
@inline function dot(x: usize, y: usize, K: i32): f32 {
  let acc0 = f32x4.splat(0), acc1 = f32x4.splat(0);
  let k = 0;
  for (; k + 8 <= K; k += 8) {
    const o = <usize>k << 2;
    acc0 = madd(acc0, v128.load(x + o), v128.load(y + o));
    acc1 = madd(acc1, v128.load(x + o, 16), v128.load(y + o, 16));
  }
  if (k + 4 <= K) {
    const o = <usize>k << 2;
    acc0 = madd(acc0, v128.load(x + o), v128.load(y + o));
    k += 4;
  }
  let s = hsum(f32x4.add(acc0, acc1));
  for (; k < K; k++) s += load<f32>(x + (<usize>k << 2)) * load<f32>(y + (<usize>k << 2));
  return s;
}

export function gemm_nt(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32, alpha: f32, beta: f32): void {
  // a is (M × K), b is (N × K), c is (M × N)
  nt_block(c, 0, a, b, M, N, K, 0, M, 0, N, alpha, beta);
}

// gemm_nt's direct path: every C(i, j) is a dot product of two contiguous rows, so the lanes run
// along k; 2 × 2 tiles reuse each loaded row twice. ldc: the row stride (elements) of C.
function gemm_nt_direct(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32, ldc: i32, alpha: f32, beta: f32): void {
  const rowK = <usize>K << 2;
  const rowC = <usize>ldc << 2;
  const K4 = K & ~3;
  let i = 0;
  for (; i + 2 <= M; i += 2) {
    const a0 = a + <usize>i * rowK, a1 = a0 + rowK;
    const c0 = c + <usize>i * rowC;
    let j = 0;
    for (; j + 2 <= N; j += 2) {
      const b0 = b + <usize>j * rowK, b1 = b0 + rowK;
      // each of the four sums as dot() forms it: two accumulators, a last whole vector into the first
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s10 = f32x4.splat(0), s11 = f32x4.splat(0);
      let u00 = f32x4.splat(0), u01 = f32x4.splat(0), u10 = f32x4.splat(0), u11 = f32x4.splat(0);
      let k = 0;
      for (; k + 8 <= K; k += 8) {
        const o = <usize>k << 2;
        const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o);
        const y0 = v128.load(b0 + o), y1 = v128.load(b1 + o);
        s00 = madd(s00, x0, y0); s01 = madd(s01, x0, y1);
        s10 = madd(s10, x1, y0); s11 = madd(s11, x1, y1);
        const x2 = v128.load(a0 + o, 16), x3 = v128.load(a1 + o, 16);
        const y2 = v128.load(b0 + o, 16), y3 = v128.load(b1 + o, 16);
        u00 = madd(u00, x2, y2); u01 = madd(u01, x2, y3);
        u10 = madd(u10, x3, y2); u11 = madd(u11, x3, y3);
      }
      if (k + 4 <= K) {
        const o = <usize>k << 2;
        const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o);
        const y0 = v128.load(b0 + o), y1 = v128.load(b1 + o);
        s00 = madd(s00, x0, y0); s01 = madd(s01, x0, y1);
        s10 = madd(s10, x1, y0); s11 = madd(s11, x1, y1);
      }
      let t00 = hsum(f32x4.add(s00, u00)), t01 = hsum(f32x4.add(s01, u01));
      let t10 = hsum(f32x4.add(s10, u10)), t11 = hsum(f32x4.add(s11, u11));
      for (let kk = K4; kk < K; kk++) {
        const o = <usize>kk << 2;
        const x0 = load<f32>(a0 + o), x1 = load<f32>(a1 + o);
        const y0 = load<f32>(b0 + o), y1 = load<f32>(b1 + o);
        t00 += x0 * y0; t01 += x0 * y1; t10 += x1 * y0; t11 += x1 * y1;
      }
      const cp = c0 + (<usize>j << 2);
      put1(cp, t00, alpha, beta); put1(cp + 4, t01, alpha, beta);
      put1(cp + rowC, t10, alpha, beta); put1(cp + rowC + 4, t11, alpha, beta);
    }
    if (j < N) {
      const bj = b + <usize>j * rowK;
      const cp = c0 + (<usize>j << 2);
      put1(cp, dot(a0, bj, K), alpha, beta);
      put1(cp + rowC, dot(a1, bj, K), alpha, beta);
    }
  }
  if (i < M) {
    const ai = a + <usize>i * rowK;
    const c0 = c + <usize>i * rowC;
    for (let j = 0; j < N; j++) put1(c0 + (<usize>j << 2), dot(ai, b + <usize>j * rowK, K), alpha, beta);
  }
}
