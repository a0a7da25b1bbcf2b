// The export list of the kernel module. Every export takes byte pointers, i32 sizes and f32
// scalars and trusts them: the TypeScript driver checks everything before calling.
export {
  gemm_nn, gemm_nt, gemm_tn, gemm_nn_ref, gemm_nt_ref, gemm_tn_ref, gemm_nn_part, gemm_nt_part, gemm_tn_part,
} from './gemm';
export { gemm_nn_packed, gemm_nt_packed, gemm_tn_packed, gemm_scratch_bytes } from './gemm-packed';
export { bias_add, row_sum } from './bias';
export {
  bias_sigmoid, bias_tanh, bias_relu, bias_leaky_relu, bias_identity, sigmoid_forward,
  bias_sigmoid_part, bias_tanh_part, bias_relu_part, bias_leaky_relu_part, bias_identity_part, sigmoid_backward, tanh_forward, tanh_backward,
  relu_forward, relu_backward, leaky_relu_forward, leaky_relu_backward,
} from './activations';
export { bce_cost, bce_cost_ref, output_delta, cce_cost, mse_cost } from './loss';
export { sgd_update, momentum_update, rmsprop_update, adam_update } from './optim';

export { softmax_forward, identity_forward, identity_backward } from './outputs';
export { l2_grad_add, sum_squares, dropout_apply } from './regularize';

// First byte the host may use for its arena (after the module's static data), 64-byte aligned.
export function arena_base(): usize {
  return (__heap_base + 63) & ~(<usize>63);
}
