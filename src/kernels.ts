/**
 * The kernel ABI that both backends implement, name for name with assembly/index.ts.
 * Pointers are BYTE offsets into the backend's memory, sizes are element counts. Kernels trust
 * their arguments: the Network checks everything before any kernel runs.
 */
export interface Kernels {
  /** C (M×N) = α·A (M×K)·B (K×N) + β·C; β = 0 ignores C's old contents */
  gemm_nn(c: number, a: number, b: number, M: number, N: number, K: number, alpha: number, beta: number): void;
  /** C (M×N) = α·A (M×K)·B (N×K)ᵀ + β·C */
  gemm_nt(c: number, a: number, b: number, M: number, N: number, K: number, alpha: number, beta: number): void;
  /** C (M×N) = α·A (K×M)ᵀ·B (K×N) + β·C */
  gemm_tn(c: number, a: number, b: number, M: number, N: number, K: number, alpha: number, beta: number): void;
  /** z[i, j] += b[i] for z (rows × cols) */
  bias_add(z: number, b: number, rows: number, cols: number): void;
  /** db[i] = α·Σ_j dz[i, j] */
  row_sum(db: number, dz: number, rows: number, cols: number, alpha: number): void;
  /** z[i, j] += b[i] for z (rows × cols), then a = σ(z) (a may alias z); likewise bias_tanh, … */
  bias_sigmoid(a: number, z: number, b: number, rows: number, cols: number): void;
  bias_tanh(a: number, z: number, b: number, rows: number, cols: number): void;
  bias_relu(a: number, z: number, b: number, rows: number, cols: number): void;
  bias_leaky_relu(a: number, z: number, b: number, rows: number, cols: number): void;
  /** z[i, j] += b[i], a = z (a copy unless a = z) */
  bias_linear(a: number, z: number, b: number, rows: number, cols: number): void;
  sigmoid_forward(a: number, z: number, n: number): void;
  sigmoid_backward(dz: number, da: number, a: number, z: number, n: number): void;
  tanh_forward(a: number, z: number, n: number): void;
  tanh_backward(dz: number, da: number, a: number, z: number, n: number): void;
  relu_forward(a: number, z: number, n: number): void;
  relu_backward(dz: number, da: number, a: number, z: number, n: number): void;
  leaky_relu_forward(a: number, z: number, n: number): void;
  leaky_relu_backward(dz: number, da: number, a: number, z: number, n: number): void;
  /** binary cross-entropy from logits z against targets y (n = n_y·m values), divided by m */
  bce_cost(z: number, y: number, n: number, m: number): number;
  /** dz = a − y */
  sigmoid_bce_backward(dz: number, a: number, y: number, n: number): void;
  /** p −= lr·g over n floats */
  sgd_update(p: number, g: number, n: number, lr: number): void;
}

/**
 * Kept beside the fast kernels for testing and benchmarks: the scalar reference products, and the
 * packed-and-blocked path of each product forced at any size (gemm_* choose it for large sizes).
 */
export interface ReferenceKernels {
  gemm_nn_packed: Kernels['gemm_nn'];
  gemm_nt_packed: Kernels['gemm_nt'];
  gemm_tn_packed: Kernels['gemm_tn'];
  gemm_nn_ref: Kernels['gemm_nn'];
  gemm_nt_ref: Kernels['gemm_nt'];
  gemm_tn_ref: Kernels['gemm_tn'];
  /** bce_cost term by term in float64, the reference of the SIMD bce_cost */
  bce_cost_ref: Kernels['bce_cost'];
}

export const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'leakyRelu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** The kernels of each activation: forward (a = g(z)), biasForward (z += b, a = g(z)), backward. */
export function activationKernels(k: Kernels, act: Activation) {
  switch (act) {
    case 'sigmoid': return { forward: k.sigmoid_forward, biasForward: k.bias_sigmoid, backward: k.sigmoid_backward };
    case 'tanh': return { forward: k.tanh_forward, biasForward: k.bias_tanh, backward: k.tanh_backward };
    case 'relu': return { forward: k.relu_forward, biasForward: k.bias_relu, backward: k.relu_backward };
    case 'leakyRelu': return { forward: k.leaky_relu_forward, biasForward: k.bias_leaky_relu, backward: k.leaky_relu_backward };
  }
}
