/**
 * toTFJS and fromTFJS, checked by TensorFlow.js 4.22 itself (its cpu backend): TF.js loads every
 * export of the activation × depth × width × backend product (312 networks, as the ONNX test)
 * and predicts what predictProba gives; a Sequential built and trained in TF.js is read by
 * fromTFJS, predicts the same, and trains on; model.json with its weights file, Keras' own
 * topology form, and the round trip back to bit-identical parameters.
 */
import { describe, expect, it } from 'vitest';
import type * as tfTypes from '@tensorflow/tfjs';
import { Network, datasets, type Activation } from '../src/index.js';
import { fromTFJS, tfjsModelJSON, toTFJS, type TFJSArtifacts } from '../src/export.js';
import { HIDDEN, OUTPUTS, WIDTHS, archOf, randomNetwork, randomRows } from './support/export-nets.js';
import { compareWithNetwork } from './support/tolerance.js';
import { loadInTfjs, predictRows, saveToMemory, tfCpu } from './support/tfjs.js';

const BACKENDS = ['wasm', 'js'] as const;

/** Same bits in both parameter lists. */
function sameParams(a: Network, b: Network): boolean {
  const pa = a.getParams(), pb = b.getParams();
  const bits = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
  return pa.length === pb.length && pa.every((p, l) => bits(p.W.data).equals(bits(pb[l].W.data)) && bits(p.b).equals(bits(pb[l].b)));
}

describe('toTFJS loaded by TensorFlow.js', () => {
  it('predicts what predictProba gives for every activation pairing, depth 1–4, width 1, 3, 17, 33, on both backends (batch 1 and 37)', async () => {
    const tf = await tfCpu();
    const failures: string[] = [];
    let worst = 0, n = 0;
    for (const backend of BACKENDS) {
      for (const output of OUTPUTS) {
        for (const depth of [1, 2, 3, 4]) {
          for (const hidden of depth === 1 ? [HIDDEN[0]] : HIDDEN) {
            for (const width of WIDTHS) {
              const arch = archOf(depth, width, hidden, output);
              const net = await randomNetwork(arch, backend, 21 + n);
              const model = await loadInTfjs(toTFJS(net));
              try {
                for (const m of [1, 37]) {
                  const x = randomRows(m, arch.layers[0], 900 + n);
                  const c = compareWithNetwork(net, x, m, predictRows(model, x, m, arch.layers[0]), `${backend} [${arch.layers.join(', ')}] ${arch.activations.join('/')} batch ${m}`);
                  failures.push(...c.failures);
                  worst = Math.max(worst, c.worst);
                }
              } finally {
                model.dispose();
                net.dispose();
              }
              n++;
            }
          }
        }
      }
    }
    expect(n).toBe(312);
    expect(failures).toEqual([]);
    expect(tf.memory().numTensors, 'every TF.js model disposed').toBe(0);
    console.log(`TF.js vs predictProba, worst fraction of the tolerance: ${worst.toFixed(3)}`);
  }, 120_000);

  it('writes Dense layers with the kernel [n_in, n_out] and leaky ReLU as a LeakyReLU layer with alpha 0.01 spelled out', async () => {
    const net = await Network.create({ layers: [3, 4, 2], activations: ['leakyRelu', 'softmax'], backend: 'js' });
    try {
      const a = toTFJS(net);
      const layers = (a.modelTopology.config as { layers: { class_name: string; config: Record<string, unknown> }[] }).layers;
      expect(layers.map((l) => l.class_name)).toEqual(['Dense', 'LeakyReLU', 'Dense']);
      expect(layers[0].config).toMatchObject({ units: 4, activation: 'linear', use_bias: true, batch_input_shape: [null, 3] });
      expect(layers[1].config.alpha).toBe(0.01);
      expect(layers[2].config).toMatchObject({ units: 2, activation: 'softmax' });
      expect(a.weightSpecs).toEqual([
        { name: 'dense_1/kernel', shape: [3, 4], dtype: 'float32' }, { name: 'dense_1/bias', shape: [4], dtype: 'float32' },
        { name: 'dense_2/kernel', shape: [4, 2], dtype: 'float32' }, { name: 'dense_2/bias', shape: [2], dtype: 'float32' },
      ]);
      expect(a.weightData.byteLength).toBe(4 * (3 * 4 + 4 + 4 * 2 + 2));
      // kernel[i][j] = W[j][i]
      const W = net.getParams()[0].W, kernel = new Float32Array(a.weightData, 0, 12);
      for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) expect(kernel[i * 4 + j]).toBe(W.data[j * 3 + i]);
      expect(a.userDefinedMetadata).toMatchObject({ library: 'wasm-mlp', loss: 'cce' });
    } finally {
      net.dispose();
    }
  });
});

