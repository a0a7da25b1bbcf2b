/**
 * A dense network in TensorFlow.js's layers-model format: a Keras `Sequential` of `Dense` layers,
 * as tf.loadLayersModel(tf.io.fromMemory(...)) reads it. TF.js's Dense computes x·kernel + bias
 * with one ROW per example, kernel [n_in, n_out], so the kernel is W transposed. A leaky ReLU layer
 * is a linear Dense followed by a `LeakyReLU` layer with alpha 0.01 written out (TF.js's default
 * alpha is 0.3). The weights are one little-endian float32 buffer, kernel then bias per Dense, in
 * layer order. Reading such a model back: src/io/tfjs-read.ts.
 */
import type { Activation } from '../core/architecture.js';
import type { DenseModel } from './dense-model.js';
import { LIBRARY_NAME, LIBRARY_VERSION } from './producer.js';

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

/** The Dense activations this library has, as Keras names them. */
export const TFJS_DENSE_ACTIVATIONS = ['linear', 'sigmoid', 'tanh', 'relu', 'softmax'] as const;
export const KERAS_TO_ACTIVATION: Record<string, Activation> = {
  linear: 'linear', sigmoid: 'sigmoid', tanh: 'tanh', relu: 'relu', softmax: 'softmax',
};
/** this library's leaky ReLU slope */
export const LEAKY_ALPHA = 0.01;

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
