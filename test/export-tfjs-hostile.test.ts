/**
 * fromTFJS reads a TF.js model as untrusted input. Each case below breaks a valid model one way —
 * wrong shapes, unknown layers and activations, truncated or oversized weight data, non-finite
 * weights, absurd sizes, prototype keys, getters — and must end in an Error that starts with
 * "fromTFJS: " and names the problem, before any network is built (Network.create is never
 * called), without reserving memory from the file's sizes, and without touching Object.prototype.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Network } from '../src/index.js';
import { fromTFJS, type TFJSArtifacts } from '../src/export.js';
import { encodeTFJS, tfjsModelJSON } from '../src/io/tfjs.js';
import { MODEL_LIMITS } from '../src/io/model-file.js';

const BACKENDS = ['wasm', 'js'] as const;

/** A valid 2-3-1 model (leaky ReLU hidden, sigmoid out) as fresh artifacts, to be broken by each case. */
function good(): TFJSArtifacts {
  return encodeTFJS({
    layers: [2, 3, 1], activations: ['leakyRelu', 'sigmoid'], loss: 'bce',
    params: [
      { W: { rows: 3, cols: 2, data: Float32Array.of(0.5, -0.25, 0.125, 1, -1, 0.75) }, b: Float32Array.of(0.1, 0.2, 0.3) },
      { W: { rows: 1, cols: 3, data: Float32Array.of(1.5, -2, 0.5) }, b: Float32Array.of(-0.5) },
    ],
  });
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** good() with its topology and specs as plain JSON to edit (weightData kept as bytes). */
function edited(edit: (m: Json, layers: Json[]) => void): Json {
  const a = good();
  const m = JSON.parse(JSON.stringify({ ...a, weightData: undefined })) as Json;
  m.weightData = a.weightData;
  edit(m, m.modelTopology.config.layers);
  return m;
}

/** model.json text of good() with `edit` applied to the text. */
function modelJsonText(edit: (text: string) => string = (t) => t): string {
  return edit(JSON.stringify(tfjsModelJSON(good())));
}

/** The weight data of good() with float k (0-based, in spec order) replaced. */
function withFloat(k: number, v: number): Json {
  return edited((m) => {
    const bytes = new Uint8Array(m.weightData.slice(0));
    new DataView(bytes.buffer).setFloat32(4 * k, v, true);
    m.weightData = bytes.buffer;
  });
}

const GOOD_BYTES = good().weightData.byteLength; // (2·3 + 3 + 3·1 + 1)·4 = 52

interface Case { name: string; input: () => unknown; options?: () => object; error: RegExp }

const CASES: Case[] = [
  // the text and the top level
  { name: 'model.json that is not JSON', input: () => 'hello', options: () => ({ weightData: new Uint8Array(GOOD_BYTES) }), error: /model must be a model\.json file's JSON text; it does not parse: Unexpected token/ },
  { name: 'model.json cut short', input: () => modelJsonText((t) => t.slice(0, t.length / 2)), error: /model must be a model\.json file's JSON text; it does not parse.*the file looks truncated/ },
  { name: 'model.json over the length limit (never parsed)', input: () => ' '.repeat(MODEL_LIMITS.textLength + 1), error: /model must be a model\.json text of at most 503316480 characters; got a string of 503316481 characters \(not parsed\)/ },
  { name: 'null', input: () => null, error: /the model must be a TF\.js layers model.*; got null/ },
  { name: 'a graph model', input: () => edited((m) => { m.format = 'graph-model'; }), error: /format must be 'layers-model'.*got "graph-model"/ },
  { name: 'no modelTopology', input: () => edited((m) => { delete m.modelTopology; }), error: /modelTopology must be a Keras model's JSON.*got undefined/ },
  { name: 'a functional model', input: () => edited((m) => { m.modelTopology.class_name = 'Functional'; }), error: /modelTopology\.class_name must be 'Sequential'.*got "Functional"/ },
  { name: '__proto__ key in a layer config (model.json text)', input: () => modelJsonText((t) => t.replace('"units":3,', '"units":3,"__proto__":{"polluted":1},')), options: () => ({ weightData: good().weightData }), error: /unexpected key "__proto__" in modelTopology\.config\.layers\[0\]\.config \(__proto__, constructor, prototype are never accepted\)/ },
  { name: 'constructor key at the top', input: () => edited((m) => { Object.defineProperty(m, 'constructor', { value: { prototype: { polluted: 1 } }, enumerable: true }); }), error: /fromTFJS: unexpected key "constructor" \(__proto__, constructor, prototype are never accepted\)/ },
  { name: 'a getter for modelTopology', input: () => { const m = edited(() => {}); delete m.modelTopology; return Object.defineProperty(m, 'modelTopology', { enumerable: true, get() { throw new Error('the getter ran'); } }); }, error: /modelTopology must be a plain value; got "an accessor property"/ },
  { name: 'a hole in the layers', input: () => edited((_, layers) => { delete layers[1]; }), error: /modelTopology\.config\.layers\[1\] must be present; got "a hole in the array"/ },
  // layers
  { name: 'an unknown layer (Conv2D)', input: () => edited((_, layers) => { layers.splice(1, 0, { class_name: 'Conv2D', config: { name: 'conv2d_1', filters: 8 } }); }), error: /layers\[1\] "conv2d_1" \(Conv2D\) is not supported: wasm-mlp reads a Sequential model of Dense layers \(activation linear, sigmoid, tanh, relu, softmax\), each optionally followed by LeakyReLU with alpha 0\.01/ },
  { name: 'a Dropout layer', input: () => edited((_, layers) => { layers.splice(2, 0, { class_name: 'Dropout', config: { name: 'dropout_1', rate: 0.5 } }); }), error: /"dropout_1" \(Dropout\) is not supported/ },
  { name: 'an unknown activation (gelu)', input: () => edited((_, layers) => { layers[2].config.activation = 'gelu'; }), error: /layers\[2\] "dense_2" \(Dense\) activation must be one of 'linear', 'sigmoid', 'tanh', 'relu', 'softmax'.*got "gelu"/ },
  { name: "Keras 3's 'leaky_relu' activation string (slope 0.2)", input: () => edited((_, layers) => { layers.splice(1, 1); layers[0].config.activation = 'leaky_relu'; }), error: /activation must be one of .*LeakyReLU layer after it.*got "leaky_relu"/ },
  { name: 'softmax on a hidden layer', input: () => edited((_, layers) => { layers.splice(1, 1); layers[0].config.activation = 'softmax'; }), error: /"dense_1" \(Dense\): activation "softmax" is not supported on a hidden layer/ },
  { name: 'a linear hidden layer', input: () => edited((_, layers) => { layers.splice(1, 1); }), error: /"dense_1" \(Dense\): activation "linear" is not supported on a hidden layer/ },
  { name: 'a relu output', input: () => edited((_, layers) => { layers[2].config.activation = 'relu'; }), error: /"dense_2" \(Dense\): activation "relu" is not supported on the output layer; the output is 'sigmoid', 'softmax' or 'linear'/ },
  { name: 'a one-unit softmax output', input: () => edited((_, layers) => { layers[2].config.activation = 'softmax'; }), error: /a softmax output needs at least 2 units; got 1/ },
  { name: "LeakyReLU with TF.js's default alpha 0.3", input: () => edited((_, layers) => { layers[1].config.alpha = 0.3; }), error: /"leaky_re_lu_1" \(LeakyReLU\) alpha must be 0\.01 .*got 0\.3/ },
  { name: 'LeakyReLU without its alpha', input: () => edited((_, layers) => { delete layers[1].config.alpha; }), error: /alpha must be 0\.01 .*TF\.js's default is 0\.3, so it must be written.*got undefined/ },
  { name: 'LeakyReLU after a tanh Dense', input: () => edited((_, layers) => { layers[0].config.activation = 'tanh'; }), error: /\(LeakyReLU\): a LeakyReLU layer must follow a Dense layer with activation 'linear'/ },
  { name: 'LeakyReLU twice', input: () => edited((_, layers) => { layers.splice(2, 0, { ...layers[1], config: { ...layers[1].config, name: 'again' } }); }), error: /"again" \(LeakyReLU\): a LeakyReLU layer must follow a Dense layer/ },
  { name: 'an InputLayer in the middle', input: () => edited((_, layers) => { layers.splice(2, 0, { class_name: 'InputLayer', config: { name: 'in2', batch_input_shape: [null, 3] } }); }), error: /"in2" \(InputLayer\): an InputLayer may only be the first layer/ },
  { name: 'no input size', input: () => edited((_, layers) => { delete layers[0].config.batch_input_shape; }), error: /the model's input size is not written: the first layer needs batch_input_shape \[null, n_x\]/ },
  { name: 'an image input [null, 28, 28, 1]', input: () => edited((_, layers) => { layers[0].config.batch_input_shape = [null, 28, 28, 1]; }), error: /batch_input_shape must be \[null, n_x\].*got an Array of length 4/ },
  { name: 'units of 10⁹', input: () => edited((_, layers) => { layers[0].config.units = 1e9; }), error: /"dense_1" \(Dense\) units must be an integer from 1 to 1048576; got 1000000000/ },
  { name: 'units as a string', input: () => edited((_, layers) => { layers[2].config.units = '1'; }), error: /units must be an integer from 1 to 1048576; got "1"/ },
  { name: 'sizes each allowed, 2⁴⁰ parameters in all', input: () => edited((_, layers) => { layers[0].config.units = 2 ** 20; layers[2].config.units = 2 ** 20; }), error: /"dense_2" \(Dense\): the model has more than 16777216 parameters/ },
  { name: '3000 layers', input: () => edited((m, layers) => { m.modelTopology.config.layers = Array.from({ length: 3000 }, () => layers[2]); }), error: /modelTopology\.config\.layers must be an array of 1 to 2049 layers; got an Array of length 3000/ },
  { name: 'a float16 layer', input: () => edited((_, layers) => { layers[2].config.dtype = 'float16'; }), error: /"dense_2" \(Dense\) dtype must be 'float32'.*got "float16"/ },
  // weight specs
  { name: 'the kernel shape transposed', input: () => edited((m) => { m.weightSpecs[0].shape = [3, 2]; }), error: /weightSpecs\[0\] \("dense_1\/kernel"\): shape \[3, 2\] does not fit .*"dense_1" \(Dense\): expected \[2, 3\] \(\[inputs, units\]\)/ },
  { name: 'a bias missing', input: () => edited((m) => { m.weightSpecs.splice(3, 1); m.weightData = m.weightData.slice(0, GOOD_BYTES - 4); }), error: /"dense_2" \(Dense\): its bias "dense_2\/bias" is not among the weights/ },
  { name: 'a weight of no layer', input: () => edited((m) => { m.weightSpecs.push({ name: 'stray/kernel', shape: [0], dtype: 'float32' }); }), error: /weightSpecs\[4\] \("stray\/kernel"\) is the weight "stray\/kernel", which belongs to no Dense layer/ },
  { name: 'a weight named twice', input: () => edited((m) => { m.weightSpecs[3].name = 'dense_2/kernel'; }), error: /the weight name "dense_2\/kernel" appears twice/ },
  { name: 'a weight of 10⁹ × 10⁹ values', input: () => edited((m) => { m.weightSpecs[0].shape = [1e9, 1e9]; }), error: /weightSpecs\[0\]\.shape\[0\] must be an integer from 0 to 16777216; got 1000000000/ },
  { name: 'a weight of 2¹⁴ × 2¹⁴ values (each size allowed)', input: () => edited((m) => { m.weightSpecs[0].shape = [2 ** 14, 2 ** 14]; }), error: /has shape \[16384, 16384\]: more than 16777216 values/ },
  { name: 'quantized weights', input: () => edited((m) => { m.weightSpecs[0].quantization = { dtype: 'uint8', scale: 0.1, min: 0 }; }), error: /\("dense_1\/kernel"\) is quantized; wasm-mlp reads float32 weights only/ },
  { name: 'int32 weights', input: () => edited((m) => { m.weightSpecs[1].dtype = 'int32'; }), error: /weightSpecs\[1\]\.dtype must be 'float32'.*got "int32"/ },
  { name: 'a million weight specs', input: () => edited((m) => { m.weightSpecs = new Array(1e6).fill(m.weightSpecs[0]); }), error: /the model lists 1000000 weights; a wasm-mlp network has at most 2048/ },
  { name: 'weightSpecs and weightsManifest both', input: () => edited((m) => { m.weightsManifest = [{ paths: ['w.bin'], weights: [] }]; }), error: /both weightSpecs and weightsManifest/ },
  // weight data
  { name: 'weight data cut short by one float', input: () => edited((m) => { m.weightData = m.weightData.slice(0, GOOD_BYTES - 4); }), error: /the weight data holds 48 bytes but the weight specs describe 52: the weights file looks truncated/ },
  { name: 'weight data longer than the specs', input: () => edited((m) => { m.weightData = new ArrayBuffer(GOOD_BYTES + 8); }), error: /holds 60 bytes but the weight specs describe 52: there are bytes no weight spec accounts for/ },
  { name: 'weight data a few bytes long claiming nothing', input: () => edited((m) => { m.weightData = new ArrayBuffer(3); }), error: /holds 3 bytes but the weight specs describe 52/ },
  { name: 'model.json without its weights', input: () => modelJsonText(), error: /the weight data is missing: model\.json names its weights files; pass their bytes as options\.weightData/ },
  { name: 'weight data as a string', input: () => modelJsonText(), options: () => ({ weightData: 'AAAA' }), error: /options\.weightData must be an ArrayBuffer, a typed array .*got "AAAA"/ },
  { name: 'NaN in a kernel', input: () => withFloat(5, NaN), error: /weightSpecs\[0\] \("dense_1\/kernel"\)\[1, 2\] is NaN; a wasm-mlp network holds finite weights only/ },
  { name: 'Infinity in a bias', input: () => withFloat(8, Infinity), error: /weightSpecs\[1\] \("dense_1\/bias"\)\[2\] is Infinity/ },
  { name: '-Infinity in the output layer', input: () => withFloat(10, -Infinity), error: /\("dense_2\/kernel"\)\[1, 0\] is -Infinity/ },
  // options
  { name: 'a bad backend', input: () => good(), options: () => ({ backend: 'webgpu' }), error: /options\.backend must be 'wasm' or 'js'; got "webgpu"/ },
];

describe.each(BACKENDS)('fromTFJS rejects a bad or hostile model (backend %s)', (backend) => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('has at least 25 cases, and the unbroken model loads', async () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
    const net = await fromTFJS(good(), { backend });
    expect(net.activations).toEqual(['leakyRelu', 'sigmoid']);
    net.dispose();
  });

  it.each(CASES)('$name', async ({ input, options, error }) => {
    const create = vi.spyOn(Network, 'create');
    const model = input();
    const opts = options?.() ?? { backend };
    const before = process.memoryUsage().arrayBuffers;
    const err = await fromTFJS(model as object, opts).then(() => new Error('it loaded'), (e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(WebAssembly.RuntimeError);
    expect(err.message).toMatch(/^fromTFJS: /);
    expect(err.message).toMatch(error);
    // checked before a network is built: nothing created, nothing big reserved, no prototype reached
    expect(create).not.toHaveBeenCalled();
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 2 ** 20);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
