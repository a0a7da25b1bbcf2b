/**
 * A dense network in TensorFlow.js's layers-model format, and back.
 *
 * Writing: a Keras `Sequential` of `Dense` layers, as tf.loadLayersModel(tf.io.fromMemory(...))
 * reads it. TF.js's Dense computes x·kernel + bias with one ROW per example, kernel [n_in, n_out],
 * so the kernel is W transposed. A leaky ReLU layer is a linear Dense followed by a `LeakyReLU`
 * layer with alpha 0.01 written out (TF.js's default alpha is 0.3). The weights are one
 * little-endian float32 buffer, kernel then bias per Dense, in layer order.
 *
 * Reading (decodeTFJS) treats the model as hostile input: a Sequential whose layers are Dense
 * (activation linear, sigmoid, tanh, relu or softmax), each optionally followed by LeakyReLU with
 * alpha 0.01, and at most an InputLayer first. Everything else is refused with an error naming the
 * layer and what is supported. All sizes are checked against MODEL_LIMITS, every weight spec's
 * shape against the topology and the weight data's length against the specs BEFORE anything is
 * allocated from them; then every value is checked finite.
 */
import { HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, type Activation } from '../core/kernels.js';
import type { Loss } from '../network.js';
import type { DenseLayerParams, DenseModel } from './dense-model.js';
import { MODEL_LIMITS } from './model-file.js';
import { LIBRARY_NAME, LIBRARY_VERSION } from './producer.js';
import { element, ownValue, parseJSONText, plainObject } from './untrusted.js';
import { describe, fail } from '../util/validate.js';

/** One weight's description in TF.js's artifacts and model.json. */
export interface TFJSWeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

/** What tf.io.fromMemory() takes (TF.js's ModelArtifacts, the parts a layers model needs). */
export interface TFJSArtifacts {
  /** a Keras Sequential model's JSON: { class_name: 'Sequential', config: { name, layers }, … } */
  modelTopology: Record<string, unknown>;
  weightSpecs: TFJSWeightSpec[];
  /** the weights, float32 little-endian, one after another in weightSpecs' order */
  weightData: ArrayBuffer;
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  /** the library, its version and the loss; for a command-line model also its features and classes */
  userDefinedMetadata: Record<string, unknown>;
}

/** model.json as TF.js writes it to disk: the weights named by file in weightsManifest. */
export interface TFJSModelJSON {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: Record<string, unknown>;
  weightsManifest: { paths: string[]; weights: TFJSWeightSpec[] }[];
  userDefinedMetadata: Record<string, unknown>;
}

/** What decodeTFJS returns: the architecture and the parameters, checked. */
export interface DecodedTFJS {
  layers: number[];
  activations: Activation[];
  params: DenseLayerParams[];
  /** the loss written by wasm-mlp's own export (userDefinedMetadata), if any */
  loss: Loss | undefined;
}

/** The Dense activations this library has, as Keras names them. */
export const TFJS_DENSE_ACTIVATIONS = ['linear', 'sigmoid', 'tanh', 'relu', 'softmax'] as const;
const KERAS_TO_ACTIVATION: Record<string, Activation> = {
  linear: 'linear', sigmoid: 'sigmoid', tanh: 'tanh', relu: 'relu', softmax: 'softmax',
};
/** this library's leaky ReLU slope */
const LEAKY_ALPHA = 0.01;
const LOSSES: readonly Loss[] = ['bce', 'cce', 'mse'];

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

