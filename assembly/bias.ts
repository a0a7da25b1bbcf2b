// The bias parts of a dense layer: broadcasting b over the columns of Z, and db = α·rowsum(dZ).

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
    const acc = f32x4.add(f32x4.add(acc0, acc1), f32x4.add(acc2, acc3));
    let s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) +
            f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
    for (; j < cols; j++) {
      s += load<f32>(p);
      p += 4;
    }
    store<f32>(db + (<usize>i << 2), alpha * s);
  }
}
