/**
 * `wasm-mlp export --model MODEL.json (--onnx FILE.onnx | --tfjs DIR)` and
 * `wasm-mlp import --tfjs DIR/model.json --save MODEL.json`: a model file to ONNX or TF.js, and a
 * TF.js layers model to the library's model file.
 *
 * The model file is either the library's (net.toJSON(), format 'wasm-mlp') or the command line's
 * (`wasm-mlp train --save`, format 'wasm-mlp-cli'). The command line's network was trained on
 * standardized features, (x − mean)/std, and for regression predicts the standardized target;
 * by default that scaling is folded into the exported weights, so the exported model takes the
 * raw feature values and (regression) predicts in the target's units:
 *   first layer  W'[j][i] = W[j][i] / std_i,  b'[j] = b[j] − Σ_i W[j][i]·mean_i / std_i
 *   last layer   W' = s·W, b' = s·b + μ   (regression, target mean μ and std s)
 * computed in float64 and rounded to float32 once. `--no-fold` exports the network as trained.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Network } from '../network.js';
import { BACKENDS, type BackendName } from '../core/backend.js';
import { denseModelOf, type DenseModel } from '../io/dense-model.js';
import { encodeONNX, ONNX_IR_VERSION, ONNX_OPSET } from '../io/onnx.js';
import { encodeTFJS, tfjsModelJSON } from '../io/tfjs.js';
import { MODEL_LIMITS } from '../io/model-file.js';
import { element, ownValue, parseJSONText, plainObject } from '../io/untrusted.js';
import { fromTFJS } from '../export.js';
import { commandFlags, oneOf, required, UsageError } from './args.js';
import { DataError, readText } from './data.js';
import { CLI_MODEL_FORMAT, CLI_MODEL_TEXT_SHAPE, loadCliModel, writeFileAtomic, type CliModelFile } from './model.js';
import { TFJS_TEXT_SHAPE } from '../io/tfjs-topology.js';

export const EXPORT_HELP = `Usage: wasm-mlp export --model MODEL.json [--onnx FILE.onnx] [--tfjs DIR] [--no-fold]

Writes a saved network as ONNX (for ONNX Runtime in Node, Python, C++, the browser, …) and/or as
a TensorFlow.js layers model (DIR/model.json + DIR/weights.bin, for tf.loadLayersModel).
MODEL.json is a model file of \`wasm-mlp train --save\` or the library's net.toJSON().

The exported model takes one ROW per example: ONNX input X float32 [N, n_x], output Y [N, n_y]
(the output activations: probabilities for classification, values for regression).

A model of \`wasm-mlp train\` was trained on standardized features, (x − mean) / std with the
training data's mean and std. The export folds that scaling into the first layer's weights and
bias (and, for regression, the target's scale into the last layer), so the exported model takes
the RAW feature values in the file's feature order and predicts in the target's units. Folding is
exact in real arithmetic; in float32 the first layer then sums raw values, which costs accuracy
in proportion to a feature's |mean| / std (see the README, "Beyond one machine").

Options:
  --model PATH          the model file
  --onnx PATH           write the ONNX model here (IR version ${ONNX_IR_VERSION}, operator set ${ONNX_OPSET})
  --tfjs DIR            write model.json and weights.bin into DIR (created if missing)
  --no-fold             export the network as trained: the inputs must then be standardized with
                        the file's standardize.mean and .std, and a regression output is the
                        standardized target
  -h, --help            this text

Files are written whole or not at all; exit code 1 for a bad file, 2 for a bad flag or a file
that cannot be read at all.
`;

export const IMPORT_HELP = `Usage: wasm-mlp import --tfjs DIR/model.json --save MODEL.json [--backend NAME]

Reads a TensorFlow.js layers model (model.json and the weight files it names, in its folder) and
saves it as the library's model file (format 'wasm-mlp', as net.toJSON() writes it), for
Network.fromJSON and \`wasm-mlp export\`. The model must be a Sequential of Dense layers with
activations linear, sigmoid, tanh, relu or softmax, LeakyReLU layers (alpha 0.01) after linear
ones; anything else is refused, naming the layer.

Options:
  --tfjs PATH           model.json, or the folder holding it
  --save PATH           where to write the model file (written whole or not at all)
  --backend NAME        wasm | js: the backend that checks the model (default wasm)
  -h, --help            this text
`;

/** What the export writes about the model besides the network: the command line's feature names and labels. */
interface Described {
  model: DenseModel;
  what: string;
  metadata: Record<string, string>;
  input: string;
}