/** The model in TF.js's layers-model format (one fresh buffer; nothing shared with `model`). */
export function encodeTFJS(model: DenseModel, extraMetadata: Record<string, unknown> = {}): TFJSArtifacts {
  const layers: Record<string, unknown>[] = [];
  const weightSpecs: TFJSWeightSpec[] = [];
  let floats = 0;
  for (const { W } of model.params) floats += W.rows * W.cols + W.rows;
  const weightData = new ArrayBuffer(floats * 4);
  const view = new DataView(weightData);
  let at = 0;
  model.params.forEach(({ W, b }, i) => {
    const act = model.activations[i];
    const name = `dense_${i + 1}`;
    const config: Record<string, unknown> = {
      units: W.rows,
      activation: act === 'leakyRelu' ? 'linear' : act,
      use_bias: true,
      name,
      trainable: true,
      dtype: 'float32',
    };
    if (i === 0) config.batch_input_shape = [null, W.cols];
    layers.push({ class_name: 'Dense', config });
    if (act === 'leakyRelu') {
      layers.push({ class_name: 'LeakyReLU', config: { alpha: LEAKY_ALPHA, name: `leaky_re_lu_${i + 1}`, trainable: true, dtype: 'float32' } });
    }
    weightSpecs.push({ name: `${name}/kernel`, shape: [W.cols, W.rows], dtype: 'float32' });
    weightSpecs.push({ name: `${name}/bias`, shape: [W.rows], dtype: 'float32' });
    // kernel[i][j] = W[j][i]: TF.js multiplies rows of examples by the kernel
    for (let c = 0; c < W.cols; c++) {
      for (let r = 0; r < W.rows; r++, at += 4) view.setFloat32(at, W.data[r * W.cols + c], true);
    }
    for (let r = 0; r < W.rows; r++, at += 4) view.setFloat32(at, b[r], true);
  });
  const generatedBy = `${LIBRARY_NAME} ${LIBRARY_VERSION}`;
  return {
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'wasm_mlp', layers },
      keras_version: generatedBy,
      backend: 'tensor_flow.js',
    },
    weightSpecs,
    weightData,
    format: 'layers-model',
    generatedBy,
    convertedBy: null,
    userDefinedMetadata: { library: LIBRARY_NAME, version: LIBRARY_VERSION, loss: model.loss, ...extraMetadata },
  };
}

/** model.json's object for artifacts whose weights are written to the file `weightsPath` beside it. */
export function tfjsModelJSON(artifacts: TFJSArtifacts, weightsPath = 'weights.bin'): TFJSModelJSON {
  return {
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [weightsPath], weights: artifacts.weightSpecs }],
    userDefinedMetadata: artifacts.userDefinedMetadata,
  };
}

/** One Dense layer as read from the topology (LeakyReLU already folded in). */
interface DenseLayer {
  /** the Dense layer's name (its weights are `${name}/kernel`, `${name}/bias`) */
  name: string;
  /** where it is in the topology, for errors */
  at: string;
  nIn: number;
  nOut: number;
  useBias: boolean;
  activation: Activation;
}

/** A weight spec with its place in the weight data. */
interface PlacedSpec {
  name: string;
  shape: number[];
  /** byte offset in the weight data, and byte length */
  offset: number;
  bytes: number;
  optimizer: boolean;
  at: string;
}

/**
 * Reads a TF.js layers model: `model` is the artifacts object ({ modelTopology, weightSpecs,
 * weightData }, as toTFJS or a tf.io save handler gives it) or model.json's object or text
 * ({ modelTopology, weightsManifest }) with the weight files' bytes, concatenated in the
 * manifest's order, as `weightData`.
 */
