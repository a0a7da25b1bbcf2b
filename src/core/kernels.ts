import type { Activation } from './architecture.js';
import { DENSE_MAX_K, GRADS_MAX_IN } from './split-work.js';

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
  bias_identity(a: number, z: number, b: number, rows: number, cols: number): void;
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
  output_delta(dz: number, a: number, y: number, n: number): void;
  /**
   * (wasm only) bias_sigmoid, and into ev (rows × cols) the e^-min(|z|, 87.3) that bce_cost's
   * terms start from; bce_cost_e is then bce_cost bit for bit, without its exponentials
   */
  bias_sigmoid_e?(a: number, z: number, b: number, ev: number, rows: number, cols: number): void;
  bce_cost_e?(z: number, y: number, ev: number, n: number, m: number): number;
  /**
   * (wasm only) a dense tanh layer's forward, gemm_nn(z, w, x, rows, cols, K, 1, 0) then
   * bias_tanh(a, z, b, rows, cols) bit for bit, in one pass (for K ≤ DENSE_MAX_K)
   */
  dense_tanh?(a: number, z: number, w: number, x: number, b: number, rows: number, cols: number, K: number): void;
  /**
   * (wasm only) a tanh layer's dZ from the layer above: gemm_tn(dz, w, dzo, M, N, K, 1, 0) then
   * tanh_backward(dz, dz, a, z, M·N) bit for bit, in one pass (for K ≤ DENSE_MAX_K)
   */
  tanh_backward_tn?(dz: number, w: number, dzo: number, a: number, M: number, N: number, K: number): void;
  /** (wasm only) gemm_nt(dw, dz, a, M, N, K, α, 0) then row_sum(db, dz, M, K, α), bit for bit, in one pass (N = 1 or 2) */
  gemm_nt_row_sum?(dw: number, db: number, dz: number, a: number, M: number, N: number, K: number, alpha: number): void;
  /** p −= lr·g over n floats */
  sgd_update(p: number, g: number, n: number, lr: number): void;

  // ---- other outputs, losses, optimizers and regularisation ----
  /** a[:, j] = softmax(z[:, j]) for z, a (rows × cols), one column per example */
  softmax_forward(a: number, z: number, rows: number, cols: number): void;
  /** a = z (identity output) */
  identity_forward(a: number, z: number, n: number): void;
  /** dz = da */
  identity_backward(dz: number, da: number, a: number, z: number, n: number): void;
  /** categorical cross-entropy from logits z (rows × cols) against y, divided by cols (log-sum-exp) */
  cce_cost(z: number, y: number, rows: number, cols: number): number;
  /** (1/(2m)) Σ (a − y)² over n = n_y·m values */
  mse_cost(a: number, y: number, n: number, m: number): number;
  /** v = β·v + (1 − β)·g;  p −= lr·v */
  momentum_update(p: number, v: number, g: number, n: number, lr: number, beta: number): void;
  /** s = β·s + (1 − β)·g²;  p −= lr·g / (√s + ε) */
  rmsprop_update(p: number, s: number, g: number, n: number, lr: number, beta: number, eps: number): void;
  /** Adam; c1 = 1/(1 − β1^t), c2 = 1/(1 − β2^t): p −= lr·(c1·v) / (√(c2·s) + ε) */
  adam_update(p: number, v: number, s: number, g: number, n: number,
              lr: number, beta1: number, beta2: number, eps: number, c1: number, c2: number): void;
  /** dw += scale·w */
  l2_grad_add(dw: number, w: number, n: number, scale: number): void;
  /** Σ w² in float64 */
  sum_squares(w: number, n: number): number;
  /** 1 if all n floats at w are finite, else 0 (what sum_squares's finiteness says, without its float64 chain) */
  all_finite(w: number, n: number): number;
  /** x = x ⊙ mask · scale (mask 0/1, scale = 1/keep): inverted dropout, forward and backward */
  dropout_apply(x: number, mask: number, n: number, scale: number): void;
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

/**
 * The block kernels of the wasm module's shared-memory builds (assembly/threads.ts), for threads:
 * gemm_*_part computes the block i0 ≤ i < i1, j0 ≤ j < j1 of the product gemm_*
 * computes, bit for bit (j0 and j1 multiples of 8, or N), with `scratch` as the packed path's
 * buffers (gemm_scratch_bytes() bytes, 64-byte aligned; 0 for the module's own, which only one
 * thread at a time may use); bias_<act>_part runs bias_<act> on the columns j0 ≤ j < j1 of z and
 * a (rows × cols).
 */