export async function exportMain(argv: string[]): Promise<number> {
  const f = commandFlags(argv, {
    model: { type: 'string' }, onnx: { type: 'string' }, tfjs: { type: 'string' }, 'no-fold': { type: 'boolean' },
  }, EXPORT_HELP);
  if (!f) return 0;
  const modelPath = required(f, 'model', 'MODEL.json (from wasm-mlp train --save or net.toJSON())');
  const onnx = f.onnx as string | undefined, tfjs = f.tfjs as string | undefined;
  if (onnx === undefined && tfjs === undefined) throw new UsageError('give --onnx FILE.onnx, --tfjs DIR or both: the format to write');
  if (onnx !== undefined && path.resolve(onnx) === path.resolve(modelPath)) throw new UsageError('--onnx names the --model file; the export would overwrite it');

  const d = await describeModelFile(modelPath, readText(modelPath, 'model file'), !f['no-fold']);
  const { layers, activations } = d.model;
  console.log(`wasm-mlp export: ${modelPath}: network [${layers.join(', ')}], ${activations.join(' / ')} (${d.what})`);
  console.log(`input: ${d.input}`);
  if (onnx !== undefined) {
    const bytes = encodeONNX(d.model, d.metadata);
    writeFileAtomic(onnx, bytes);
    console.log(`wrote ${onnx} (${bytes.length} bytes; ONNX IR version ${ONNX_IR_VERSION}, operator set ${ONNX_OPSET}; input X [N, ${layers[0]}], output Y [N, ${layers[layers.length - 1]}])`);
  }
  if (tfjs !== undefined) {
    const a = encodeTFJS(d.model, d.metadata);
    try {
      mkdirSync(tfjs, { recursive: true });
    } catch (e) {
      throw new DataError(`cannot create the folder ${tfjs}: ${(e as Error).message}`);
    }
    // the weights first: a model.json never names a file that is not there yet
    writeFileAtomic(path.join(tfjs, 'weights.bin'), new Uint8Array(a.weightData));
    writeFileAtomic(path.join(tfjs, 'model.json'), JSON.stringify(tfjsModelJSON(a)) + '\n');
    console.log(`wrote ${path.join(tfjs, 'model.json')} and weights.bin (${a.weightData.byteLength} bytes; TF.js layers model: tf.loadLayersModel)`);
  }
  return 0;
}

/** The network of a model file (the library's or the command line's), folded as the file comment says. */
async function describeModelFile(file: string, text: string, fold: boolean): Promise<Described> {
  const parsed = parseJSONText(file, text, CLI_MODEL_TEXT_SHAPE, 'the text', { text: 'a model file text', file: 'a model file' });
  const format = typeof parsed === 'object' && parsed !== null && Object.hasOwn(parsed, 'format') ? (parsed as { format: unknown }).format : undefined;
  if (format === CLI_MODEL_FORMAT) {
    const { file: desc, net } = await loadCliModel(file, text, 'js');
    try {
      const model = denseModelOf(net, 'wasm-mlp export');
      const features = desc.features.join(', ');
      const metadata: Record<string, string> = {
        task: desc.task, features: JSON.stringify(desc.features), target: desc.target,
        ...(desc.classes ? { classes: JSON.stringify(desc.classes) } : {}),
      };
      if (!fold) {
        metadata.input = 'standardized features (x - mean) / std, in the order of "features"';
        metadata.standardize = JSON.stringify(desc.standardize);
        if (desc.targetScale) metadata.targetScale = JSON.stringify(desc.targetScale);
        return { model, what: 'a wasm-mlp train model, exported as trained (--no-fold)', metadata, input: `standardized features (x − mean) / std of ${features}, with the mean and std in ${file}` };
      }
      foldScaling(model, desc);
      metadata.input = 'raw feature values, in the order of "features"';
      return { model, what: 'a wasm-mlp train model; its feature standardization folded into the first layer', metadata, input: `raw values of ${features}, in this order` };
    } finally {
      net.dispose();
    }
  }
  let net: Network;
  try {
    net = await Network.fromJSON(text, { backend: 'js' });
  } catch (e) {
    throw new DataError(`${file}: ${(e as Error).message} (expected a model file of wasm-mlp train --save or net.toJSON())`);
  }
  try {
    return { model: denseModelOf(net, 'wasm-mlp export'), what: 'a net.toJSON() model file', metadata: {}, input: `${net.layers[0]} features, as the network was trained on them` };
  } finally {
    net.dispose();
  }
}

/** Folds the command line's input standardization (and a regression target's scale) into the weights, in place. */
export function foldScaling(model: DenseModel, desc: Pick<CliModelFile, 'standardize' | 'targetScale'>): void {
  const L = model.params.length;
  const W64 = model.params.map(({ W }) => Float64Array.from(W.data));
  const b64 = model.params.map(({ b }) => Float64Array.from(b));
  const { mean, std } = desc.standardize;
  const first = model.params[0].W;
  for (let j = 0; j < first.rows; j++) {
    for (let i = 0; i < first.cols; i++) {
      const w = W64[0][j * first.cols + i];
      W64[0][j * first.cols + i] = w / std[i];
      b64[0][j] -= (w * mean[i]) / std[i];
    }
  }
  if (desc.targetScale) {
    const { mean: mu, std: s } = desc.targetScale;
    for (let k = 0; k < W64[L - 1].length; k++) W64[L - 1][k] *= s;
    for (let k = 0; k < b64[L - 1].length; k++) b64[L - 1][k] = b64[L - 1][k] * s + mu;
  }
  model.params.forEach((p, l) => {
    p.W.data.set(W64[l]);
    p.b.set(b64[l]);
    for (const values of [p.W.data, p.b]) {
      const bad = values.find((v) => !Number.isFinite(v));
      if (bad !== undefined) throw new DataError(`folding the standardization into layer ${l + 1} gives ${bad}, beyond float32; export with --no-fold`);
    }
  });
}

