// wasm-mlp: the public exports.
export { Network, INIT_SCHEMES } from './network.js';
export { ACTIVATIONS, HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS } from './core/kernels.js';
export { BACKENDS } from './core/backend.js';
export type {
  NetworkOptions, InitOptions, InitScheme, LayerParams, LayerParamsInput, LayerGrads,
  TrainOptions, TrainProgress, TrainResult, Activation, BackendName,
  Loss, CostOptions, TargetInput, OptimizerName, OptimizerSpec, DecaySpec,
} from './network.js';
export { OPTIMIZERS, OPTIMIZER_DEFAULTS } from './train/options.js';
export { gradientCheck } from './gradcheck.js';
export type { GradientCheckOptions } from './gradcheck.js';
export type { ModelJSON, ModelLayerJSON, ModelLoss, FromJSONOptions } from './io/model-file.js';
export { matrix, fromExamples, fromLabels, toExamples } from './util/matrix.js';
export type { Matrix, MatrixData, MatrixInput } from './util/matrix.js';
export { datasets, DATASET_NAMES, REGRESSION_DATASET_NAMES, DEFAULT_NOISE, trainTestSplit } from './data/datasets.js';
export type {
  DatasetName, RegressionDatasetName, DatasetOptions, SpiralOptions, BlobsOptions, SplitOptions,
} from './data/datasets.js';
export { accuracy } from './data/metrics.js';
export type { RngName } from './util/rng.js';
export { wasmSimdSupported } from './core/backend.js';
