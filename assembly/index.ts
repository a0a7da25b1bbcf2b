// The export list of the kernel module. Every export takes byte pointers, i32 sizes and f32
// scalars and trusts them: the TypeScript driver checks everything before calling. The
// shared-memory builds (threads) start from threads.ts, which adds the block kernels.
export {
  gemm_nn, gemm_nt, gemm_tn, gemm_nn_ref, gemm_nt_ref, gemm_tn_ref,
} from './gemm';
export { gemm_nn_packed, gemm_nt_packed, gemm_tn_packed } from './gemm-packed';
export { bias_add, row_sum, gemm_nt_row_sum } from './bias';
export {
  bias_sigmoid, bias_sigmoid_e, bias_tanh, dense_tanh, bias_relu, bias_leaky_relu, bias_identity, sigmoid_forward,
  sigmoid_backward, tanh_forward, tanh_backward, tanh_backward_tn,
  relu_forward, relu_backward, leaky_relu_forward, leaky_relu_backward,
} from './activations';
export { bce_cost, bce_cost_e, bce_cost_ref, output_delta, cce_cost, mse_cost } from './loss';
export { sgd_update, momentum_update, rmsprop_update, adam_update } from './optim';

export { softmax_forward, identity_forward, identity_backward } from './outputs';
export { l2_grad_add, sum_squares, all_finite, dropout_apply } from './regularize';

// First byte the host may use for its arena (after the module's static data), 64-byte aligned.
export function arena_base(): usize {
  return (__heap_base + 63) & ~(<usize>63);
}
