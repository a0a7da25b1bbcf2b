/**
 * TensorFlow.js for the export tests: its cpu backend (pure JS, float32; the same in every Node),
 * a model saved to memory through a save handler, and predictions as one flat array of rows.
 */
import * as tf from '@tensorflow/tfjs';
import type { TFJSArtifacts } from '../../src/export.js';

let ready: Promise<void> | undefined;

/** tf with its cpu backend selected (once per process). */
export async function tfCpu(): Promise<typeof tf> {
  ready ??= tf.setBackend('cpu').then((ok) => {
    if (!ok) throw new Error('TF.js: the cpu backend did not start');
  });
  await ready;
  return tf;
}

/** What `model.save` hands its IO handler: the artifacts fromTFJS reads. */
export async function saveToMemory(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  if (!saved) throw new Error('TF.js: the save handler was not called');
  return saved;
}

/** Loads artifacts (ours or TF.js's own) as TF.js does. */
export async function loadInTfjs(artifacts: TFJSArtifacts | tf.io.ModelArtifacts): Promise<tf.LayersModel> {
  return (await tfCpu()).loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
}

/** model.predict on m rows of n features, as one Float32Array of rows. */
export function predictRows(model: tf.LayersModel, rows: Float32Array, m: number, n: number): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor2d(rows, [m, n])) as tf.Tensor).dataSync() as Float32Array).slice();
}
