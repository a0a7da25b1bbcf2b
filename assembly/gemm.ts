// Matrix products over float32 row-major buffers, the three forms backprop needs:
//   gemm_nn: C = α·A·B  + β·C    forward    Z  = W·A_prev        (W is M×K, A_prev is K×N)
//   gemm_nt: C = α·A·Bᵀ + β·C    backward   dW = (1/m)·dZ·A_prevᵀ (dZ is M×K, A_prev is N×K)
//   gemm_tn: C = α·Aᵀ·B + β·C    backward   dA = Wᵀ·dZ           (W is K×M, dZ is K×N)
// Pointers are byte addresses; sizes are element counts. β = 0 means C is write-only (whatever it
// held, NaN included, is ignored), as in BLAS. The *_ref kernels are the scalar references the
// SIMD kernels are tested against; they stay forever.

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

// ---- SIMD ---------------------------------------------------------------------------------

// c[0..3] = α·acc + β·c[0..3]
@inline function put4(cp: usize, acc: v128, alpha: v128, beta: f32): void {
  let r = f32x4.mul(acc, alpha);
  if (beta != 0) r = f32x4.add(r, f32x4.mul(f32x4.splat(beta), v128.load(cp)));
  v128.store(cp, r);
}

@inline function put1(cp: usize, s: f32, alpha: f32, beta: f32): void {
  store<f32>(cp, beta == 0 ? alpha * s : alpha * s + beta * load<f32>(cp));
}

@inline function madd(acc: v128, x: v128, y: v128): v128 {
  return f32x4.add(acc, f32x4.mul(x, y));
}

// Shared by gemm_nn and gemm_tn: B is (K × N) with contiguous rows, so the SIMD lanes run along
// a row of B and of C while op(A)(i, k) = A[i·ars + k·aks] is broadcast. Tiles of 4 rows × 8
// columns keep 8 accumulators in registers; the edges fall back to 4 × 4, then to scalars.
function gemm_xn(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32,
                 ars: i32, aks: i32, alpha: f32, beta: f32): void {
  const va = f32x4.splat(alpha);
  const rowB = <usize>N << 2;
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
  if (use_packed(M, N, K)) gemm_packed(c, a, b, M, N, K, K, 1, N, 1, alpha, beta);
  else gemm_xn(c, a, b, M, N, K, K, 1, alpha, beta);
}

export function gemm_tn(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32, alpha: f32, beta: f32): void {
  // a is (K × M), b is (K × N), c is (M × N)
  if (use_packed(M, N, K)) gemm_packed(c, a, b, M, N, K, 1, M, N, 1, alpha, beta);
  else gemm_xn(c, a, b, M, N, K, 1, M, alpha, beta);
}

@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) +
         f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

// one dot product of length K, SIMD over k with a scalar tail
@inline function dot(x: usize, y: usize, K: i32): f32 {
  let acc = f32x4.splat(0);
  let k = 0;
  for (; k + 4 <= K; k += 4) {
    const o = <usize>k << 2;
    acc = madd(acc, v128.load(x + o), v128.load(y + o));
  }
  let s = hsum(acc);
  for (; k < K; k++) s += load<f32>(x + (<usize>k << 2)) * load<f32>(y + (<usize>k << 2));
  return s;
}

