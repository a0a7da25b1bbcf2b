// wasm-mlp/data: bringing your own data — the CSV reader, class labels, the fitted standardizer,
// and the model file that keeps them with the network. A separate entry, so that the main bundle
// (which a page loads whole) stays small; its Network is the main entry's (the bundles import it).
export { readCsv, CsvError } from './data/read-csv.js';
export type { ReadCsvOptions, CsvData } from './data/read-csv.js';
export type { CsvProblem } from './data/csv.js';
export { encodeLabels } from './data/labels.js';
export type { EncodedLabels } from './data/labels.js';
export { fitStandardizer, Standardizer } from './data/standardize.js';
export type { StandardizerJSON } from './data/standardize.js';
export { saveModel, loadModel } from './trained-model.js';
export type { TrainedModelJSON, TrainedModelParts, LoadedModel } from './trained-model.js';
export { classificationScores, regressionScores } from './data/evaluate.js';
export type { ClassificationScores, RegressionScores } from './data/evaluate.js';
