/**
 * The model file: a network as plain JSON (architecture, activations, loss, float32 parameters)
 * and back. It reads a network through getParams() only and hands Network.fromJSON checked sizes,
 * names and parameters for Network.create and setParams, so it never touches the arena and never
 * imports the Network.
 *
 * Reading treats the input as hostile: every field is read as an OWN data property (no prototype
 * chain, no getters), unknown keys are rejected (so `__proto__`, `constructor`, `prototype` never
 * reach anything), every size is checked against a limit and every array's actual length against
 * the sizes BEFORE any value is read or any memory is reserved, and every value is checked before
 * the network is built. A rejected file throws an Error naming the path of the bad value
 * (e.g. `params[1].W[37]`) and leaves nothing behind.
 */
import type { BackendName } from '../core/backend.js';
import {
  ACTIVATIONS, LOSSES, NETWORK_LIMITS, paramCount as countParams, type Activation, type LayerParams, type LayerParamsInput, type Loss,
} from '../core/architecture.js';
import { BACKENDS, checkExecutionOptions, type ThreadsOption } from '../core/execution-options.js';
import type { SimdOption } from '../core/modules.js';
import { fail, ownOptions } from '../util/validate.js';
import { element as elementOf, ownValue as ownValueOf, parseJSONText, plainObject, type JsonShapeLimits } from './untrusted.js';

export const MODEL_FORMAT = 'wasm-mlp';
/** The format of the file that keeps a network with its data description (src/trained-model.ts). */
export const TRAINED_MODEL_FORMAT = 'wasm-mlp-cli';
export const MODEL_VERSION = 1;

/** The losses a model file may name: the network's. */
export type ModelLoss = Loss;

/** One layer's parameters: W (n_l × n_{l-1}) row-major, b (n_l). */
export interface ModelLayerJSON { W: number[]; b: number[] }

/** A saved network, version 1. `JSON.stringify(net)` gives its text (toJSON is called for you). */
export interface ModelJSON {
  format: 'wasm-mlp';
  version: 1;
  /** [n_x, n_h1, …, n_y] */
  layers: number[];
  /** one per layer after the input */
  activations: Activation[];
  /** the loss the network trains with */
  loss: ModelLoss;
  /** one per layer after the input; float32 values as JSON numbers */
  params: ModelLayerJSON[];
}

export interface FromJSONOptions {
  /** backend of the new network: 'wasm' (default) or 'js'; any model loads on either */
  backend?: BackendName;
  /** threads the large products are split over, as Network.create's (default 'auto'); `net.threads` says how many run */
  threads?: ThreadsOption;
  /** the kernel build, as Network.create's: 'auto' (default), 'relaxed' or 'plain'; `net.simd` says which runs */
  simd?: SimdOption;
}

/** What a loader passes on to Network.create: the backend, threads and simd, checked. */
export type LoadOptions = Required<FromJSONOptions>;
const LOAD_KEYS = ['backend', 'threads', 'simd'];

/**
 * The options of Network.fromJSON and loadModel: undefined or an object of LOAD_KEYS (any other
 * key is an error naming the closest), threads and simd checked as Network.create checks them.
 */
export function checkLoadOptions(where: string, options: unknown): LoadOptions {
  if (options === undefined) return { backend: 'wasm', threads: 'auto', simd: 'auto' };
  const o = ownOptions(where, options, LOAD_KEYS, 'an object { backend?, threads?, simd? }');
  const backend = o.backend ?? 'wasm';
  if (!BACKENDS.includes(backend as BackendName)) fail(where, 'options.backend', "'wasm' or 'js'", backend);
  return { backend: backend as BackendName, ...checkExecutionOptions(where, o, 'options.') };
}

/** Limits checked before anything is allocated from a file's sizes: Network.create's own, and the text's. */
export const MODEL_LIMITS = {
  /**
   * characters of JSON text accepted: the longest text of a network at the parameter limit
   * (2^24 values of at most 26 characters each with their commas, ≈ 436 million, plus its
   * structure) fits, and so does a string this long in V8 (2^29 − 24)
   */
  textLength: 480 * 2 ** 20,
  /** entries of `layers` (input included) */
  layers: NETWORK_LIMITS.layers,
  /** each layer size */
  layerSize: NETWORK_LIMITS.layerSize,
  /** weights and biases in all */
  params: NETWORK_LIMITS.params,
} as const;