export function gemm_nt(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32, alpha: f32, beta: f32): void {
  // a is (M × K), b is (N × K), c is (M × N): every C(i, j) is a dot product of two contiguous
  // rows, so the lanes run along k; 2 × 2 tiles reuse each loaded row twice.
  if (use_packed(M, N, K)) {
    gemm_packed(c, a, b, M, N, K, K, 1, 1, K, alpha, beta);
    return;
  }
  const rowK = <usize>K << 2;
  const rowC = <usize>N << 2;
  const K4 = K & ~3;
  let i = 0;
  for (; i + 2 <= M; i += 2) {
    const a0 = a + <usize>i * rowK, a1 = a0 + rowK;
    const c0 = c + <usize>i * rowC;
    let j = 0;
    for (; j + 2 <= N; j += 2) {
      const b0 = b + <usize>j * rowK, b1 = b0 + rowK;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s10 = f32x4.splat(0), s11 = f32x4.splat(0);
      for (let k = 0; k < K4; k += 4) {
        const o = <usize>k << 2;
        const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o);
        const y0 = v128.load(b0 + o), y1 = v128.load(b1 + o);
        s00 = madd(s00, x0, y0); s01 = madd(s01, x0, y1);
        s10 = madd(s10, x1, y0); s11 = madd(s11, x1, y1);
      }
      let t00 = hsum(s00), t01 = hsum(s01), t10 = hsum(s10), t11 = hsum(s11);
      for (let k = K4; k < K; k++) {
        const o = <usize>k << 2;
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

// ---- packed, blocked SIMD (large products) ----------------------------------------------

// For products too large for the caches, the blocks of op(A) and op(B) are first copied
// ("packed") into contiguous, zero-padded panels: op(A) as MR-row panels (for each k, MR values),
// op(B) as NR-column panels (for each k, NR values). The micro-kernel then streams two short
// contiguous panels (MR·KC and NR·KC floats: 4 and 8 KiB, L1-resident) with MR·NR = 32 sums in 8
// registers, whatever the form (nn, nt, tn) and the strides were. Blocks: KC values of k (one
// pass of the micro-kernel), MC rows of op(A) (128 KiB, L2), NC columns of op(B).
const MR = 4;
const NR = 8;
const KC = 256;
const MC = 128;
const NC = 512;
const PACK_A = memory.data(MC * KC * 4, 64);
const PACK_B = memory.data(KC * NC * 4, 64);
const C_TILE = memory.data(MR * NR * 4, 16);

// rows p, p + step, p + 2·step, p + 3·step (4 floats each) transposed: column c of the 4 × 4 block
// is stored at dst + c·dstep
@inline function transpose4(p: usize, step: usize, dst: usize, dstep: usize): void {
  const r0 = v128.load(p), r1 = v128.load(p + step), r2 = v128.load(p + 2 * step), r3 = v128.load(p + 3 * step);
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5), t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(dst + dstep, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * dstep, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * dstep, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
}

// op(A)(i, k) = A[i·ars + k·aks] for i in [i0, i0 + mc), k in [k0, k0 + kc), into PACK_A
function pack_a(a: usize, i0: i32, k0: i32, mc: i32, kc: i32, ars: i32, aks: i32): void {
  let dst = PACK_A;
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    if (ars == 1 && rows == MR) {
      // the MR values of one k are adjacent (the tn form): one vector per k
      let src = a + ((<usize>(i0 + ir) + <usize>k0 * <usize>aks) << 2);
      const step = <usize>aks << 2;
      for (let k = 0; k < kc; k++) {
        v128.store(dst, v128.load(src));
        src += step; dst += 16;
      }
    } else if (aks == 1 && rows == MR) {
      // the nn form: MR rows, each contiguous along k; 4 × 4 transposes, then a scalar tail
      const src = a + ((<usize>(i0 + ir) * <usize>ars + <usize>k0) << 2);
      const step = <usize>ars << 2;
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        transpose4(src + (<usize>k << 2), step, dst, 16);
        dst += 64;
      }
      for (; k < kc; k++) {
        for (let r = 0; r < MR; r++) store<f32>(dst + (<usize>r << 2), load<f32>(src + <usize>r * step + (<usize>k << 2)));
        dst += 16;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        for (let r = 0; r < MR; r++) {
          store<f32>(dst + (<usize>r << 2), r < rows
            ? load<f32>(a + ((<usize>(i0 + ir + r) * <usize>ars + <usize>(k0 + k) * <usize>aks) << 2))
            : 0);
        }
        dst += 16;
      }
    }
  }
}

// op(B)(k, j) = B[k·bks + j·bjs] for k in [k0, k0 + kc), j in [j0, j0 + nc), into PACK_B
function pack_b(b: usize, k0: i32, j0: i32, kc: i32, nc: i32, bks: i32, bjs: i32): void {
  let dst = PACK_B;
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    if (bjs == 1 && cols == NR) {
      // a row of op(B) is contiguous (the nn and tn forms): two vectors per k
      let src = b + ((<usize>k0 * <usize>bks + <usize>(j0 + jr)) << 2);
      const step = <usize>bks << 2;
      for (let k = 0; k < kc; k++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += step; dst += 32;
      }
    } else if (bks == 1 && cols == NR) {
      // the nt form: NR rows of B, each contiguous along k; gather one value from each per k
      const src = b + ((<usize>k0 + <usize>(j0 + jr) * <usize>bjs) << 2);
      const step = <usize>bjs << 2;
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const o = <usize>k << 2;
        transpose4(src + o, step, dst, 32);
        transpose4(src + 4 * step + o, step, dst + 16, 32);
        dst += 128;
      }
      for (; k < kc; k++) {
        const o = <usize>k << 2;
        for (let c = 0; c < NR; c++) store<f32>(dst + (<usize>c << 2), load<f32>(src + <usize>c * step + o));
        dst += 32;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        for (let c = 0; c < NR; c++) {
          store<f32>(dst + (<usize>c << 2), c < cols
            ? load<f32>(b + ((<usize>(k0 + k) * <usize>bks + <usize>(j0 + jr + c) * <usize>bjs) << 2))
            : 0);
        }
        dst += 32;
      }
    }
  }
}

