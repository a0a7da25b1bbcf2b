// Pure JS twins of assembly/bias.ts.

export function bias_add(h: Float32Array, z: number, b: number, rows: number, cols: number): void {
  // z is (rows × cols), b is (rows × 1): z[i, j] += b[i]
  const z0 = z >> 2, b0 = b >> 2;
  for (let i = 0; i < rows; i++) {
    const bi = h[b0 + i];
    const zi = z0 + i * cols;
    for (let j = 0; j < cols; j++) h[zi + j] += bi;
  }
}

export function row_sum(h: Float32Array, db: number, dz: number, rows: number, cols: number, alpha: number): void {
  // db[i] = α Σ_j dz[i, j]
  const d0 = db >> 2, z0 = dz >> 2;
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const zi = z0 + i * cols;
    for (let j = 0; j < cols; j++) s += h[zi + j];
    h[d0 + i] = alpha * s;
  }
}
