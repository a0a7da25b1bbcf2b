// Pure JS twins of assembly/gemm.ts: the same products over a Float32Array heap, with the same
// byte-pointer arguments. gemm_nn and gemm_tn accumulate into the float32 rows of C (the loop
// order JS runs fastest); the dot products of gemm_nt and the references sum in float64.

// op(A)(i, k) = A[i·ars + k·aks], op(B)(k, j) = B[k·bks + j·bjs]; C is M×N with contiguous rows
function gemm(h: Float32Array, c: number, a: number, b: number, M: number, N: number, K: number,
              ars: number, aks: number, bks: number, bjs: number, alpha: number, beta: number): void {
  const c0 = c >> 2, a0 = a >> 2, b0 = b >> 2;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      let pa = a0 + i * ars, pb = b0 + j * bjs;
      for (let k = 0; k < K; k++, pa += aks, pb += bks) s += h[pa] * h[pb];
      const ci = c0 + i * N + j;
      h[ci] = beta === 0 ? alpha * s : alpha * s + beta * h[ci];
    }
  }
}

// Shared by gemm_nn and gemm_tn, as in assembly/gemm.ts: B (K×N) has contiguous rows, so the loops
// run i, k, j with the inner loop along rows of B and C; op(A)(i, k) = A[i·ars + k·aks].
function gemm_xn(h: Float32Array, c: number, a: number, b: number, M: number, N: number, K: number,
                 ars: number, aks: number, alpha: number, beta: number): void {
  const c0 = c >> 2, a0 = a >> 2, b0 = b >> 2;
  for (let i = 0; i < M; i++) {
    const ci = c0 + i * N;
    if (beta === 0) for (let j = 0; j < N; j++) h[ci + j] = 0;
    else for (let j = 0; j < N; j++) h[ci + j] *= beta;
    for (let k = 0; k < K; k++) {
      const x = alpha * h[a0 + i * ars + k * aks];
      const bk = b0 + k * N;
      for (let j = 0; j < N; j++) h[ci + j] += x * h[bk + j];
    }
  }
}

// C (M×N) = α·A·B + β·C with A (M×K)
export function gemm_nn(h: Float32Array, c: number, a: number, b: number, M: number, N: number, K: number,
                        alpha: number, beta: number): void {
  gemm_xn(h, c, a, b, M, N, K, K, 1, alpha, beta);
}

// C (M×N) = α·A·Bᵀ + β·C: every C(i, j) is a dot product of two contiguous rows.
export function gemm_nt(h: Float32Array, c: number, a: number, b: number, M: number, N: number, K: number,
                        alpha: number, beta: number): void {
  gemm(h, c, a, b, M, N, K, K, 1, 1, K, alpha, beta);
}

// C (M×N) = α·Aᵀ·B + β·C with A (K×M)
export function gemm_tn(h: Float32Array, c: number, a: number, b: number, M: number, N: number, K: number,
                        alpha: number, beta: number): void {
  gemm_xn(h, c, a, b, M, N, K, 1, M, alpha, beta);
}

export function gemm_nn_ref(h: Float32Array, c: number, a: number, b: number, M: number, N: number, K: number,
                            alpha: number, beta: number): void {
  gemm(h, c, a, b, M, N, K, K, 1, N, 1, alpha, beta);
}

export function gemm_nt_ref(h: Float32Array, c: number, a: number, b: number, M: number, N: number, K: number,
                            alpha: number, beta: number): void {
  gemm(h, c, a, b, M, N, K, K, 1, 1, K, alpha, beta);
}

export function gemm_tn_ref(h: Float32Array, c: number, a: number, b: number, M: number, N: number, K: number,
                            alpha: number, beta: number): void {
  gemm(h, c, a, b, M, N, K, 1, M, N, 1, alpha, beta);
}