/**
 * The shape a model file's text may have, checked by one scan before JSON.parse runs (so that
 * parsing never builds more than a model of the limits would): depth 4 is what the format uses
 * (the model, params, a layer, W), and nested values up to depth 8 are still parsed so that the
 * check of the field can name them; objects, arrays, strings and values as a model of
 * MODEL_LIMITS.layers layers and MODEL_LIMITS.params parameters holds them, with a little room.
 */
export const MODEL_TEXT_SHAPE: JsonShapeLimits = {
  length: MODEL_LIMITS.textLength,
  depth: 8,
  objects: MODEL_LIMITS.layers + 1,
  arrays: 2 * MODEL_LIMITS.layers + 3,
  strings: 3 * MODEL_LIMITS.layers + 16,
  values: MODEL_LIMITS.params + 8 * MODEL_LIMITS.layers + 16,
};

const WHERE = 'Network.fromJSON';
const TOP_KEYS = ['format', 'version', 'layers', 'activations', 'loss', 'params'] as const;
const LAYER_KEYS = ['W', 'b'] as const;

// the readers of src/io/untrusted.ts, reporting as Network.fromJSON
const ownValue = (o: object, key: string, path: string): unknown => ownValueOf(WHERE, o, key, path);
const element = (a: unknown[], i: number, path: string): unknown => elementOf(WHERE, a, i, path);
const checkRecord = (v: unknown, path: string, keys: readonly string[], expected: string): object =>
  plainObject(WHERE, v, path, expected, { keys, noun: path === 'the model' ? 'model' : 'layer' });
const parseModelText = (text: string): unknown =>
  parseJSONText(WHERE, text, MODEL_TEXT_SHAPE, 'json', { text: 'a model text', file: 'a model file' });

/** What modelToJSON reads of a network. */
export interface ModelSource {
  readonly layers: readonly number[];
  readonly activations: readonly Activation[];
  readonly loss: Loss;
  getParams(): LayerParams[];
}

/**
 * The network as a ModelJSON object (fresh arrays, nothing shared with the network).
 *
 * Why float32 values survive JSON exactly: every float32 is exactly representable as a float64
 * (a JS number), so Array.from(Float32Array) loses nothing; JSON.stringify writes each number as
 * the shortest decimal that reads back as the SAME float64 (ECMA-262 Number::toString), and
 * JSON.parse reads it back to that float64, which Math.fround — the float32 store — maps to itself.
 * The one bit pattern JSON cannot carry is the sign of a zero: JSON.stringify(-0) is "0" (equal
 * in value, so every prediction is unchanged); the object form returned here keeps -0.
 */
export function modelToJSON(net: ModelSource): ModelJSON {
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    layers: [...net.layers],
    activations: [...net.activations],
    loss: net.loss,
    params: net.getParams().map(({ W, b }) => ({ W: Array.from(W.data), b: Array.from(b) })),
  };
}

/**
 * A model file's text or parsed object, checked, and fromJSON's options: what Network.fromJSON
 * passes to Network.create and setParams. A bad file throws an Error naming the path of what is wrong.
 */
export function readModelFile(json: unknown, options: FromJSONOptions | undefined): { options: LoadOptions; model: CheckedModel } {
  const checked = checkLoadOptions(WHERE, options);
  return { options: checked, model: readModel(json) };
}

/**
 * The error for an architecture that passed every check here but not Network.create's own rules
 * (which activations may be the output, memory): reported as the file's problem.
 */
export function architectureRejected(e: unknown): Error {
  return new Error(`${WHERE}: the model's architecture is not accepted: ${(e as Error).message}`);
}

export interface CheckedModel {
  layers: number[];
  activations: Activation[];
  loss: ModelLoss;
  params: LayerParamsInput[];
}

