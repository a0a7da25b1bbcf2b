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
  // dz is (rows × cols), db is (rows × 1): db[i] = α Σ_j dz[i, j]
  let p = dz;
  for (let i = 0; i < rows; i++) {
    let acc = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      acc = f32x4.add(acc, v128.load(p));
      p += 16;
    }
    let s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) +
            f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
    for (; j < cols; j++) {
      s += load<f32>(p);
      p += 4;
    }
    store<f32>(db + (<usize>i << 2), alpha * s);
  }
}
