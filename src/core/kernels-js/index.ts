// The export list of the pure JS build, name for name with assembly/index.ts.
export { gemm_nn, gemm_nt, gemm_tn, gemm_nn_ref, gemm_nt_ref, gemm_tn_ref } from './gemm.js';
// the JS build does not pack: its "packed" entry points are the plain products
export { gemm_nn as gemm_nn_packed, gemm_nt as gemm_nt_packed, gemm_tn as gemm_tn_packed } from './gemm.js';
export { bias_add, row_sum } from './bias.js';
export {
  bias_sigmoid, bias_tanh, bias_relu, bias_leaky_relu, bias_identity, sigmoid_forward, sigmoid_backward, tanh_forward, tanh_backward,
  relu_forward, relu_backward, leaky_relu_forward, leaky_relu_backward,
} from './activations.js';
export { bce_cost, bce_cost as bce_cost_ref, output_delta, cce_cost, mse_cost } from './loss.js';
export { sgd_update, momentum_update, rmsprop_update, adam_update } from './optim.js';
export { softmax_forward, identity_forward, identity_backward } from './outputs.js';
export { l2_grad_add, sum_squares, all_finite, dropout_apply } from './regularize.js';
