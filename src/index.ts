// wasm-mlp: the public exports, each from the file that owns it.
export { Network } from './network.js';
export { Batch } from './batch.js';
export type { NetworkOptions, InitOptions, CostOptions } from './network-options.js';
export {
  ACTIVATIONS, HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, LOSSES, INIT_SCHEMES, OPTIMIZERS,
} from './core/architecture.js';
export type {
  Activation, Loss, InitScheme, OptimizerName, LayerParams, LayerParamsInput, LayerGrads,
} from './core/architecture.js';
export { BACKENDS, wasmSimdSupported } from './core/backend.js';
export type { BackendName } from './core/backend.js';
export type { SimdName, SimdOption, ThreadsOption } from './core/execution.js';
export { OPTIMIZER_DEFAULTS } from './train/options.js';
export type { TrainOptions, TrainProgress, TrainResult, OptimizerSpec, DecaySpec } from './train/options.js';
export type { TargetInput } from './data/targets.js';
export { gradientCheck } from './gradcheck.js';
export type { GradientCheckOptions } from './gradcheck.js';
export type { ModelJSON, ModelLayerJSON, ModelLoss, FromJSONOptions } from './io/model-file.js';
export { matrix, fromExamples, fromLabels, toExamples } from './util/matrix.js';
export type { Matrix, MatrixData, MatrixInput } from './util/matrix.js';
export { datasets, DATASET_NAMES, REGRESSION_DATASET_NAMES, DEFAULT_NOISE } from './data/datasets.js';
export type { DatasetName, RegressionDatasetName, DatasetOptions, SpiralOptions, BlobsOptions } from './data/datasets.js';
export { trainTestSplit } from './data/split.js';
export type { SplitOptions } from './data/split.js';
export { accuracy } from './data/metrics.js';
export { RNG_NAMES } from './util/rng.js';
export type { RngName } from './util/rng.js';