export interface PartKernels {
  gemm_nn_part(c: number, scratch: number, a: number, b: number, M: number, N: number, K: number,
               i0: number, i1: number, j0: number, j1: number, alpha: number, beta: number): void;
  gemm_nt_part: PartKernels['gemm_nn_part'];
  gemm_tn_part: PartKernels['gemm_nn_part'];
  gemm_scratch_bytes(): number;
  bias_sigmoid_part(a: number, z: number, b: number, rows: number, cols: number, j0: number, j1: number): void;
  bias_tanh_part: PartKernels['bias_sigmoid_part'];
  bias_relu_part: PartKernels['bias_sigmoid_part'];
  bias_leaky_relu_part: PartKernels['bias_sigmoid_part'];
  bias_identity_part: PartKernels['bias_sigmoid_part'];
  /** columns j0 ≤ j < j1 of dense_tanh's z and a (j0 a multiple of 16) */
  dense_tanh_part(a: number, z: number, w: number, x: number, b: number, rows: number, cols: number, K: number, j0: number, j1: number): void;
  /** rows i0 ≤ i < i1 of tanh_backward_tn's dz */
  tanh_backward_tn_part(dz: number, w: number, dzo: number, a: number, M: number, N: number, K: number, i0: number, i1: number): void;
}

type ElementKernel = (a: number, z: number, n: number) => void;
type BiasKernel = (a: number, z: number, b: number, rows: number, cols: number) => void;
type BackKernel = (dz: number, da: number, a: number, z: number, n: number) => void;

/** A dense layer's forward in one call: Z = W·A_in (nOut × m, from W (nOut × nIn) and A_in (nIn × m)), then Z += b, A = g(Z). */
export type LayerForward = (z: number, a: number, w: number, ain: number, b: number, nOut: number, m: number, nIn: number) => void;

/** A layer's two backward products: dW = α·dZ·A_inᵀ (nOut × nIn) and dA_in = Wᵀ·dZ (nIn × m). */
export type BackProducts = (dW: number, dA: number, dZ: number, ain: number, w: number, nOut: number, nIn: number, m: number, alpha: number) => void;

/**
 * A layer's gradients where no dA is wanted (the first layer: X needs none): dW = α·dZ·A_inᵀ
 * (nOut × nIn) and db = α·Σ_columns dZ (nOut).
 */
export type WeightGradients = (dW: number, db: number, dZ: number, ain: number, nOut: number, nIn: number, m: number, alpha: number) => void;

/**
 * A layer's backward products and the previous layer's g' in one call: dW = α·dZ·A_inᵀ, then
 * dZ_in = (Wᵀ·dZ) ⊙ g'(Z_in), written into dA (a and z: the previous layer's A and Z, nIn × m).
 */
export type LayerBackward = (dW: number, dA: number, dZ: number, ain: number, w: number, a: number, z: number,
  nOut: number, nIn: number, m: number, alpha: number) => void;

/**
 * Kernels that also run a dense layer's steps as one dispatch over threads (the wasm backend on
 * threads): the forward (each thread its block of Z, then that block's bias and activation, for
 * an activation they have that for, or undefined), the two backward products together, and those
 * with the previous layer's g' (each thread its block of rows of dA, then g' on it), and the first
 * layer's dW and db (each thread its block of rows of both).
 */
export interface FusedKernels {
  fusedLayerForward(act: Activation): LayerForward | undefined;
  backProducts: BackProducts;
  fusedLayerBackward(act: Activation): LayerBackward | undefined;
  weightGradients: WeightGradients;
}

/** The two backward products: one dispatch where the kernels have it, else the two calls. */
export function backProducts(k: Kernels): BackProducts {
  return (k as Kernels & Partial<FusedKernels>).backProducts ?? ((dW, dA, dZ, ain, w, nOut, nIn, m, alpha) => {
    k.gemm_nt(dW, dZ, ain, nOut, nIn, m, alpha, 0); // dW = α·dZ·A_inᵀ
    k.gemm_tn(dA, w, dZ, nIn, m, nOut, 1, 0); //      dA_in = Wᵀ·dZ
  });
}

/** The first layer's dW and db: one dispatch where the kernels have it, else the two calls. */
export function weightGradients(k: Kernels): WeightGradients {
  const fused = k.gemm_nt_row_sum;
  return (k as Kernels & Partial<FusedKernels>).weightGradients ?? ((dW, db, dZ, ain, nOut, nIn, m, alpha) => {
    if (fused !== undefined && nIn <= GRADS_MAX_IN) {
      fused(dW, db, dZ, ain, nOut, nIn, m, alpha); // the two calls below in one pass over dZ, the same bits
      return;
    }
    k.gemm_nt(dW, dZ, ain, nOut, nIn, m, alpha, 0); // dW = α·dZ·A_inᵀ
    k.row_sum(db, dZ, nOut, m, alpha); //              db = α·Σ_cols dZ
  });
}