export function decodeTFJS(where: string, model: unknown, weightData: unknown): DecodedTFJS {
  const root = plainObject(where, typeof model === 'string' ? parseJSONText(where, model, MODEL_LIMITS.textLength, 'the model.json text') : model,
    'the model', 'a TF.js layers model: { modelTopology, weightSpecs, weightData } or model.json { modelTopology, weightsManifest }');
  const format = ownValue(where, root, 'format', '');
  if (format !== undefined && format !== 'layers-model') {
    fail(where, 'format', "'layers-model' (a Keras-style layers model; a TF.js graph model has no layers to read)", format);
  }
  const dense = readTopology(where, ownValue(where, root, 'modelTopology', ''));
  const specs = readSpecs(where, root);
  const data = weightBytes(where, ownValue(where, root, 'weightData', ''), weightData);
  const loss = readLoss(where, ownValue(where, root, 'userDefinedMetadata', ''));

  // every weight located and its shape checked before any value is read
  const byName = new Map<string, PlacedSpec>();
  let total = 0;
  for (const s of specs) {
    total = s.offset + s.bytes;
    if (s.optimizer) continue;
    if (byName.has(s.name)) throw new Error(`${where}: ${s.at}: the weight name ${JSON.stringify(s.name)} appears twice`);
    byName.set(s.name, s);
  }
  if (data.length !== total) {
    throw new Error(`${where}: the weight data holds ${data.length} bytes but the weight specs describe ${total}` +
      (data.length < total ? ': the weights file looks truncated' : ': there are bytes no weight spec accounts for'));
  }
  const used = new Set<string>();
  const located = dense.map((d) => {
    const kernel = weightOf(where, byName, d, 'kernel', [d.nIn, d.nOut]);
    used.add(kernel.name);
    let bias: PlacedSpec | undefined;
    if (d.useBias) {
      bias = weightOf(where, byName, d, 'bias', [d.nOut]);
      used.add(bias.name);
    }
    return { d, kernel, bias };
  });
  for (const s of byName.values()) {
    if (!used.has(s.name)) {
      throw new Error(`${where}: ${s.at} is the weight ${JSON.stringify(s.name)}, which belongs to no Dense layer of the topology (its weights are ${dense.map((d) => `${d.name}/kernel`).join(', ')} and their biases)`);
    }
  }

  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const params = located.map(({ d, kernel, bias }) => {
    // W (n_out × n_in) = kernelᵀ
    const W = new Float32Array(d.nOut * d.nIn);
    for (let i = 0, k = kernel.offset; i < d.nIn; i++) {
      for (let j = 0; j < d.nOut; j++, k += 4) {
        const v = view.getFloat32(k, true);
        if (!Number.isFinite(v)) notFinite(where, kernel, `[${i}, ${j}]`, v);
        W[j * d.nIn + i] = v;
      }
    }
    const b = new Float32Array(d.nOut);
    for (let j = 0; bias && j < d.nOut; j++) {
      const v = view.getFloat32(bias.offset + 4 * j, true);
      if (!Number.isFinite(v)) notFinite(where, bias, `[${j}]`, v);
      b[j] = v;
    }
    return { W: { rows: d.nOut, cols: d.nIn, data: W }, b };
  });
  return {
    layers: [dense[0].nIn, ...dense.map((d) => d.nOut)],
    activations: dense.map((d) => d.activation),
    params,
    loss,
  };
}

