/**
 * wasm-mlp/export: a network to ONNX and TensorFlow.js, and a TF.js model back to a network.
 * An entry of its own, so that the training bundle carries none of it:
 *
 *   import { Network } from 'wasm-mlp';
 *   import { toONNX, toTFJS, fromTFJS } from 'wasm-mlp/export';
 *
 * The built files (dist/export.js, dist/browser/export.js) import the main entry beside them
 * rather than bundling a second copy of it, so both see the same Network class.
 */
import { Network } from './index.js';
import type { BackendName } from './core/backend.js';
import type { Loss } from './core/architecture.js';
import { denseModelOf } from './io/dense-model.js';
import { encodeONNX, ONNX_IR_VERSION, ONNX_OPSET } from './io/onnx.js';
import { encodeTFJS, tfjsModelJSON, type TFJSArtifacts, type TFJSModelJSON, type TFJSWeightSpec } from './io/tfjs.js';
import { decodeTFJS } from './io/tfjs-read.js';
import { TFJS_LIMITS } from './io/tfjs-topology.js';
import { fail } from './util/validate.js';
import { BACKENDS, checkExecutionOptions, type ThreadsOption } from './core/execution-options.js';
import type { SimdOption } from './core/modules.js';
import { ownValue, plainObject } from './io/untrusted.js';

export { ONNX_IR_VERSION, ONNX_OPSET, TFJS_LIMITS, tfjsModelJSON };
export type { TFJSArtifacts, TFJSModelJSON, TFJSWeightSpec };

/**
 * The network as an ONNX model (IR version 7, operator set 13): input X float32 [N, n_x] with one
 * ROW per example (N symbolic), output Y [N, n_y] — what net.predictProba(X) gives, transposed.
 * One Gemm per layer (W as stored, transB = 1; b as C), then Tanh / Sigmoid / Relu /
 * LeakyRelu (alpha 0.01) / Softmax (axis 1), nothing for linear. Dropout is not exported.
 *
 * @example
 *   const bytes = toONNX(net);                        // Uint8Array
 *   writeFileSync('model.onnx', bytes);               // Node
 *   const session = await ort.InferenceSession.create(bytes);
 */
export function toONNX(net: Network): Uint8Array {
  return encodeONNX(denseModelOf(net, 'toONNX'));
}

/**
 * The network in TensorFlow.js's layers-model format: a Keras Sequential of Dense layers (kernel
 * = Wᵀ, [n_in, n_out]; leaky ReLU as a linear Dense and a LeakyReLU layer with alpha 0.01).
 *
 * @example
 *   const model = await tf.loadLayersModel(tf.io.fromMemory(toTFJS(net)));
 *   model.predict(tf.tensor2d(rows));                 // one row per example
 *   // files: JSON.stringify(tfjsModelJSON(a)) → model.json, new Uint8Array(a.weightData) → weights.bin
 */
export function toTFJS(net: Network): TFJSArtifacts {
  return encodeTFJS(denseModelOf(net, 'toTFJS'));
}

export interface FromTFJSOptions {
  /** backend of the new network: 'wasm' (default) or 'js' */
  backend?: BackendName;
  /** threads the large products are split over, as Network.create's (default 'auto'); `net.threads` says how many run */
  threads?: ThreadsOption;
  /** the kernel build, as Network.create's: 'auto' (default), 'relaxed' or 'plain'; `net.simd` says which runs */
  simd?: SimdOption;
  /** the loss to train with; default: the one wasm-mlp's export wrote, else the output's (sigmoid → 'bce', softmax → 'cce', linear → 'mse') */
  loss?: Loss;
  /** with model.json: the bytes of its weights files, concatenated in weightsManifest's order */
  weightData?: ArrayBuffer | ArrayBufferView | readonly (ArrayBuffer | ArrayBufferView)[];
}

const WHERE = 'fromTFJS';

/**
 * A network from a TF.js layers model: the artifacts object ({ modelTopology, weightSpecs,
 * weightData }, from toTFJS or a tf.io save handler), or model.json (object or text) with its
 * weights' bytes in options.weightData. A Sequential of Dense layers (linear, sigmoid, tanh, relu,
 * softmax), LeakyReLU layers (alpha 0.01) after linear ones; anything else, and any bad size,
 * shape or value, is an Error naming it, raised before any memory is reserved from the file's sizes.
 *
 * @example
 *   let artifacts;
 *   await tfModel.save(tf.io.withSaveHandler(async (a) => { artifacts = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
 *   const net = await fromTFJS(artifacts);
 *   net.train(X, Y, { epochs: 10, batchSize: 32, optimizer: 'adam' });
 */
export async function fromTFJS(model: TFJSArtifacts | TFJSModelJSON | string | object, options: FromTFJSOptions = {}): Promise<Network> {
  const opts = plainObject(WHERE, options, 'options', 'an object { backend?, threads?, simd?, loss?, weightData? }', { keys: ['backend', 'threads', 'simd', 'loss', 'weightData'], noun: 'fromTFJS options object' });
  const backend = ownValue(WHERE, opts, 'backend', 'options') ?? 'wasm';
  if (!BACKENDS.includes(backend as BackendName)) fail(WHERE, 'options.backend', "'wasm' or 'js'", backend);
  const execution = checkExecutionOptions(WHERE, { threads: ownValue(WHERE, opts, 'threads', 'options'), simd: ownValue(WHERE, opts, 'simd', 'options') }, 'options.');
  const decoded = decodeTFJS(WHERE, model, ownValue(WHERE, opts, 'weightData', 'options'));
  const loss = (ownValue(WHERE, opts, 'loss', 'options') as Loss | undefined) ?? decoded.loss;
  let net: Network;
  try {
    net = await Network.create({ layers: decoded.layers, activations: decoded.activations, backend: backend as BackendName, ...execution, ...(loss === undefined ? {} : { loss }) });
  } catch (e) {
    throw new Error(`${WHERE}: the model's architecture is not accepted: ${(e as Error).message}`);
  }
  try {
    net.setParams(decoded.params);
  } catch (e) {
    net.dispose(); // no half-built network survives a failed load
    throw e;
  }
  return net;
}
