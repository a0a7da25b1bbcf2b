/**
 * Reading a TF.js layers model back (fromTFJS, `wasm-mlp import`) as hostile input: the topology
 * (src/io/tfjs-topology.ts), then every weight spec's shape against it and the weight data's
 * length against the specs BEFORE anything is allocated from them; then every value is checked
 * finite while W (n_out × n_in) is filled from the kernel [n_in, n_out].
 */
import { LOSSES, type Activation, type Loss } from '../core/architecture.js';
import type { DenseLayerParams } from './dense-model.js';
import { MODEL_LIMITS } from './model-file.js';
import { LIBRARY_NAME } from './producer.js';
import { readTopology, TFJS_LIMITS, TFJS_TEXT_SHAPE, type DenseLayer } from './tfjs-topology.js';
import { element, ownValue, parseJSONText, plainObject } from './untrusted.js';
import { describe, fail } from '../util/validate.js';

/** What decodeTFJS returns: the architecture and the parameters, checked. */
export interface DecodedTFJS {
  layers: number[];
  activations: Activation[];
  params: DenseLayerParams[];
  /** the loss written by wasm-mlp's own export (userDefinedMetadata), if any */
  loss: Loss | undefined;
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
  const root = plainObject(where, typeof model === 'string' ? parseJSONText(where, model, TFJS_TEXT_SHAPE, 'model', { text: 'a model.json text', file: 'a model.json file' }) : model,
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
    if (!SPEC_KEYS.includes(k)) throw new Error(`${where}: unexpected key ${describe(k)} in ${at}; a weight spec has the keys name, shape, dtype and optionally group`);
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
    const names = [...byName.keys()].slice(0, 8).map((n) => describe(n)).join(', ');
    throw new Error(`${where}: ${d.at}: its ${part} ${describe(name)} is not among the weights (${names || 'none'}${byName.size > 8 ? ', …' : ''})`);
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