/** A TF.js Sequential trained for a few epochs on the flower (so every weight and bias moved). */
async function trainedTfjsModel(tf: typeof tfTypes, X: Float32Array, y: Float32Array, m: number) {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [2], units: 8, activation: 'relu' }),
      tf.layers.dense({ units: 6 }),
      tf.layers.leakyReLU({ alpha: 0.01 }),
      tf.layers.dense({ units: 5, activation: 'tanh', useBias: false }),
      tf.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'binaryCrossentropy' });
  const xs = tf.tensor2d(X, [m, 2]), ys = tf.tensor2d(y, [m, 1]);
  await model.fit(xs, ys, { epochs: 5, batchSize: 50, verbose: 0 });
  const loss = tf.tidy(() => (model.evaluate(xs, ys, { batchSize: m }) as tfTypes.Scalar).dataSync()[0]);
  xs.dispose();
  ys.dispose();
  return { model, loss };
}

describe('fromTFJS on a model built in TensorFlow.js', () => {
  it('reads a trained tf.sequential of Dense and LeakyReLU layers, predicts what TF.js predicts, and trains on from its weights', async () => {
    const tf = await tfCpu();
    const { X, Y } = datasets.flower({ m: 400, seed: 1 });
    const rows = new Float32Array(800);
    for (let j = 0; j < 400; j++) for (let i = 0; i < 2; i++) rows[j * 2 + i] = X.data[i * 400 + j];
    const { model, loss } = await trainedTfjsModel(tf, rows, Y.data, 400);
    try {
      const artifacts = await saveToMemory(model);
      const tfPred = predictRows(model, rows, 400, 2);
      for (const backend of BACKENDS) {
        const net = await fromTFJS(artifacts, { backend });
        try {
          expect(net.layers).toEqual([2, 8, 6, 5, 1]);
          expect(net.activations).toEqual(['relu', 'leakyRelu', 'tanh', 'sigmoid']);
          expect(net.loss).toBe('bce');
          expect(net.getParams()[2].b.every((v) => v === 0), 'useBias: false reads as b = 0').toBe(true);
          const c = compareWithNetwork(net, rows, 400, tfPred, `fromTFJS ${backend}`);
          expect(c.failures).toEqual([]);

          // the same cost as TF.js measured on these weights: float32 BCE, mean over 400 examples
          // (TF.js clips a to [1e-7, 1 − 1e-7]; no prediction here is that close to 0 or 1)
          net.forward(X);
          const before = net.cost(Y);
          expect(Math.abs(before - loss) / loss).toBeLessThan(1e-5);

          const result = net.train(X, Y, { epochs: 30, batchSize: 50, optimizer: 'adam', learningRate: 0.01, seed: 3 });
          expect(result.stopped).toBe('done');
          net.forward(X);
          const after = net.cost(Y);
          expect(after, `training continued from TF.js's weights (cost ${before} → ${after})`).toBeLessThan(before * 0.9);
        } finally {
          net.dispose();
        }
      }
    } finally {
      model.dispose();
    }
  }, 60_000);

  it('reads a softmax and a linear model, and the export of wasm-mlp back to bit-identical parameters, activations and loss', async () => {
    const tf = await tfCpu();
    const softmax = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: 'sigmoid' }), tf.layers.dense({ units: 3, activation: 'softmax' })] });
    const linear = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 })] });
    try {
      for (const [model, acts] of [[softmax, ['sigmoid', 'softmax']], [linear, ['linear']]] as const) {
        const net = await fromTFJS(await saveToMemory(model));
        try {
          expect(net.activations).toEqual(acts);
          const x = randomRows(9, net.layers[0], 4);
          expect(compareWithNetwork(net, x, 9, predictRows(model, x, 9, net.layers[0]), acts.join('/')).failures).toEqual([]);
        } finally {
          net.dispose();
        }
      }
    } finally {
      softmax.dispose();
      linear.dispose();
    }
    for (const backend of BACKENDS) {
      const acts: Activation[] = ['tanh', 'leakyRelu', 'sigmoid'];
      const net = await randomNetwork({ layers: [3, 7, 5, 2], activations: acts }, backend, 8);
      const mse = await Network.create({ layers: [2, 3, 1], activations: ['relu', 'sigmoid'], loss: 'mse', backend });
      try {
        const back = await fromTFJS(toTFJS(net), { backend: backend === 'wasm' ? 'js' : 'wasm' });
        expect(back.activations).toEqual(acts);
        expect(sameParams(net, back)).toBe(true);
        back.dispose();
        const mseBack = await fromTFJS(toTFJS(mse));
        expect(mseBack.loss, 'the loss comes back from userDefinedMetadata').toBe('mse');
        mseBack.dispose();
        const overridden = await fromTFJS(toTFJS(mse), { loss: 'bce' });
        expect(overridden.loss).toBe('bce');
        overridden.dispose();
      } finally {
        net.dispose();
        mse.dispose();
      }
    }
  });
});

