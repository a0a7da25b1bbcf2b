// The bias parts of a dense layer: broadcasting b over the columns of Z, and db = α·rowsum(dZ).
import { hsum, madd } from './simd';

export function bias_add(z: usize, b: usize, rows: i32, cols: i32): void {
  // z is (rows × cols), b is (rows × 1): z[i, j] += b[i]
  let p = z;
  for (let i = 0; i < rows; i++) {
    const bi = load<f32>(b + (<usize>i << 2));
    const bv = f32x4.splat(bi);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      v128.store(p, f32x4.add(v128.load(p), bv));
      p += 16;
    }
    for (; j < cols; j++) {
      store<f32>(p, load<f32>(p) + bi);
      p += 4;
    }
  }
}

export function row_sum(db: usize, dz: usize, rows: i32, cols: i32, alpha: f32): void {
  // dz is (rows × cols), db is (rows × 1): db[i] = α Σ_j dz[i, j]. Four vector accumulators (j mod
  // 16 in 0–3, 4–7, 8–11, 12–15; then whole vectors into the first): four chains of adds, where one
  // chain waited an add's latency every 4 elements. Reduced (0 + 1) + (2 + 3), then a scalar tail.
  let p = dz;
  for (let i = 0; i < rows; i++) {
    let acc0 = f32x4.splat(0), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    let j = 0;
    for (; j + 16 <= cols; j += 16) {
      acc0 = f32x4.add(acc0, v128.load(p));
      acc1 = f32x4.add(acc1, v128.load(p, 16));
      acc2 = f32x4.add(acc2, v128.load(p, 32));
      acc3 = f32x4.add(acc3, v128.load(p, 48));
      p += 64;
    }
    for (; j + 4 <= cols; j += 4) {
      acc0 = f32x4.add(acc0, v128.load(p));
      p += 16;
    }
    let s = hsum(f32x4.add(f32x4.add(acc0, acc1), f32x4.add(acc2, acc3)));
    for (; j < cols; j++) {
      s += load<f32>(p);
      p += 4;
    }
    store<f32>(db + (<usize>i << 2), alpha * s);
  }
}

// The first layer's gradients on one or two inputs in one pass over dz (M × K): dw (M × N) =
// α·dz·aᵀ for a (N × K, N = 1 or 2: planar's and most 2-D data's first layer) and db = α·Σ_k dz,
// bit for bit gemm_nt(dw, dz, a, M, N, K, α, 0) then row_sum(db, dz, M, K, α): each dW element
// by dot()'s sequence (gemm.ts: accumulators for k mod 8 in 0–3 and 4–7, a last whole vector into
// the first, the sum reduced, a scalar tail) and each db by row_sum's (four accumulators for
// k mod 16, then whole vectors into the first), both from the same loads of dz.
export function gemm_nt_row_sum(dw: usize, db: usize, dz: usize, a: usize, M: i32, N: i32, K: i32, alpha: f32): void {
  if (N == 1) nt_row_sum_rows(dw, db, dz, a, M, K, alpha, 1);
  else nt_row_sum_rows(dw, db, dz, a, M, K, alpha, 2);
}

@inline function nt_row_sum_rows(dw: usize, db: usize, dz: usize, a: usize, M: i32, K: i32, alpha: f32, N: i32): void {
  const rowK = <usize>K << 2;
  const a0 = a, a1 = a + rowK; // (a1 is read only when N = 2)
  for (let i = 0; i < M; i++) {
    const zr = dz + <usize>i * rowK;
    let s0 = f32x4.splat(0), u0 = s0, s1 = s0, u1 = s0;
    let r0 = s0, r1 = s0, r2 = s0, r3 = s0;
    let k = 0;
    for (; k + 16 <= K; k += 16) {
      const o = <usize>k << 2;
      const v0 = v128.load(zr + o), v1 = v128.load(zr + o, 16), v2 = v128.load(zr + o, 32), v3 = v128.load(zr + o, 48);
      r0 = f32x4.add(r0, v0); r1 = f32x4.add(r1, v1); r2 = f32x4.add(r2, v2); r3 = f32x4.add(r3, v3);
      s0 = madd(s0, v0, v128.load(a0 + o)); u0 = madd(u0, v1, v128.load(a0 + o, 16));
      s0 = madd(s0, v2, v128.load(a0 + o, 32)); u0 = madd(u0, v3, v128.load(a0 + o, 48));
      if (N == 2) {
        s1 = madd(s1, v0, v128.load(a1 + o)); u1 = madd(u1, v1, v128.load(a1 + o, 16));
        s1 = madd(s1, v2, v128.load(a1 + o, 32)); u1 = madd(u1, v3, v128.load(a1 + o, 48));
      }
    }
    // the rest as each kernel takes it: row_sum's whole vectors into its first accumulator, dot()'s
    // pairs of vectors, then a last one into its first
    for (let kr = k; kr + 4 <= K; kr += 4) r0 = f32x4.add(r0, v128.load(zr + (<usize>kr << 2)));
    for (; k + 8 <= K; k += 8) {
      const o = <usize>k << 2;
      const v0 = v128.load(zr + o), v1 = v128.load(zr + o, 16);
      s0 = madd(s0, v0, v128.load(a0 + o)); u0 = madd(u0, v1, v128.load(a0 + o, 16));
      if (N == 2) { s1 = madd(s1, v0, v128.load(a1 + o)); u1 = madd(u1, v1, v128.load(a1 + o, 16)); }
    }
    if (k + 4 <= K) {
      const o = <usize>k << 2;
      const v0 = v128.load(zr + o);
      s0 = madd(s0, v0, v128.load(a0 + o));
      if (N == 2) s1 = madd(s1, v0, v128.load(a1 + o));
      k += 4;
    }
    let sb = hsum(f32x4.add(f32x4.add(r0, r1), f32x4.add(r2, r3))); // row_sum's reduction
    let t0 = hsum(f32x4.add(s0, u0)), t1 = hsum(f32x4.add(s1, u1)); // dot()'s
    for (; k < K; k++) {
      const o = <usize>k << 2;
      const x = load<f32>(zr + o);
      sb += x;
      t0 += x * load<f32>(a0 + o);
      if (N == 2) t1 += x * load<f32>(a1 + o);
    }
    store<f32>(dw + (<usize>(i * N) << 2), alpha * t0);
    if (N == 2) store<f32>(dw + (<usize>(i * N + 1) << 2), alpha * t1);
    store<f32>(db + (<usize>i << 2), alpha * sb);
  }
}
