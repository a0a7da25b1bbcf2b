/**
 * The topology of a TF.js layers model, read as hostile input: a Sequential whose layers are Dense
 * (activation linear, sigmoid, tanh, relu or softmax), each optionally followed by LeakyReLU with
 * alpha 0.01, and at most an InputLayer first. Everything else is refused with an error naming the
 * layer and what is supported; every size is bounded (MODEL_LIMITS) as it is read.
 */
import { HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, type Activation } from '../core/architecture.js';
import { MODEL_LIMITS } from './model-file.js';
import { KERAS_TO_ACTIVATION, LEAKY_ALPHA, TFJS_DENSE_ACTIVATIONS } from './tfjs.js';
import { element, ownValue, plainObject } from './untrusted.js';
import { describe, fail } from '../util/validate.js';

/** Limits of the TF.js reader, besides MODEL_LIMITS' sizes. */
export const TFJS_LIMITS = {
  /** layer entries in the topology (Dense + LeakyReLU per layer, and an InputLayer) */
  topologyLayers: 2 * MODEL_LIMITS.layers + 1,
  /** entries of weightSpecs (or of all weightsManifest groups together) */
  weightSpecs: 4 * MODEL_LIMITS.layers,
  /** dimensions of one weight */
  weightRank: 8,
  /** characters of a weight's or a layer's name */
  nameLength: 1024,
} as const;

/**
 * The shape a model.json text may have, scanned before JSON.parse (src/io/untrusted.ts): its
 * topology and manifest only (the weights are in their own files), for up to
 * TFJS_LIMITS.topologyLayers layers and TFJS_LIMITS.weightSpecs weights. A Keras layer's config
 * nests about 6 deep and holds some 20 objects and arrays, 60 strings and 100 values (its
 * initializers, regularizers, shapes); the bounds leave room for twice that, and 32 levels.
 */
export const TFJS_TEXT_SHAPE = {
  length: MODEL_LIMITS.textLength,
  depth: 32,
  objects: 40 * TFJS_LIMITS.topologyLayers + 2 * TFJS_LIMITS.weightSpecs + 64,
  arrays: 40 * TFJS_LIMITS.topologyLayers + 2 * TFJS_LIMITS.weightSpecs + 64,
  strings: 120 * TFJS_LIMITS.topologyLayers + 4 * TFJS_LIMITS.weightSpecs + 256,
  values: 200 * TFJS_LIMITS.topologyLayers + (4 + TFJS_LIMITS.weightRank) * TFJS_LIMITS.weightSpecs + 1024,
} as const;

/** One Dense layer as read from the topology (LeakyReLU already folded in). */
export interface DenseLayer {
  /** the Dense layer's name (its weights are `${name}/kernel`, `${name}/bias`) */
  name: string;
  /** where it is in the topology, for errors */
  at: string;
  nIn: number;
  nOut: number;
  useBias: boolean;
  activation: Activation;
}