/** At most this many weight files; their bytes together at most twice the largest network's weights. */
const MAX_WEIGHT_FILES = 1024;
const MAX_WEIGHT_BYTES = MODEL_LIMITS.params * 4 * 2;

export async function importMain(argv: string[]): Promise<number> {
  const f = commandFlags(argv, { tfjs: { type: 'string' }, save: { type: 'string' }, backend: { type: 'string' } }, IMPORT_HELP);
  if (!f) return 0;
  let modelJson = required(f, 'tfjs', 'DIR/model.json (a TF.js layers model)');
  const save = required(f, 'save', 'MODEL.json (where to write the model file)');
  const backend = oneOf<BackendName>(f, 'backend', BACKENDS, 'wasm');
  try {
    if (statSync(modelJson).isDirectory()) modelJson = path.join(modelJson, 'model.json');
  } catch {
    // readText below reports a missing file
  }
  if (path.resolve(save) === path.resolve(modelJson)) throw new UsageError('--save names the --tfjs model.json; it would be overwritten');
  const text = readText(modelJson, 'TF.js model.json');
  const weights = readWeightFiles(modelJson, text);
  let net: Network;
  try {
    net = await fromTFJS(text, { weightData: weights, backend });
  } catch (e) {
    throw new DataError(`${modelJson}: ${(e as Error).message}`);
  }
  try {
    writeFileAtomic(save, JSON.stringify(net) + '\n');
    console.log(`wasm-mlp import: ${modelJson}: network [${net.layers.join(', ')}], ${net.activations.join(' / ')}, loss ${net.loss}`);
    console.log(`saved ${save} (a wasm-mlp model file: Network.fromJSON, wasm-mlp export)`);
  } finally {
    net.dispose();
  }
  return 0;
}

/**
 * The weight files model.json names (weightsManifest[*].paths, in order), read from its folder:
 * each a relative path inside that folder, their sizes added up and bounded before any is read.
 */
function readWeightFiles(modelJson: string, text: string): Uint8Array[] {
  const where = modelJson;
  const root = plainObject(where, parseJSONText(where, text, TFJS_TEXT_SHAPE, 'the text', { text: 'a model.json text', file: 'a TF.js model.json' }), 'model.json', 'a TF.js model.json object');
  const manifest = ownValue(where, root, 'weightsManifest', '');
  if (!Array.isArray(manifest) || manifest.length > MAX_WEIGHT_FILES) {
    throw new DataError(`${where}: weightsManifest must be an array of at most ${MAX_WEIGHT_FILES} groups { paths, weights } naming the weight files`);
  }
  const dir = path.resolve(path.dirname(modelJson));
  const files: { file: string; size: number }[] = [];
  let total = 0;
  for (let g = 0; g < manifest.length; g++) {
    const group = plainObject(where, element(where, manifest, g, 'weightsManifest'), `weightsManifest[${g}]`, 'a group { paths, weights }');
    const paths = ownValue(where, group, 'paths', `weightsManifest[${g}]`);
    if (!Array.isArray(paths) || paths.length > MAX_WEIGHT_FILES) throw new DataError(`${where}: weightsManifest[${g}].paths must be an array of file names`);
    for (let k = 0; k < paths.length; k++) {
      const p = element(where, paths, k, `weightsManifest[${g}].paths`);
      const at = `weightsManifest[${g}].paths[${k}]`;
      if (typeof p !== 'string' || p === '' || path.isAbsolute(p) || p.includes('\\') || p.split('/').includes('..')) {
        throw new DataError(`${where}: ${at} must be a file name relative to model.json's folder (no absolute path, no ..); got ${JSON.stringify(p)}`);
      }
      const file = path.resolve(dir, p);
      let size: number;
      try {
        const st = statSync(file);
        if (!st.isFile()) throw new Error('not a file');
        size = st.size;
      } catch (e) {
        throw new DataError(`${where}: ${at} names ${file}, which cannot be read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
      }
      total += size;
      if (files.length >= MAX_WEIGHT_FILES || total > MAX_WEIGHT_BYTES) {
        throw new DataError(`${where}: the weight files add up to more than ${MAX_WEIGHT_BYTES} bytes (or more than ${MAX_WEIGHT_FILES} files), beyond any wasm-mlp network`);
      }
      files.push({ file, size });
    }
  }
  return files.map(({ file }) => new Uint8Array(readFileSync(file)));
}
