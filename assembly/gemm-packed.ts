// Matrix products, packed and blocked: the path gemm.ts takes for large products (see use_packed).
// Same forms and signatures as gemm.ts; gemm_*_packed force this path for the tests.

import { put1, put4, madd } from './simd';


// For products too large for the caches, the blocks of op(A) and op(B) are first copied
// ("packed") into contiguous, zero-padded panels: op(A) as MR-row panels (for each k, MR values),
// op(B) as NR-column panels (for each k, NR values). The micro-kernel then streams two short
// contiguous panels (MR·KC and NR·KC floats: 4–6 and 8 KiB, L1-resident) with MR·NR sums in
// registers, whatever the form (nn, nt, tn) and the strides were. Blocks: KC values of k (one
// pass of the micro-kernel), MC rows of op(A) (≈ 128 KiB, L2), NC columns of op(B).
// The tile is 6 × 8 in the relaxed-SIMD builds and 4 × 8 in the plain ones. A fused multiply-add
// has a latency of about 4 cycles on 2 ports, so at least 8 independent sums must be in flight;
// 6 × 8 keeps 12, which Chromium's V8 needed to come near the FMA peak (Node 20's reached it with
// 4 × 8 already; README, "How the kernels get there"), while the plain builds' separate multiply
// and add need registers for the products, and were slower with 6 × 8 in both engines.
const MR = ASC_FEATURE_RELAXED_SIMD ? 6 : 4;
const NR = 8;
const KC = 256;
const MC = MR * (ASC_FEATURE_RELAXED_SIMD ? 21 : 32);
const NC = 512;
// The scratch of one call: PACK_A (MC·KC floats), PACK_B (KC·NC floats), C_TILE (MR·NR floats).
// A call gets it as a pointer: 0 means the module's own (static) scratch, for one thread at a time;
// every further thread that runs products on the same memory passes a region of its own.
const PACK_B_AT: usize = MC * KC * 4;
const C_TILE_AT: usize = PACK_B_AT + KC * NC * 4;
const SCRATCH_BYTES: i32 = <i32>C_TILE_AT + MR * NR * 4;
const OWN_SCRATCH = memory.data(SCRATCH_BYTES, 64);

/** bytes of scratch one thread's packed products need (a region passed to gemm_*_part; 64-byte aligned) */
export function gemm_scratch_bytes(): i32 {
  return SCRATCH_BYTES;
}

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

// op(A)(i, k) = A[i·ars + k·aks] for i in [i0, i0 + mc), k in [k0, k0 + kc), into PACK_A (at dst)
function pack_a(dst: usize, a: usize, i0: i32, k0: i32, mc: i32, kc: i32, ars: i32, aks: i32): void {
  const panelStep: usize = MR << 2; // bytes of one k of a panel
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    if (ars == 1 && rows == MR) {
      // the MR values of one k are adjacent (the tn form): one vector (and two floats) per k
      let src = a + ((<usize>(i0 + ir) + <usize>k0 * <usize>aks) << 2);
      const step = <usize>aks << 2;
      for (let k = 0; k < kc; k++) {
        v128.store(dst, v128.load(src));
        if (MR == 6) store<u64>(dst, load<u64>(src, 16), 16);
        src += step; dst += panelStep;
      }
    } else if (aks == 1 && rows == MR) {
      // the nn form: MR rows, each contiguous along k; 4 × 4 transposes of rows 0–3 (and rows 4–5
      // interleaved in pairs), then a scalar tail
      const src = a + ((<usize>(i0 + ir) * <usize>ars + <usize>k0) << 2);
      const step = <usize>ars << 2;
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const o = <usize>k << 2;
        transpose4(src + o, step, dst, panelStep);
        if (MR == 6) {
          const r4 = v128.load(src + 4 * step + o), r5 = v128.load(src + 5 * step + o);
          const lo = i32x4.shuffle(r4, r5, 0, 4, 1, 5), hi = i32x4.shuffle(r4, r5, 2, 6, 3, 7);
          v128.store64_lane(dst + 16, lo, 0);
          v128.store64_lane(dst + 16 + panelStep, lo, 1);
          v128.store64_lane(dst + 16 + 2 * panelStep, hi, 0);
          v128.store64_lane(dst + 16 + 3 * panelStep, hi, 1);
        }
        dst += 4 * panelStep;
      }
      for (; k < kc; k++) {
        for (let r = 0; r < MR; r++) store<f32>(dst + (<usize>r << 2), load<f32>(src + <usize>r * step + (<usize>k << 2)));
        dst += panelStep;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        for (let r = 0; r < MR; r++) {
          store<f32>(dst + (<usize>r << 2), r < rows
            ? load<f32>(a + ((<usize>(i0 + ir + r) * <usize>ars + <usize>(k0 + k) * <usize>aks) << 2))
            : 0);
        }
        dst += panelStep;
      }
    }
  }
}

