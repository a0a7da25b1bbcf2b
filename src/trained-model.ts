/**
 * A trained model as a file: the network (its ModelJSON) together with what using it on new data
 * needs — the feature columns by name and the standardizer fitted on the training data, the
 * target's name, and the class labels (or, for regression, the target's scale). The format is
 * the one `wasm-mlp train --save` writes and `wasm-mlp predict` reads ('wasm-mlp-cli', version
 * 1): saveModel writes it from the library, loadModel reads either. Reading checks the text as
 * hostile input, like Network.fromJSON.
 */
import { Network } from './network.js';
import { Standardizer, type StandardizerJSON } from './data/standardize.js';
import { describe, fail } from './util/validate.js';
import { MODEL_FORMAT, MODEL_LIMITS, MODEL_TEXT_SHAPE, TRAINED_MODEL_FORMAT, checkLoadOptions, type FromJSONOptions, type ModelJSON } from './io/model-file.js';
import { parseJSONText, type JsonShapeLimits } from './io/untrusted.js';

export { TRAINED_MODEL_FORMAT };
export const TRAINED_MODEL_VERSION = 1;

/** The file as JSON. */
export interface TrainedModelJSON {
  format: 'wasm-mlp-cli';
  version: 1;
  task: 'classification' | 'regression';
  /** the feature columns, in the order of the network's inputs */
  features: string[];
  /** the column the network was trained to predict */
  target: string;
  /**
   * classification: the labels, output k ↔ classes[k]; with 2 classes the single sigmoid output
   * is P(classes[1]). regression: null
   */
  classes: string[] | null;
  /** input i is (x_i − mean[i]) / std[i], fitted on the training data */
  standardize: StandardizerJSON;
  /** regression: the network predicts (y − mean) / std; classification: null */
  targetScale: { mean: number; std: number } | null;
  model: ModelJSON;
}

/** What saveModel takes. */
export interface TrainedModelParts {
  net: Network;
  /** the feature names, one per network input, in order */
  features: readonly string[];
  /** the name of what it predicts */
  target: string;
  /** the class labels of a sigmoid (2) or softmax (≥ 2) output; omit or null for a linear (regression) output */
  classes?: readonly string[] | null;
  /** the standardizer its inputs went through (fitStandardizer on the training data) */
  standardizer: Standardizer | StandardizerJSON;
  /** regression: the target was trained as (y − mean) / std (default { mean: 0, std: 1 }, the values as they are) */
  targetScale?: { mean: number; std: number } | null;
}

/** What loadModel returns: the network and everything needed to use it on new rows. */
export interface LoadedModel {
  task: 'classification' | 'regression';
  net: Network;
  features: string[];
  target: string;
  classes: string[] | null;
  standardizer: Standardizer;
  targetScale: { mean: number; std: number } | null;
}

const KEYS = ['format', 'version', 'task', 'features', 'target', 'classes', 'standardize', 'targetScale', 'model'];

/**
 * The file's text (JSON): what `wasm-mlp predict --model` and loadModel read. Checks that the
 * parts fit the network (one feature name per input, one class per output, …) before writing.
 */
export function saveModel(parts: TrainedModelParts): string {
  const where = 'saveModel';
  if (typeof parts !== 'object' || parts === null) fail(where, 'parts', 'an object { net, features, target, classes?, standardizer, targetScale? }', parts);
  const { net, target } = parts;
  if (!(net instanceof Network)) fail(where, 'net', 'a Network', net);
  const json = net.toJSON(); // throws if disposed
  const classes = parts.classes ?? null;
  const targetScale = classes ? null : parts.targetScale ?? { mean: 0, std: 1 };
  const standardize = parts.standardizer instanceof Standardizer ? parts.standardizer.toJSON() : parts.standardizer;
  const file = {
    format: TRAINED_MODEL_FORMAT, version: TRAINED_MODEL_VERSION, task: classes ? 'classification' : 'regression',
    features: parts.features, target, classes, standardize, targetScale, model: json,
  };
  // the same checks as reading: what saveModel writes, loadModel reads
  const desc = readTrainedModel(file, where);
  const mismatch = mismatchOf(desc, net);
  if (mismatch) throw new Error(`${where}: ${mismatch}`);
  return JSON.stringify(file) + '\n';
}

