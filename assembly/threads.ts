// The export list of the shared-memory builds (threads): every kernel of index.ts, and the block
// kernels the threads run (one block of a product, one block of columns of a bias + activation or
// of a tanh layer on few inputs, one block of rows of a tanh layer's dZ from a layer of few units
// above).
export * from './index';
export { gemm_nn_part, gemm_nt_part, gemm_tn_part } from './gemm';
export { gemm_scratch_bytes } from './gemm-packed';
export { bias_sigmoid_part, bias_tanh_part, bias_relu_part, bias_leaky_relu_part, bias_identity_part, dense_tanh_part, tanh_backward_tn_part } from './activations';