/**
 * The kernels of each activation: forward (a = g(z)), biasForward (z += b, then a = g(z), in one
 * pass where there is a fused kernel) and backward. `rows` is the layer's size: softmax works per
 * column, so its forward takes n = rows·m and splits it. Softmax has no backward of its own: it is
 * only an output, where dZ = A − Y comes straight from the loss. layerForward is the layer's
 * product and biasForward together.
 */
export interface ActivationKernels {
  forward: ElementKernel;
  biasForward: BiasKernel;
  backward: BackKernel;
  /** the product and biasForward: fused over threads where the kernels have it, else the two calls */
  layerForward: LayerForward;
  /** the next layer's backward products, then backward on the dA they give: fused over threads where the kernels have it */
  layerBackward: LayerBackward;
}

export { DENSE_MAX_K };

/** Z = W·A_in, then Z += b, A = g(Z): one kernel where the module has it (dense_tanh), else two */
function plainLayerForward(k: Kernels, act: Activation, biasForward: Kernels['bias_tanh']): LayerForward {
  const dense = act === 'tanh' ? k.dense_tanh : undefined;
  return (z, a, w, ain, b, nOut, m, nIn) => {
    if (dense !== undefined && nIn <= DENSE_MAX_K) {
      dense(a, z, w, ain, b, nOut, m, nIn); // the same bits as the two calls below
      return;
    }
    k.gemm_nn(z, w, ain, nOut, m, nIn, 1, 0); // Z = W·A_in
    biasForward(a, z, b, nOut, m); //             Z += b, A = g(Z)
  };
}

/**
 * dW = α·dZ·A_inᵀ, dA = Wᵀ·dZ, then dZ_in = dA ⊙ g'(Z_in): the last two as one kernel where the
 * module has it (tanh_backward_tn, for layers of ≤ DENSE_MAX_K units), the same bits
 */
function plainLayerBackward(k: Kernels, act: Activation, backward: Kernels['tanh_backward'], products: BackProducts): LayerBackward {
  const fused = act === 'tanh' ? k.tanh_backward_tn : undefined;
  return (dW, dA, dZ, ain, w, a, z, nOut, nIn, m, alpha) => {
    if (fused !== undefined && nOut <= DENSE_MAX_K) {
      k.gemm_nt(dW, dZ, ain, nOut, nIn, m, alpha, 0); // dW = α·dZ·A_inᵀ
      fused(dA, w, dZ, a, nIn, m, nOut); //             dZ_in = (Wᵀ·dZ) ⊙ (1 − A_in²)
      return;
    }
    products(dW, dA, dZ, ain, w, nOut, nIn, m, alpha); // dW = α·dZ·A_inᵀ, dA = Wᵀ·dZ
    backward(dA, dA, a, z, nIn * m); //                   dZ_in = dA ⊙ g'(Z_in)
  };
}

export function activationKernels(k: Kernels, act: Activation, rows = 1): ActivationKernels {
  const own = elementKernels(k, act, rows);
  const fk = k as Kernels & Partial<FusedKernels>;
  const products = backProducts(k);
  return {
    ...own,
    layerForward: fk.fusedLayerForward?.(act) ?? plainLayerForward(k, act, own.biasForward),
    layerBackward: fk.fusedLayerBackward?.(act) ?? plainLayerBackward(k, act, own.backward, products),
  };
}

function elementKernels(k: Kernels, act: Activation, rows: number): Omit<ActivationKernels, 'layerForward' | 'layerBackward'> {
  switch (act) {
    case 'softmax': return {
      forward: (a, z, n) => k.softmax_forward(a, z, rows, (n / rows) | 0),
      biasForward: (a, z, b, r, cols) => {
        k.bias_add(z, b, r, cols);
        k.softmax_forward(a, z, r, cols);
      },
      backward: () => { throw new Error('wasm-mlp internal: softmax has no element-wise backward (dZ = A − Y at the output)'); },
    };
    case 'linear': return { forward: k.identity_forward, biasForward: k.bias_identity, backward: k.identity_backward };
    case 'sigmoid': return { forward: k.sigmoid_forward, biasForward: k.bias_sigmoid, backward: k.sigmoid_backward };
    case 'tanh': return { forward: k.tanh_forward, biasForward: k.bias_tanh, backward: k.tanh_backward };
    case 'relu': return { forward: k.relu_forward, biasForward: k.bias_relu, backward: k.relu_backward };
    case 'leakyRelu': return { forward: k.leaky_relu_forward, biasForward: k.bias_leaky_relu, backward: k.leaky_relu_backward };
  }
}