/** Parses (if text) and checks a model; returns fresh arrays ready for Network.create/setParams. */
export function readModel(json: unknown): CheckedModel {
  const root = typeof json === 'string' ? parseModelText(json) : json;
  if (typeof root === 'object' && root !== null && Object.getOwnPropertyDescriptor(root, 'format')?.value === TRAINED_MODEL_FORMAT) {
    throw new Error(`${WHERE}: this is a model file of \`wasm-mlp train\` or saveModel (format '${TRAINED_MODEL_FORMAT}'), not a bare network: ` +
      `load it with loadModel from 'wasm-mlp/data', which returns the network with its feature names, scaling and class labels ` +
      `(its "model" key alone is the bare network, for Network.fromJSON(file.model))`);
  }
  const o = checkRecord(root, 'the model', TOP_KEYS, 'a model object { format, version, layers, activations, loss, params }');

  const format = ownValue(o, 'format', '');
  if (format !== MODEL_FORMAT) fail(WHERE, 'format', `'${MODEL_FORMAT}' (this is not a wasm-mlp model file)`, format);
  const version = ownValue(o, 'version', '');
  if (version !== MODEL_VERSION) {
    fail(WHERE, 'version', `${MODEL_VERSION} (the only version this release of wasm-mlp reads)`, version,
      typeof version === 'number' && version > MODEL_VERSION ? 'The file was written by a newer wasm-mlp' : '');
  }

  // sizes first: bounded, and everything later is checked against them
  const layersV = ownValue(o, 'layers', '');
  if (!Array.isArray(layersV) || layersV.length < 2 || layersV.length > MODEL_LIMITS.layers) {
    fail(WHERE, 'layers', `an array of 2 to ${MODEL_LIMITS.layers} layer sizes [n_x, …, n_y]`, layersV);
  }
  const layers: number[] = [];
  for (let i = 0; i < layersV.length; i++) {
    const n = element(layersV, i, 'layers');
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MODEL_LIMITS.layerSize) {
      fail(WHERE, `layers[${i}]`, `an integer from 1 to ${MODEL_LIMITS.layerSize}`, n);
    }
    layers.push(n);
  }
  const L = layers.length - 1;
  const paramCount = countParams(layers); // exact: at most 1024 · 2^20 · (2^20 + 1) < 2^53
  if (paramCount > MODEL_LIMITS.params) {
    fail(WHERE, 'layers', `a network of at most ${MODEL_LIMITS.params} parameters`, layersV,
      `[${layers.join(', ')}] has ${paramCount}`);
  }

  const actsV = ownValue(o, 'activations', '');
  if (!Array.isArray(actsV) || actsV.length !== L) {
    fail(WHERE, 'activations', `an array of ${L} activation names (one per layer after the input)`, actsV);
  }
  const activations: Activation[] = [];
  for (let i = 0; i < L; i++) {
    const a = element(actsV, i, 'activations');
    if (typeof a !== 'string' || !(ACTIVATIONS as readonly string[]).includes(a)) {
      fail(WHERE, `activations[${i}]`, `one of ${ACTIVATIONS.map((x) => `'${x}'`).join(', ')}`, a);
    }
    activations.push(a as Activation);
  }

  const loss = ownValue(o, 'loss', '');
  if (typeof loss !== 'string' || !(LOSSES as readonly string[]).includes(loss)) {
    fail(WHERE, 'loss', `one of ${LOSSES.map((x) => `'${x}'`).join(', ')}`, loss);
  }

  const paramsV = ownValue(o, 'params', '');
  if (!Array.isArray(paramsV) || paramsV.length !== L) {
    fail(WHERE, 'params', `an array of ${L} { W, b } (one per layer after the input)`, paramsV);
  }
  // every length before any value, so a lying file costs nothing to reject
  const layerObjs = layers.slice(1).map((nOut, l) => {
    const path = `params[${l}]`;
    const p = checkRecord(element(paramsV, l, 'params'), path, LAYER_KEYS, 'an object { W, b }');
    const W = ownValue(p, 'W', path), b = ownValue(p, 'b', path);
    const nW = nOut * layers[l];
    if (!Array.isArray(W) || W.length !== nW) {
      fail(WHERE, `${path}.W`, `an array of ${nOut}·${layers[l]} = ${nW} numbers (layers[${l + 1}] × layers[${l}], row-major)`, W);
    }
    if (!Array.isArray(b) || b.length !== nOut) fail(WHERE, `${path}.b`, `an array of ${nOut} numbers (layers[${l + 1}])`, b);
    return { W, b, nOut, nIn: layers[l] };
  });
  const params = layerObjs.map(({ W, b, nOut, nIn }, l) => ({
    W: { rows: nOut, cols: nIn, data: readFloats(W, `params[${l}].W`) },
    b: readFloats(b, `params[${l}].b`),
  }));
  return { layers, activations, loss: loss as ModelLoss, params };
}

/** Copies a checked-length array into a Float32Array; every value a finite number in float32 range. */
function readFloats(a: unknown[], path: string): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = element(a, i, path);
    const f = typeof v === 'number' ? Math.fround(v) : NaN;
    if (!Number.isFinite(f)) {
      fail(WHERE, `${path}[${i}]`, 'a finite number (in float32 range)', v,
        typeof v === 'string' || v === null ? 'JSON has no NaN or Infinity; a model file holds finite numbers only' : '');
    }
    out[i] = f;
  }
  return out;
}
