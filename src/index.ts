// wasm-mlp: the public exports.
export { Network } from './network.js';
export type {
  NetworkOptions, InitOptions, InitScheme, LayerParams, LayerParamsInput, LayerGrads,
  TrainOptions, TrainProgress, TrainResult, Activation, BackendName,
  Loss, CostOptions, TargetInput, OptimizerName, OptimizerSpec, DecaySpec,
} from './network.js';
export { OPTIMIZER_DEFAULTS } from './train-options.js';
export { gradientCheck } from './gradcheck.js';
export type { GradientCheckOptions } from './gradcheck.js';
export type { ModelJSON, ModelLayerJSON, ModelLoss, FromJSONOptions } from './model-file.js';
export { matrix, fromExamples, fromLabels, toExamples } from './matrix.js';
export type { Matrix, MatrixData, MatrixInput } from './matrix.js';
export { datasets, DATASET_NAMES, DEFAULT_NOISE, trainTestSplit } from './datasets.js';
export type { DatasetName, DatasetOptions, SpiralOptions, SplitOptions } from './datasets.js';
export { accuracy } from './metrics.js';
export type { RngName } from './rng.js';
export { wasmSimdSupported } from './backend.js';