// C[0..rows, 0..cols] (row stride rowC bytes) = α·(A panel · B panel) + β·C, over kc values of k
function micro_4x8(pa: usize, pb: usize, kc: i32, c: usize, rowC: usize, rows: i32, cols: i32,
                   alpha: f32, beta: f32): void {
  let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s10 = f32x4.splat(0), s11 = f32x4.splat(0);
  let s20 = f32x4.splat(0), s21 = f32x4.splat(0), s30 = f32x4.splat(0), s31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    const x0 = v128.load32_splat(pa), x1 = v128.load32_splat(pa, 4);
    const x2 = v128.load32_splat(pa, 8), x3 = v128.load32_splat(pa, 12);
    s00 = madd(s00, x0, b0); s01 = madd(s01, x0, b1);
    s10 = madd(s10, x1, b0); s11 = madd(s11, x1, b1);
    s20 = madd(s20, x2, b0); s21 = madd(s21, x2, b1);
    s30 = madd(s30, x3, b0); s31 = madd(s31, x3, b1);
    pa += 16; pb += 32;
  }
  const va = f32x4.splat(alpha);
  if (rows == MR && cols == NR) {
    put4(c, s00, va, beta); put4(c + 16, s01, va, beta);
    put4(c + rowC, s10, va, beta); put4(c + rowC + 16, s11, va, beta);
    put4(c + 2 * rowC, s20, va, beta); put4(c + 2 * rowC + 16, s21, va, beta);
    put4(c + 3 * rowC, s30, va, beta); put4(c + 3 * rowC + 16, s31, va, beta);
    return;
  }
  // an edge tile: through C_TILE, then only the rows × cols that exist
  v128.store(C_TILE, s00); v128.store(C_TILE, s01, 16);
  v128.store(C_TILE, s10, 32); v128.store(C_TILE, s11, 48);
  v128.store(C_TILE, s20, 64); v128.store(C_TILE, s21, 80);
  v128.store(C_TILE, s30, 96); v128.store(C_TILE, s31, 112);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      put1(c + <usize>r * rowC + (<usize>j << 2), load<f32>(C_TILE + ((<usize>(r * NR + j)) << 2)), alpha, beta);
    }
  }
}

function gemm_packed(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32,
                     ars: i32, aks: i32, bks: i32, bjs: i32, alpha: f32, beta: f32): void {
  const rowC = <usize>N << 2;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      // the first k block applies β; the later ones accumulate onto it
      const bp: f32 = pc == 0 ? beta : 1;
      pack_b(b, pc, jc, kc, nc, bks, bjs);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        pack_a(a, ic, pc, mc, kc, ars, aks);
        for (let jr = 0; jr < nc; jr += NR) {
          const pb = PACK_B + ((<usize>jr * <usize>kc) << 2);
          const cj = c + ((<usize>(jc + jr)) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            micro_4x8(PACK_A + ((<usize>ir * <usize>kc) << 2), pb, kc,
                      cj + <usize>(ic + ir) * rowC, rowC, min(MR, mc - ir), min(NR, nc - jr), alpha, bp);
          }
        }
      }
    }
  }
}

// Packing pays when every dimension is large enough to reuse the packed panels; small products
// (the planar network's 4 × 400 × 2, an output layer of 1 or 10 units) take the direct kernels.
@inline function use_packed(M: i32, N: i32, K: i32): bool {
  return M >= PACK_MIN && N >= PACK_MIN && K >= PACK_MIN && <i64>M * <i64>N * <i64>K >= PACK_MIN_WORK;
}
const PACK_MIN = 16;
const PACK_MIN_WORK: i64 = 1 << 18;

export function gemm_nn_packed(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32, alpha: f32, beta: f32): void {
  gemm_packed(c, a, b, M, N, K, K, 1, N, 1, alpha, beta);
}
export function gemm_nt_packed(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32, alpha: f32, beta: f32): void {
  gemm_packed(c, a, b, M, N, K, K, 1, 1, K, alpha, beta);
}
export function gemm_tn_packed(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32, alpha: f32, beta: f32): void {
  gemm_packed(c, a, b, M, N, K, 1, M, N, 1, alpha, beta);
}