/** The Dense layers of a Sequential topology, checked and bounded. */
export function readTopology(where: string, topologyV: unknown): DenseLayer[] {
  let topo = plainObject(where, topologyV, 'modelTopology', "a Keras model's JSON { class_name: 'Sequential', config: { layers } }");
  // Keras' own model.json (the TF.js converter's output) wraps it in { model_config, … }
  const wrapped = ownValue(where, topo, 'model_config', 'modelTopology');
  let path = 'modelTopology';
  if (wrapped !== undefined) {
    path = 'modelTopology.model_config';
    topo = plainObject(where, wrapped, path, "a Keras model's JSON { class_name: 'Sequential', config: { layers } }");
  }
  const className = ownValue(where, topo, 'class_name', path);
  if (className !== 'Sequential') {
    fail(where, `${path}.class_name`, "'Sequential' (wasm-mlp reads a Sequential model of Dense layers; functional models with branches are not supported)", className);
  }
  const config = plainObject(where, ownValue(where, topo, 'config', path), `${path}.config`, 'an object { name, layers }');
  const layersV = ownValue(where, config, 'layers', `${path}.config`);
  const lp = `${path}.config.layers`;
  if (!Array.isArray(layersV) || layersV.length < 1 || layersV.length > TFJS_LIMITS.topologyLayers) {
    fail(where, lp, `an array of 1 to ${TFJS_LIMITS.topologyLayers} layers`, layersV);
  }

  const dense: DenseLayer[] = [];
  let nIn: number | undefined;
  let paramCount = 0;
  for (let i = 0; i < layersV.length; i++) {
    const at = `${lp}[${i}]`;
    const layer = plainObject(where, element(where, layersV, i, lp), at, 'a layer { class_name, config }');
    const cls = ownValue(where, layer, 'class_name', at);
    const cfg = plainObject(where, ownValue(where, layer, 'config', at), `${at}.config`, 'a layer config object');
    const name = layerName(where, cfg, at);
    // names are bounded (TFJS_LIMITS.nameLength); a class name is not: at most its first 40 characters
    const what = `${at} ${describe(name)} (${typeof cls === 'string' && cls.length <= 40 ? cls : describe(cls)})`;
    checkDtype(where, cfg, what);
    if (cls === 'InputLayer') {
      if (i !== 0) throw new Error(`${where}: ${what}: an InputLayer may only be the first layer`);
      nIn = inputSize(where, cfg, what, ['batch_input_shape', 'batch_shape']);
      if (nIn === undefined) throw new Error(`${where}: ${what}: its batch_input_shape [null, n_x] is missing`);
    } else if (cls === 'Dense') {
      if (dense.length === 0 && nIn === undefined) {
        nIn = inputSize(where, cfg, what, ['batch_input_shape', 'batch_shape']);
        if (nIn === undefined) {
          throw new Error(`${where}: ${what}: the model's input size is not written: the first layer needs batch_input_shape [null, n_x] (in TF.js: inputShape)`);
        }
      }
      const units = ownValue(where, cfg, 'units', `${at}.config`);
      if (typeof units !== 'number' || !Number.isInteger(units) || units < 1 || units > MODEL_LIMITS.layerSize) {
        fail(where, `${what} units`, `an integer from 1 to ${MODEL_LIMITS.layerSize}`, units);
      }
      if (dense.length + 1 >= MODEL_LIMITS.layers) fail(where, lp, `at most ${MODEL_LIMITS.layers - 1} Dense layers`, layersV);
      const prevOut = dense.length === 0 ? nIn! : dense[dense.length - 1].nOut;
      paramCount += units * (prevOut + 1); // exact: bounded by 1024 · 2^20 · (2^20 + 1) < 2^53
      if (paramCount > MODEL_LIMITS.params) {
        throw new Error(`${where}: ${what}: the model has more than ${MODEL_LIMITS.params} parameters (the limit of a wasm-mlp network)`);
      }
      const useBias = ownValue(where, cfg, 'use_bias', `${at}.config`) ?? true;
      if (typeof useBias !== 'boolean') fail(where, `${what} use_bias`, 'true or false', useBias);
      dense.push({ name, at: what, nIn: prevOut, nOut: units, useBias, activation: denseActivation(where, cfg, what) });
    } else if (cls === 'LeakyReLU') {
      const prev = dense[dense.length - 1];
      // a second LeakyReLU finds prev.activation 'leakyRelu'; after an InputLayer there is no prev
      if (prev === undefined || prev.activation !== 'linear') {
        throw new Error(`${where}: ${what}: a LeakyReLU layer must follow a Dense layer with activation 'linear' (the two become one leaky ReLU layer)`);
      }
      const alphaKey = Object.hasOwn(cfg, 'alpha') ? 'alpha' : 'negative_slope';
      const alpha = ownValue(where, cfg, alphaKey, `${at}.config`);
      if (typeof alpha !== 'number' || Math.fround(alpha) !== Math.fround(LEAKY_ALPHA)) {
        fail(where, `${what} alpha`, `${LEAKY_ALPHA} (the slope of wasm-mlp's leaky ReLU; TF.js's default is 0.3, so it must be written)`, alpha);
      }
      prev.activation = 'leakyRelu';
    } else {
      throw new Error(`${where}: ${what} is not supported: wasm-mlp reads a Sequential model of Dense layers ` +
        `(activation ${TFJS_DENSE_ACTIVATIONS.join(', ')}), each optionally followed by LeakyReLU with alpha ${LEAKY_ALPHA}, and an InputLayer first`);
    }
  }
  if (dense.length === 0) throw new Error(`${where}: ${lp} has no Dense layer; a wasm-mlp network needs at least one`);
  dense.forEach((d, l) => {
    const last = l === dense.length - 1;
    const allowed = last ? OUTPUT_ACTIVATIONS : HIDDEN_ACTIVATIONS;
    if (!allowed.includes(d.activation)) {
      throw new Error(`${where}: ${d.at}: activation ${describe(d.activation)} is not supported on ${last ? 'the output layer' : 'a hidden layer'}; ` +
        (last ? "the output is 'sigmoid', 'softmax' or 'linear'" : "hidden layers are 'sigmoid', 'tanh', 'relu', or linear followed by LeakyReLU (alpha 0.01)"));
    }
    if (last && d.activation === 'softmax' && d.nOut < 2) {
      throw new Error(`${where}: ${d.at}: a softmax output needs at least 2 units; got ${d.nOut}`);
    }
  });
  return dense;
}

function layerName(where: string, cfg: object, at: string): string {
  const name = ownValue(where, cfg, 'name', `${at}.config`);
  if (typeof name !== 'string' || name.length === 0 || name.length > TFJS_LIMITS.nameLength) {
    fail(where, `${at}.config.name`, `a layer name (1 to ${TFJS_LIMITS.nameLength} characters)`, name);
  }
  return name;
}

/** Only float32 layers (a missing dtype is float32, TF.js's default). */
function checkDtype(where: string, cfg: object, what: string): void {
  const dtype = ownValue(where, cfg, 'dtype', '');
  if (dtype !== undefined && dtype !== 'float32') fail(where, `${what} dtype`, "'float32' (wasm-mlp computes in float32)", dtype);
}

/** n_x from [null, n_x] under one of `keys`, or undefined when none is present. */
function inputSize(where: string, cfg: object, what: string, keys: string[]): number | undefined {
  for (const key of keys) {
    const shape = ownValue(where, cfg, key, '');
    if (shape === undefined || shape === null) continue;
    const n = Array.isArray(shape) && shape.length === 2 && Object.hasOwn(shape, 0) && shape[0] === null ? (shape[1] as unknown) : undefined;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MODEL_LIMITS.layerSize) {
      fail(where, `${what} ${key}`, `[null, n_x] with n_x an integer from 1 to ${MODEL_LIMITS.layerSize} (a batch of feature vectors)`, shape);
    }
    return n;
  }
  return undefined;
}

function denseActivation(where: string, cfg: object, what: string): Activation {
  const a = ownValue(where, cfg, 'activation', '') ?? 'linear'; // Keras: no activation is linear
  const act = typeof a === 'string' && Object.hasOwn(KERAS_TO_ACTIVATION, a) ? KERAS_TO_ACTIVATION[a] : undefined;
  if (act === undefined) {
    fail(where, `${what} activation`, `one of ${TFJS_DENSE_ACTIVATIONS.map((x) => `'${x}'`).join(', ')} (leaky ReLU: 'linear' and a LeakyReLU layer after it)`, a);
  }
  return act;
}
