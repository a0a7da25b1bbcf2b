// The export list of the pure JS build, name for name with assembly/index.ts.
export { gemm_nn, gemm_nt, gemm_tn, gemm_nn_ref, gemm_nt_ref, gemm_tn_ref } from './gemm.js';
export { bias_add, row_sum } from './linear.js';
export {
  sigmoid_forward, sigmoid_backward, tanh_forward, tanh_backward,
  relu_forward, relu_backward, leaky_relu_forward, leaky_relu_backward,
} from './activations.js';
export { bce_cost, sigmoid_bce_backward } from './loss.js';
export { sgd_update } from './optim.js';
export { softmax_forward, linear_forward, linear_backward } from './outputs.js';
export { cce_cost, mse_cost } from './losses.js';
export { momentum_update, rmsprop_update, adam_update } from './optimizers.js';
export { l2_grad_add, sum_squares, dropout_apply } from './regularize.js';