/**
 * What a trained model's text may hold, scanned before JSON.parse: the network's model text one
 * level down, plus the description (up to 2^20 feature names and class labels, a mean and a std
 * per feature, a few keys).
 */
export const TRAINED_MODEL_TEXT_SHAPE: JsonShapeLimits = {
  length: MODEL_LIMITS.textLength,
  depth: MODEL_TEXT_SHAPE.depth + 1,
  objects: MODEL_TEXT_SHAPE.objects + 3,
  arrays: MODEL_TEXT_SHAPE.arrays + 4,
  strings: MODEL_TEXT_SHAPE.strings + 2 * MODEL_LIMITS.layerSize + 32,
  values: MODEL_TEXT_SHAPE.values + 4 * MODEL_LIMITS.layerSize + 32,
};

/**
 * A model file written by `wasm-mlp train --save` or saveModel (its text or parsed object) →
 * the network, with its feature names, standardizer, target and classes; `options` (backend,
 * threads, simd) as Network.fromJSON's. A bad file throws an Error naming what is wrong; no network is left behind.
 */
export async function loadModel(json: unknown, options?: FromJSONOptions): Promise<LoadedModel> {
  const where = 'loadModel';
  const checked = checkLoadOptions(where, options);
  let o = json;
  if (typeof o === 'string') o = parseJSONText(where, o, TRAINED_MODEL_TEXT_SHAPE, 'json', { text: 'a model text', file: 'a model file' });
  if (o !== null && typeof o === 'object' && Object.hasOwn(o, 'format') && (o as { format: unknown }).format === MODEL_FORMAT) {
    throw new Error(`${where}: this is a bare network (format '${MODEL_FORMAT}', from net.toJSON()): load it with Network.fromJSON. loadModel reads the file \`wasm-mlp train --save\` or saveModel writes, which also holds the feature names, the scaling and the class labels`);
  }
  return loadTrainedModel(o, checked, where);
}

/**
 * Checks a parsed model file and builds its network; errors start with `where` (a file name for
 * the command line). Used by loadModel and `wasm-mlp predict`.
 */
export async function loadTrainedModel(o: unknown, options: FromJSONOptions, where: string): Promise<LoadedModel> {
  const desc = readTrainedModel(o, where);
  let net: Network;
  try {
    net = await Network.fromJSON(desc.model, options);
  } catch (e) {
    throw new Error(`${where}: the network in "model" is rejected: ${(e as Error).message}`);
  }
  const mismatch = mismatchOf(desc, net);
  if (mismatch) {
    net.dispose();
    throw new Error(`${where}: ${mismatch}`);
  }
  return {
    task: desc.task, net, features: desc.features, target: desc.target, classes: desc.classes,
    standardizer: Standardizer.fromJSON(desc.standardize), targetScale: desc.targetScale,
  };
}