// op(B)(k, j) = B[k·bks + j·bjs] for k in [k0, k0 + kc), j in [j0, j0 + nc), into PACK_B (at dst)
function pack_b(dst: usize, b: usize, k0: i32, j0: i32, kc: i32, nc: i32, bks: i32, bjs: i32): void {
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

// C[0..rows, 0..cols] (row stride rowC bytes) = α·(A panel · B panel) + β·C, over kc values of k,
// with an MR × 8 tile of sums in registers (rows 4 and 5 only in the 6-row builds: MR is a
// compile-time constant, so each build has one loop); an edge tile goes through the floats at tile
function micro_tile(c: usize, tile: usize, pa: usize, pb: usize, kc: i32, rowC: usize, rows: i32, cols: i32,
                    alpha: f32, beta: f32): void {
  let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s10 = f32x4.splat(0), s11 = f32x4.splat(0);
  let s20 = f32x4.splat(0), s21 = f32x4.splat(0), s30 = f32x4.splat(0), s31 = f32x4.splat(0);
  let s40 = f32x4.splat(0), s41 = f32x4.splat(0), s50 = f32x4.splat(0), s51 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    const x0 = v128.load32_splat(pa), x1 = v128.load32_splat(pa, 4);
    const x2 = v128.load32_splat(pa, 8), x3 = v128.load32_splat(pa, 12);
    s00 = madd(s00, x0, b0); s01 = madd(s01, x0, b1);
    s10 = madd(s10, x1, b0); s11 = madd(s11, x1, b1);
    s20 = madd(s20, x2, b0); s21 = madd(s21, x2, b1);
    s30 = madd(s30, x3, b0); s31 = madd(s31, x3, b1);
    if (MR == 6) {
      const x4 = v128.load32_splat(pa, 16), x5 = v128.load32_splat(pa, 20);
      s40 = madd(s40, x4, b0); s41 = madd(s41, x4, b1);
      s50 = madd(s50, x5, b0); s51 = madd(s51, x5, b1);
    }
    pa += MR << 2; pb += NR << 2;
  }
  const va = f32x4.splat(alpha);
  if (rows == MR && cols == NR) {
    put4(c, s00, va, beta); put4(c + 16, s01, va, beta);
    put4(c + rowC, s10, va, beta); put4(c + rowC + 16, s11, va, beta);
    put4(c + 2 * rowC, s20, va, beta); put4(c + 2 * rowC + 16, s21, va, beta);
    put4(c + 3 * rowC, s30, va, beta); put4(c + 3 * rowC + 16, s31, va, beta);
    if (MR == 6) {
      put4(c + 4 * rowC, s40, va, beta); put4(c + 4 * rowC + 16, s41, va, beta);
      put4(c + 5 * rowC, s50, va, beta); put4(c + 5 * rowC + 16, s51, va, beta);
    }
    return;
  }
  // an edge tile: through the tile buffer, then only the rows × cols that exist
  v128.store(tile, s00); v128.store(tile, s01, 16);
  v128.store(tile, s10, 32); v128.store(tile, s11, 48);
  v128.store(tile, s20, 64); v128.store(tile, s21, 80);
  v128.store(tile, s30, 96); v128.store(tile, s31, 112);
  if (MR == 6) {
    v128.store(tile, s40, 128); v128.store(tile, s41, 144);
    v128.store(tile, s50, 160); v128.store(tile, s51, 176);
  }
  put_edge(c, tile, rowC, rows, cols, alpha, beta);
}

// an edge tile's rows × cols that exist, from the tile buffer (row stride NR)
function put_edge(c: usize, tile: usize, rowC: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      put1(c + <usize>r * rowC + (<usize>j << 2), load<f32>(tile + ((<usize>(r * NR + j)) << 2)), alpha, beta);
    }
  }
}

// The block i0 ≤ i < i1, j0 ≤ j < j1 of C (M × N) = α·op(A)·op(B) + β·C. Every C(i, j) gets the
// same float operations in the same order (the k blocks, then each block's sum in k order)
// wherever the block starts and ends, so a product split over threads gives the bits of the whole.
export function gemm_packed(c: usize, scratch: usize, a: usize, b: usize, M: i32, N: i32, K: i32,
                            ars: i32, aks: i32, bks: i32, bjs: i32, i0: i32, i1: i32, j0: i32, j1: i32,
                            alpha: f32, beta: f32): void {
  const packA = scratch == 0 ? OWN_SCRATCH : scratch;
  const packB = packA + PACK_B_AT, tile = packA + C_TILE_AT;
  const rowC = <usize>N << 2;
  for (let jc = j0; jc < j1; jc += NC) {
    const nc = min(NC, j1 - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      // the first k block applies β; the later ones accumulate onto it
      const bp: f32 = pc == 0 ? beta : 1;
      pack_b(packB, b, pc, jc, kc, nc, bks, bjs);
      for (let ic = i0; ic < i1; ic += MC) {
        const mc = min(MC, i1 - ic);
        pack_a(packA, a, ic, pc, mc, kc, ars, aks);
        for (let jr = 0; jr < nc; jr += NR) {
          const pb = packB + ((<usize>jr * <usize>kc) << 2);
          const cj = c + ((<usize>(jc + jr)) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const cp = cj + <usize>(ic + ir) * rowC, pa = packA + ((<usize>ir * <usize>kc) << 2);
            micro_tile(cp, tile, pa, pb, kc, rowC, min(MR, mc - ir), min(NR, nc - jr), alpha, bp);
          }
        }
      }
    }
  }
}

// Packing pays when every dimension is large enough to reuse the packed panels; small products
// (the planar network's 4 × 400 × 2, an output layer of 1 or 10 units) take the direct kernels.
@inline export function use_packed(M: i32, N: i32, K: i32): bool {
  return M >= PACK_MIN && N >= PACK_MIN && K >= PACK_MIN && <i64>M * <i64>N * <i64>K >= PACK_MIN_WORK;
}
const PACK_MIN = 16;
const PACK_MIN_WORK: i64 = 1 << 18;

export function gemm_nn_packed(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32, alpha: f32, beta: f32): void {
  gemm_packed(c, 0, a, b, M, N, K, K, 1, N, 1, 0, M, 0, N, alpha, beta);
}
export function gemm_nt_packed(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32, alpha: f32, beta: f32): void {
  gemm_packed(c, 0, a, b, M, N, K, K, 1, 1, K, 0, M, 0, N, alpha, beta);
}
export function gemm_tn_packed(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32, alpha: f32, beta: f32): void {
  gemm_packed(c, 0, a, b, M, N, K, 1, M, N, 1, 0, M, 0, N, alpha, beta);
}
