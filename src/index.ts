// wasm-mlp: the public exports.
export { Network } from './network.js';
export type {
  NetworkOptions, InitOptions, InitScheme, LayerParams, LayerParamsInput, LayerGrads,
  TrainOptions, TrainProgress, TrainResult, Activation, BackendName,
  Loss, CostOptions, TargetInput, OptimizerName, OptimizerSpec, DecaySpec,
} from './network.js';
export { OPTIMIZER_DEFAULTS } from './train/options.js';
export { gradientCheck } from './gradcheck.js';
export type { GradientCheckOptions } from './gradcheck.js';
export type { ModelJSON, ModelLayerJSON, ModelLoss, FromJSONOptions } from './io/model-file.js';
export { matrix, fromExamples, fromLabels, toExamples } from './util/matrix.js';
export type { Matrix, MatrixData, MatrixInput } from './util/matrix.js';
export { datasets, DATASET_NAMES, DEFAULT_NOISE, trainTestSplit } from './data/datasets.js';
export type { DatasetName, DatasetOptions, SpiralOptions, SplitOptions } from './data/datasets.js';
export { accuracy } from './data/metrics.js';
export { readCsv, CsvError } from './data/read-csv.js';
export type { ReadCsvOptions, CsvData } from './data/read-csv.js';
export type { CsvProblem } from './data/csv.js';
export { encodeLabels } from './data/labels.js';
export type { EncodedLabels } from './data/labels.js';
export { fitStandardizer, Standardizer } from './data/standardize.js';
export type { StandardizerJSON } from './data/standardize.js';
export { saveModel, loadModel } from './io/trained-model.js';
export type { TrainedModelJSON, TrainedModelParts, LoadedModel } from './io/trained-model.js';
export type { RngName } from './util/rng.js';
export { wasmSimdSupported } from './core/backend.js';