/** The checked description; `model` is passed on unread, for Network.fromJSON to check. */
function readTrainedModel(o: unknown, where: string): TrainedModelJSON {
  const bad = (what: string, expected: string, got: unknown): never => {
    throw new Error(`${where}: ${what} must be ${expected}; got ${describe(got)}`);
  };
  if (typeof o !== 'object' || o === null || Array.isArray(o) || Object.getPrototypeOf(o) !== Object.prototype) {
    bad('the file', 'a JSON object written by `wasm-mlp train` or saveModel', o);
  }
  const rec = o as Record<string, unknown>;
  // own properties only, so reading never reaches a prototype
  const get = (k: string): unknown => (Object.hasOwn(rec, k) ? rec[k] : undefined);
  if (get('format') !== TRAINED_MODEL_FORMAT) bad('format', `'${TRAINED_MODEL_FORMAT}' (a model file written by \`wasm-mlp train\` or saveModel)`, get('format'));
  for (const k of Object.keys(rec)) {
    if (!KEYS.includes(k)) throw new Error(`${where}: unexpected key ${describe(k)}; a ${TRAINED_MODEL_FORMAT} model has only the keys ${KEYS.join(', ')}`);
  }
  if (get('version') !== TRAINED_MODEL_VERSION) bad('version', `${TRAINED_MODEL_VERSION}`, get('version'));
  const task = get('task');
  if (task !== 'classification' && task !== 'regression') bad('task', "'classification' or 'regression'", task);

  const strings = (k: string, v: unknown, min: number): string[] => {
    if (!Array.isArray(v) || v.length < min || v.length > MODEL_LIMITS.layerSize) bad(k, `an array of ${min} to ${MODEL_LIMITS.layerSize} strings`, v);
    const a = v as unknown[], seen = new Map<unknown, number>();
    for (let i = 0; i < a.length; i++) {
      if (!Object.hasOwn(a, i) || typeof a[i] !== 'string') bad(`${k}[${i}]`, 'a string', a[i]);
      if (seen.has(a[i])) bad(`${k}[${i}]`, `different from ${k}[${seen.get(a[i])}]`, a[i]);
      seen.set(a[i], i);
    }
    return [...(a as string[])];
  };
  const numbers = (k: string, v: unknown, n: number, positive: boolean): number[] => {
    if (!Array.isArray(v) || v.length !== n) bad(k, `an array of ${n} numbers (one per feature)`, v);
    const a = v as unknown[];
    for (let i = 0; i < n; i++) {
      const x = Object.hasOwn(a, i) ? a[i] : undefined;
      if (typeof x !== 'number' || !Number.isFinite(x) || (positive && !(x > 0 && Number.isFinite(1 / x)))) bad(`${k}[${i}]`, positive ? 'a finite number > 0' : 'a finite number', x);
    }
    return [...(a as number[])];
  };
  const object = (k: string, v: unknown, keys: string[]): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(k, `an object { ${keys.join(', ')} }`, v);
    const r = v as Record<string, unknown>;
    for (const key of Object.keys(r)) if (!keys.includes(key)) bad(k, `an object { ${keys.join(', ')} }`, v);
    return Object.fromEntries(keys.map((key) => [key, Object.hasOwn(r, key) ? r[key] : undefined]));
  };

  const features = strings('features', get('features'), 1);
  const target = get('target');
  if (typeof target !== 'string') bad('target', 'a string (the target column name)', target);
  const st = object('standardize', get('standardize'), ['mean', 'std']);
  const standardize = {
    mean: numbers('standardize.mean', st.mean, features.length, false),
    std: numbers('standardize.std', st.std, features.length, true),
  };
  let classes: string[] | null = null;
  let targetScale: { mean: number; std: number } | null = null;
  if (task === 'classification') {
    classes = strings('classes', get('classes'), 2);
    if (get('targetScale') !== null) bad('targetScale', 'null for classification', get('targetScale'));
  } else {
    if (get('classes') !== null) bad('classes', 'null for regression', get('classes'));
    const ts = object('targetScale', get('targetScale'), ['mean', 'std']);
    const [mean] = numbers('targetScale.mean', [ts.mean], 1, false);
    const [std] = numbers('targetScale.std', [ts.std], 1, true);
    targetScale = { mean, std };
  }
  return {
    format: TRAINED_MODEL_FORMAT, version: TRAINED_MODEL_VERSION, task: task as TrainedModelJSON['task'], features, target: target as string,
    classes, standardize, targetScale, model: get('model') as ModelJSON,
  };
}

/** How the description and the network disagree (inputs, outputs, output activation), or ''. */
function mismatchOf(desc: TrainedModelJSON, net: Network): string {
  const nOut = net.layers[net.layers.length - 1];
  const out = net.activations[net.activations.length - 1];
  const { features, classes } = desc;
  if (net.layers[0] !== features.length) return `the network has ${net.layers[0]} inputs but the file lists ${features.length} features`;
  if (!classes) return nOut === 1 && out === 'linear' ? '' : `a regression model needs one linear output; the network has ${nOut} ${out}`;
  // 2 classes: one sigmoid unit (P(classes[1])) or a 2-unit softmax; more: one softmax unit each
  if (classes.length === 2 && nOut === 1) return out === 'sigmoid' ? '' : `2 classes on one output need a sigmoid output; the network's is ${out}`;
  const want = classes.length === 2 ? '1 or 2 outputs' : `${classes.length} outputs`;
  if (nOut !== classes.length) return `${classes.length} classes need ${want}; the network has ${nOut}`;
  if (out !== 'softmax') return `${classes.length} classes on ${nOut} outputs need a softmax output; the network's is ${out}`;
  return '';
}