/** The Dense layers of a Sequential topology, checked and bounded. */
function readTopology(where: string, topologyV: unknown): DenseLayer[] {
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
    const what = `${at} ${JSON.stringify(name)} (${typeof cls === 'string' ? cls : describe(cls)})`;
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
      throw new Error(`${where}: ${d.at}: activation ${JSON.stringify(d.activation)} is not supported on ${last ? 'the output layer' : 'a hidden layer'}; ` +
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

/** The weight specs with their byte offsets: from weightSpecs, or from every weightsManifest group in order. */
function readSpecs(where: string, root: object): PlacedSpec[] {
  const direct = ownValue(where, root, 'weightSpecs', '');
  const manifest = ownValue(where, root, 'weightsManifest', '');
  const lists: { list: unknown[]; path: string }[] = [];
  if (direct !== undefined && manifest !== undefined) {
    throw new Error(`${where}: the model has both weightSpecs and weightsManifest; give one (artifacts have weightSpecs, model.json has weightsManifest)`);
  }
  if (direct !== undefined) {
    if (!Array.isArray(direct)) fail(where, 'weightSpecs', 'an array of { name, shape, dtype }', direct);
    lists.push({ list: direct, path: 'weightSpecs' });
  } else if (manifest !== undefined) {
    if (!Array.isArray(manifest) || manifest.length > TFJS_LIMITS.weightSpecs) {
      fail(where, 'weightsManifest', `an array of at most ${TFJS_LIMITS.weightSpecs} groups { paths, weights }`, manifest);
    }
    for (let g = 0; g < manifest.length; g++) {
      const gp = `weightsManifest[${g}]`;
      const group = plainObject(where, element(where, manifest, g, 'weightsManifest'), gp, 'a group { paths, weights }');
      const weights = ownValue(where, group, 'weights', gp);
      if (!Array.isArray(weights)) fail(where, `${gp}.weights`, 'an array of { name, shape, dtype }', weights);
      lists.push({ list: weights, path: `${gp}.weights` });
    }
  } else {
    throw new Error(`${where}: the model has no weights: expected weightSpecs (artifacts) or weightsManifest (model.json)`);
  }
  let count = 0;
  for (const { list } of lists) count += list.length;
  if (count > TFJS_LIMITS.weightSpecs) {
    throw new Error(`${where}: the model lists ${count} weights; a wasm-mlp network has at most ${TFJS_LIMITS.weightSpecs / 2} (a kernel and a bias per Dense layer, at most ${MODEL_LIMITS.layers - 1} layers)`);
  }
  const out: PlacedSpec[] = [];
  let offset = 0;
  for (const { list, path } of lists) {
    for (let i = 0; i < list.length; i++) {
      const s = readSpec(where, element(where, list, i, path), `${path}[${i}]`, offset);
      out.push(s);
      offset += s.bytes;
    }
  }
  return out;
}

const SPEC_KEYS = ['name', 'shape', 'dtype', 'group', 'quantization'];

function readSpec(where: string, v: unknown, at: string, offset: number): PlacedSpec {
  const s = plainObject(where, v, at, 'a weight spec { name, shape, dtype }');
  const name = ownValue(where, s, 'name', at);
  if (typeof name !== 'string' || name.length === 0 || name.length > TFJS_LIMITS.nameLength) {
    fail(where, `${at}.name`, `a weight name (1 to ${TFJS_LIMITS.nameLength} characters)`, name);
  }
  const shapeV = ownValue(where, s, 'shape', at);
  if (!Array.isArray(shapeV) || shapeV.length > TFJS_LIMITS.weightRank) {
    fail(where, `${at}.shape`, `an array of at most ${TFJS_LIMITS.weightRank} sizes`, shapeV);
  }
  const shape: number[] = [];
  let count = 1;
  for (let k = 0; k < shapeV.length; k++) {
    const n = element(where, shapeV, k, `${at}.shape`);
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MODEL_LIMITS.params) {
      fail(where, `${at}.shape[${k}]`, `an integer from 0 to ${MODEL_LIMITS.params}`, n);
    }
    shape.push(n);
    count *= n;
    if (count > MODEL_LIMITS.params) {
      throw new Error(`${where}: ${at} (${JSON.stringify(name)}) has shape [${shapeV.map((x) => describe(x)).join(', ')}]: more than ${MODEL_LIMITS.params} values, beyond any wasm-mlp network`);
    }
  }
  const group = ownValue(where, s, 'group', at);
  const optimizer = group === 'optimizer';
  const dtype = ownValue(where, s, 'dtype', at);
  if (ownValue(where, s, 'quantization', at) !== undefined) {
    throw new Error(`${where}: ${at} (${JSON.stringify(name)}) is quantized; wasm-mlp reads float32 weights only (export the model without quantization)`);
  }
  // optimizer state (TF.js's includeOptimizer) is skipped, but its bytes still occupy the data
  if (dtype !== 'float32' && !(optimizer && dtype === 'int32')) {
    fail(where, `${at}.dtype`, "'float32' (wasm-mlp's weights are float32)", dtype);
  }
  for (const k of Object.keys(s)) {
    if (!SPEC_KEYS.includes(k)) throw new Error(`${where}: unexpected key ${JSON.stringify(k)} in ${at}; a weight spec has the keys name, shape, dtype and optionally group`);
  }
  return { name, shape, offset, bytes: count * 4, optimizer, at: `${at} (${JSON.stringify(name)})` };
}

/** The weight bytes: from the model (artifacts) or passed beside it (model.json), exactly one. */
function weightBytes(where: string, inModel: unknown, beside: unknown): Uint8Array {
  if (inModel !== undefined && beside !== undefined) {
    throw new Error(`${where}: weight data given twice: in the model (weightData) and in options.weightData; give one`);
  }
  const v = inModel ?? beside;
  const what = inModel !== undefined ? 'weightData' : 'options.weightData';
  if (v === undefined) throw new Error(`${where}: the weight data is missing: model.json names its weights files; pass their bytes as options.weightData`);
  if (isArrayBuffer(v)) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (Array.isArray(v) && v.length <= TFJS_LIMITS.weightSpecs) {
    // TF.js may split the weights into several buffers: check every part, then join them
    let n = 0;
    for (let i = 0; i < v.length; i++) {
      const part = element(where, v, i, what);
      if (!isArrayBuffer(part) && !ArrayBuffer.isView(part)) fail(where, `${what}[${i}]`, 'an ArrayBuffer or a typed array', part);
      n += (part as ArrayBuffer | ArrayBufferView).byteLength;
    }
    if (n > MODEL_LIMITS.params * 4 * 2) {
      throw new Error(`${where}: ${what} holds ${n} bytes, more than any wasm-mlp network's weights`);
    }
    const out = new Uint8Array(n);
    let at = 0;
    for (const part of v as (ArrayBuffer | ArrayBufferView)[]) {
      const bytes = isArrayBuffer(part) ? new Uint8Array(part) : new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
      out.set(bytes, at);
      at += bytes.length;
    }
    return out;
  }
  return fail(where, what, 'an ArrayBuffer, a typed array (e.g. the bytes of weights.bin) or an array of them', v);
}

function isArrayBuffer(v: unknown): v is ArrayBuffer {
  return Object.prototype.toString.call(v) === '[object ArrayBuffer]';
}

/** The loss wasm-mlp's export wrote in userDefinedMetadata; other producers' metadata is not read. */
function readLoss(where: string, meta: unknown): Loss | undefined {
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return undefined;
  const m = plainObject(where, meta, 'userDefinedMetadata', 'an object');
  if (ownValue(where, m, 'library', 'userDefinedMetadata') !== LIBRARY_NAME) return undefined;
  const loss = ownValue(where, m, 'loss', 'userDefinedMetadata');
  if (loss === undefined) return undefined;
  if (typeof loss !== 'string' || !(LOSSES as readonly string[]).includes(loss)) {
    fail(where, 'userDefinedMetadata.loss', `one of ${LOSSES.map((x) => `'${x}'`).join(', ')}`, loss);
  }
  return loss as Loss;
}

function weightOf(where: string, byName: Map<string, PlacedSpec>, d: DenseLayer, part: 'kernel' | 'bias', shape: number[]): PlacedSpec {
  const name = `${d.name}/${part}`;
  const s = byName.get(name);
  if (s === undefined) {
    const names = [...byName.keys()].slice(0, 8).map((n) => JSON.stringify(n)).join(', ');
    throw new Error(`${where}: ${d.at}: its ${part} ${JSON.stringify(name)} is not among the weights (${names || 'none'}${byName.size > 8 ? ', …' : ''})`);
  }
  if (s.shape.length !== shape.length || s.shape.some((n, k) => n !== shape[k])) {
    throw new Error(`${where}: ${s.at}: shape [${s.shape.join(', ')}] does not fit ${d.at}: expected [${shape.join(', ')}]` +
      (part === 'kernel' ? ' ([inputs, units])' : ' ([units])'));
  }
  return s;
}

function notFinite(where: string, s: PlacedSpec, index: string, v: number): never {
  throw new Error(`${where}: ${s.at}${index} is ${v}; a wasm-mlp network holds finite weights only`);
}