describe('model.json and its weights file', () => {
  it('tfjsModelJSON names weights.bin; fromTFJS reads the text with the bytes, and TF.js loads the same files', async () => {
    const net = await randomNetwork({ layers: [2, 5, 3], activations: ['relu', 'softmax'] }, 'wasm', 5);
    try {
      const a = toTFJS(net);
      const json = tfjsModelJSON(a);
      expect(json.weightsManifest).toEqual([{ paths: ['weights.bin'], weights: a.weightSpecs }]);
      const text = JSON.stringify(json);
      const bin = new Uint8Array(a.weightData.slice(0));
      const back = await fromTFJS(text, { weightData: bin });
      try {
        expect(sameParams(net, back)).toBe(true);
      } finally {
        back.dispose();
      }
      // TF.js from the files' contents: the manifest's specs with the bytes
      const parsed = JSON.parse(text) as { modelTopology: object; weightsManifest: { weights: TFJSArtifacts['weightSpecs'] }[] };
      const model = await loadInTfjs({ modelTopology: parsed.modelTopology, weightSpecs: parsed.weightsManifest[0].weights, weightData: bin.buffer } as TFJSArtifacts);
      const x = randomRows(6, 2, 2);
      expect(compareWithNetwork(net, x, 6, predictRows(model, x, 6, 2), 'model.json').failures).toEqual([]);
      model.dispose();
    } finally {
      net.dispose();
    }
  });

  it("reads Keras' own form (model_config wrapper, an InputLayer, weights named dense/kernel, weights in two files, optimizer state) as TF.js does", async () => {
    const net = await randomNetwork({ layers: [3, 4, 2], activations: ['tanh', 'sigmoid'] }, 'js', 6);
    try {
      const a = toTFJS(net);
      const [d1, d2] = (a.modelTopology.config as { layers: { config: Record<string, unknown> }[] }).layers.map((l) => l.config);
      const { batch_input_shape: _shape, ...first } = d1;
      const keras = {
        format: 'layers-model',
        generatedBy: 'keras v2.15.0',
        convertedBy: 'TensorFlow.js Converter v4.22.0',
        modelTopology: {
          keras_version: '2.15.0',
          backend: 'tensorflow',
          model_config: {
            class_name: 'Sequential',
            config: {
              name: 'sequential',
              layers: [
                { class_name: 'InputLayer', config: { batch_input_shape: [null, 3], dtype: 'float32', sparse: false, ragged: false, name: 'input_1' } },
                { class_name: 'Dense', config: { ...first, name: 'dense', kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } } } },
                { class_name: 'Dense', config: { ...d2, name: 'dense_1' } },
              ],
            },
          },
          training_config: { loss: 'binary_crossentropy' },
        },
        weightsManifest: [
          { paths: ['group1-shard1of2.bin'], weights: [{ name: 'dense/kernel', shape: [3, 4], dtype: 'float32' }, { name: 'dense/bias', shape: [4], dtype: 'float32' }] },
          {
            paths: ['group1-shard2of2.bin'],
            weights: [
              { name: 'dense_1/kernel', shape: [4, 2], dtype: 'float32' }, { name: 'dense_1/bias', shape: [2], dtype: 'float32' },
              { name: 'Adam/iter', shape: [], dtype: 'int32', group: 'optimizer' },
            ],
          },
        ],
      };
      const bytes = new Uint8Array(a.weightData);
      const shard1 = bytes.slice(0, 4 * 16), shard2 = new Uint8Array([...bytes.slice(4 * 16), 7, 0, 0, 0]);
      const back = await fromTFJS(keras, { weightData: [shard1, shard2] });
      try {
        expect(back.layers).toEqual([3, 4, 2]);
        expect(sameParams(net, back)).toBe(true);
      } finally {
        back.dispose();
      }
      // TF.js reads the same file to the same predictions
      const specs = keras.weightsManifest.flatMap((g) => g.weights);
      const joined = new Uint8Array([...shard1, ...shard2]);
      const model = await loadInTfjs({ modelTopology: keras.modelTopology, weightSpecs: specs, weightData: joined.buffer } as unknown as TFJSArtifacts);
      const x = randomRows(5, 3, 3);
      expect(compareWithNetwork(net, x, 5, predictRows(model, x, 5, 3), 'keras form').failures).toEqual([]);
      model.dispose();
    } finally {
      net.dispose();
    }
  });
});

describe('fromTFJS options', () => {
  it('checks its options: backend, unknown keys, a loss the output cannot take, weights given twice', async () => {
    const net = await Network.create({ layers: [2, 1], backend: 'js' });
    const a = toTFJS(net);
    net.dispose();
    await expect(fromTFJS(a, { backend: 'gpu' as 'js' })).rejects.toThrow(/fromTFJS: options\.backend must be 'wasm' or 'js'; got "gpu"/);
    await expect(fromTFJS(a, { lr: 1 } as object)).rejects.toThrow(/fromTFJS: unexpected key "lr" in options; a fromTFJS options object has only the keys backend, threads, simd, loss, weightData/);
    await expect(fromTFJS(a, { loss: 'cce' })).rejects.toThrow(/fromTFJS: the model's architecture is not accepted: .*loss/);
    await expect(fromTFJS(a, { weightData: new Uint8Array(12) })).rejects.toThrow(/weight data given twice/);
  });
});
