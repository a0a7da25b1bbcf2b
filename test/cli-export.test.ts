/**
 * `wasm-mlp export` and `wasm-mlp import` as a user runs them (`node dist/cli.js …`, built by
 * `npm run build`): a model trained by `wasm-mlp train` exported to ONNX and TF.js, run by ONNX
 * Runtime and TensorFlow.js on the RAW feature values (the standardization folded in) against the
 * library's own prediction path (standardize, then predictProba); a regression whose feature sits
 * far from zero, where folding costs accuracy, measured against its bound; --no-fold; import of a
 * TF.js model back to a model file; and bad input. Everything goes to a temporary directory.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { Network } from '../src/index.js';
import { fromTFJS, type TFJSArtifacts } from '../src/export.js';
import { createRng } from '../src/util/rng.js';
import { csvLine } from '../src/data/csv.js';
import { CLI, cliSandbox } from './support/cli-sandbox.js';
import { readmeBlock } from './support/readme-blocks.js';
import { columnsToRows, rowsToColumns } from './support/export-nets.js';
import { mismatch } from './support/tolerance.js';
import { loadInTfjs, predictRows, saveToMemory, tfCpu } from './support/tfjs.js';
import { decode, messages, strings } from './support/protobuf-read.js';

const box = cliSandbox('wasm-mlp-export-');
const { run, at } = box;

interface CliFile {
  features: string[]; classes: string[] | null;
  standardize: { mean: number[]; std: number[] }; targetScale: { mean: number; std: number } | null;
  model: object;
}

/** The library's prediction path for raw rows, as `wasm-mlp predict` computes it: standardize (float64), predictProba, unscale. */
async function libraryPredict(file: CliFile, rows: Float32Array, m: number): Promise<Float32Array> {
  const net = await Network.fromJSON(file.model as never, { backend: 'js' });
  try {
    const n = file.features.length;
    const X = rowsToColumns(rows, m, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) X.data[i * m + j] = (X.data[i * m + j] - file.standardize.mean[i]) / file.standardize.std[i];
    const out = columnsToRows(net.predictProba(X));
    if (file.targetScale) for (let k = 0; k < out.length; k++) out[k] = out[k] * file.targetScale.std + file.targetScale.mean;
    return out;
  } finally {
    net.dispose();
  }
}

async function runOnnx(file: string, rows: Float32Array, m: number, n: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(readFileSync(file));
  try {
    return (await session.run({ X: new ort.Tensor('float32', rows, [m, n]) })).Y.data as Float32Array;
  } finally {
    await session.release();
  }
}

/** The artifacts of a TF.js folder written by the export (model.json + weights.bin). */
function readTfjsDir(dir: string): TFJSArtifacts {
  const json = JSON.parse(readFileSync(at(`${dir}/model.json`), 'utf8'));
  return { ...json, weightSpecs: json.weightsManifest[0].weights, weightsManifest: undefined, weightData: new Uint8Array(readFileSync(at(`${dir}/weights.bin`))).buffer };
}

// the flower as a user's CSV, and the rows as float32 (what the CLI parses them to)
const FLOWER = readFileSync(new URL('../examples/flower.csv', import.meta.url), 'utf8');
const flowerRows = Float32Array.from(FLOWER.trim().split('\n').slice(1).flatMap((l) => l.split(',').slice(0, 2).map(Number)));
const mFlower = flowerRows.length / 2;

beforeAll(() => {
  writeFileSync(at('flower.csv'), FLOWER);
  const r = run('train', '--data', 'flower.csv', '--target', 'colour', '--layers', '8', '--epochs', '40', '--save', 'flower-model.json', '--quiet');
  expect(r.status, r.stderr).toBe(0);
});

describe('wasm-mlp export', () => {
  it('writes ONNX and TF.js that take the raw features: ONNX Runtime and TF.js give what the library gives after standardizing', async () => {
    const r = run('export', '--model', 'flower-model.json', '--onnx', 'flower.onnx', '--tfjs', 'flower-tfjs');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^wasm-mlp export: flower-model\.json: network \[2, 8, 1\], tanh \/ sigmoid \(a wasm-mlp train model; its feature standardization folded into the first layer\)\ninput: raw values of x1, x2, in this order\nwrote flower\.onnx \(\d+ bytes; ONNX IR version 7, operator set 13; input X \[N, 2\], output Y \[N, 1\]\)\nwrote flower-tfjs\/model\.json and weights\.bin \(132 bytes; TF\.js layers model: tf\.loadLayersModel\)\n$/);
    const file = JSON.parse(readFileSync(at('flower-model.json'), 'utf8')) as CliFile;
    const expected = await libraryPredict(file, flowerRows, mFlower);
    const onnx = await runOnnx(at('flower.onnx'), flowerRows, mFlower, 2);
    await tfCpu();
    const model = await loadInTfjs(readTfjsDir('flower-tfjs'));
    const tfjs = predictRows(model, flowerRows, mFlower, 2);
    model.dispose();
    // the folded weights are the trained ones rounded once more (relative 2⁻²⁴ each) and the flower's
    // features have |mean| / std below 0.1, so the probabilities keep the 1e-5 tolerance of
    // test/support/tolerance.ts
    for (let j = 0; j < mFlower; j++) {
      expect(mismatch(onnx[j], expected[j], 'sigmoid', 0), `ONNX example ${j}`).toBeLessThanOrEqual(1);
      expect(mismatch(tfjs[j], expected[j], 'sigmoid', 0), `TF.js example ${j}`).toBeLessThanOrEqual(1);
    }
    const meta = Object.fromEntries(messages(decode(readFileSync(at('flower.onnx'))), 14).map((e) => [strings(e, 1)[0], strings(e, 2)[0]]));
    expect(meta).toMatchObject({ library: 'wasm-mlp', task: 'classification', features: '["x1","x2"]', target: 'colour', classes: '["blue","red"]', input: 'raw feature values, in the order of "features"' });
    expect(JSON.parse(readFileSync(at('flower-tfjs/model.json'), 'utf8')).userDefinedMetadata).toMatchObject({ features: '["x1","x2"]', classes: '["blue","red"]' });
  });

  it.each([0, 1000])('folds a regression target too; a feature around %i costs accuracy in proportion to its |mean| / std', async (offset) => {
    // y = 3·(x1 − offset) + sin(x2), x1 ~ offset + N(0, 1), x2 ~ N(0, 4)
    const rng = createRng(4);
    const m = 300;
    const rows = new Float32Array(2 * m);
    const lines = [csvLine(['x1', 'x2', 'y'])];
    for (let j = 0; j < m; j++) {
      const x1 = Math.fround(offset + rng.normal()), x2 = Math.fround(2 * rng.normal());
      rows[2 * j] = x1;
      rows[2 * j + 1] = x2;
      lines.push(csvLine([String(x1), String(x2), String(3 * (x1 - offset) + Math.sin(x2))]));
    }
    const name = `offset${offset}`;
    writeFileSync(at(`${name}.csv`), lines.join(''));
    expect(run('train', '--data', `${name}.csv`, '--target', 'y', '--regression', '--layers', '16', '--epochs', '30', '--save', `${name}.json`, '--quiet').status).toBe(0);
    expect(run('export', '--model', `${name}.json`, '--onnx', `${name}.onnx`).status).toBe(0);
    const file = JSON.parse(readFileSync(at(`${name}.json`), 'utf8')) as CliFile;
    const ratio = Math.max(...file.standardize.mean.map((mu, i) => Math.abs(mu) / file.standardize.std[i]));
    const expected = await libraryPredict(file, rows, m);
    const onnx = await runOnnx(at(`${name}.onnx`), rows, m, 2);
    let worst = 0;
    for (let j = 0; j < m; j++) worst = Math.max(worst, Math.abs(onnx[j] - expected[j]) / file.targetScale!.std);
    // float32 rounding of the network itself: outputs up to ~3 target standard deviations from sums
    // of ≤ 17 terms, 3·17·2⁻²⁴ ≈ 3e-6 at worst (measured 6e-7); folded, the first layer sums raw
    // values, terms |mean|/std times larger than the standardized ones, each rounded relative to
    // its size: 1e-6 ≈ 17·2⁻²⁴ per unit of that ratio (measured 6e-8)
    expect(worst).toBeLessThanOrEqual(3e-6 + 1e-6 * ratio);
    console.log(`folded regression, features |mean|/std up to ${ratio.toFixed(0)}: ONNX vs wasm-mlp's own prediction, worst difference ${worst.toExponential(2)} target standard deviations`);
  });

  it('--no-fold exports the network as trained: standardized inputs give predictProba', async () => {
    expect(run('export', '--model', 'flower-model.json', '--onnx', 'raw.onnx', '--no-fold').status).toBe(0);
    const file = JSON.parse(readFileSync(at('flower-model.json'), 'utf8')) as CliFile;
    const std = Float32Array.from(flowerRows, (x, k) => (x - file.standardize.mean[k % 2]) / file.standardize.std[k % 2]);
    const net = await Network.fromJSON(file.model as never, { backend: 'js' });
    const expected = columnsToRows(net.predictProba(rowsToColumns(std, mFlower, 2)));
    net.dispose();
    const onnx = await runOnnx(at('raw.onnx'), std, mFlower, 2);
    for (let j = 0; j < mFlower; j++) expect(mismatch(onnx[j], expected[j], 'sigmoid', 0)).toBeLessThanOrEqual(1);
    const meta = Object.fromEntries(messages(decode(readFileSync(at('raw.onnx'))), 14).map((e) => [strings(e, 1)[0], strings(e, 2)[0]]));
    expect(JSON.parse(meta.standardize)).toEqual(file.standardize);
  });

  it("exports the library's own model file (net.toJSON()) as it is", async () => {
    const net = await Network.create({ layers: [3, 4, 2], activations: ['relu', 'softmax'], backend: 'js', seed: 9 });
    writeFileSync(at('lib-model.json'), JSON.stringify(net));
    const r = run('export', '--model', 'lib-model.json', '--onnx', 'lib.onnx');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\(a net\.toJSON\(\) model file\)\ninput: 3 features, as the network was trained on them\n/);
    const rows = Float32Array.of(1, 2, 3, -1, 0, 0.5);
    const expected = columnsToRows(net.predictProba(rowsToColumns(rows, 2, 3)));
    const got = await runOnnx(at('lib.onnx'), rows, 2, 3);
    for (let k = 0; k < 4; k++) expect(mismatch(got[k], expected[k], 'softmax', 0)).toBeLessThanOrEqual(1);
    net.dispose();
  });

  it('--help says what the exported model takes', () => {
    const r = run('export', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: wasm-mlp export --model MODEL\.json/);
    expect(r.stdout).toMatch(/the exported model takes\nthe RAW feature values in the file's feature order/);
    expect(run('import', '--help').stdout).toMatch(/^Usage: wasm-mlp import --tfjs DIR\/model\.json --save MODEL\.json/);
  });

  it.each([
    { what: 'no format to write', args: ['--model', 'flower-model.json'], status: 2, error: /give --onnx FILE\.onnx, --tfjs DIR or both/ },
    { what: 'no --model', args: ['--onnx', 'x.onnx'], status: 2, error: /--model MODEL\.json .* is required/ },
    { what: '--onnx over the model file', args: ['--model', 'flower-model.json', '--onnx', 'flower-model.json'], status: 2, error: /--onnx names the --model file/ },
    { what: 'a model file that is a CSV', args: ['--model', 'flower.csv', '--onnx', 'x.onnx'], status: 1, error: /^wasm-mlp export: flower\.csv: the text must be a model file's JSON text; it does not parse: Unexpected token/ },
    // a file that cannot be used at all: exit code 2, like a bad flag (a file with bad content: 1)
    { what: 'a missing model file', args: ['--model', 'nope.json', '--onnx', 'x.onnx'], status: 2, error: /cannot read model file nope\.json: no such file/ },
])('refuses $what (exit $status) and writes nothing', ({ args, status, error }) => {
    const r = run('export', ...args);
    expect(r.status).toBe(status);
    expect(r.stderr).toMatch(error);
    expect(existsSync(at('x.onnx'))).toBe(false);
  });
});

describe('the README', () => {
  it("runs the export and import lines of 'From the command line' as written, after its training line, and prints what it shows", () => {
    mkdirSync(at('readme/examples'), { recursive: true });
    writeFileSync(at('readme/examples/flower.csv'), FLOWER);
    const argsOf = (line: string) => line.replace(/^node dist\/cli\.js /, '').split(' ');
    const train = readmeBlock('cli-example').split('\n')[0];
    const lines = readmeBlock('cli-export-example').trim().split('\n');
    const inReadme = (line: string) => spawnSync(process.execPath, [CLI, ...argsOf(line)], { cwd: at('readme'), encoding: 'utf8', timeout: 60_000 });
    expect(inReadme(train).status).toBe(0);
    let out = '';
    for (const line of lines) {
      const r = inReadme(line);
      expect(r.stderr, line).toBe('');
      expect(r.status, line).toBe(0);
      out += r.stdout;
    }
    expect(out).toBe(readmeBlock('cli-export-example-output'));
  });
});

describe('wasm-mlp import', () => {
  it("reads the export's TF.js folder back to a model file with the same weights", async () => {
    const r = run('import', '--tfjs', 'flower-tfjs/model.json', '--save', 'back.json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('wasm-mlp import: flower-tfjs/model.json: network [2, 8, 1], tanh / sigmoid, loss bce\nsaved back.json (a wasm-mlp model file: Network.fromJSON, wasm-mlp export)\n');
    const back = await Network.fromJSON(readFileSync(at('back.json'), 'utf8'), { backend: 'js' });
    const direct = await fromTFJS(readTfjsDir('flower-tfjs'), { backend: 'js' });
    expect(back.getParams()).toEqual(direct.getParams());
    back.dispose();
    direct.dispose();
    // the folder itself works too
    expect(run('import', '--tfjs', 'flower-tfjs', '--save', 'back2.json').status).toBe(0);
    expect(readFileSync(at('back2.json'), 'utf8')).toBe(readFileSync(at('back.json'), 'utf8'));
  });

  it('reads a model saved by TensorFlow.js in two weight files', async () => {
    const tf = await tfCpu();
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 4, activation: 'tanh' }), tf.layers.dense({ units: 3, activation: 'softmax' })] });
    const a = await saveToMemory(model);
    const bytes = new Uint8Array(a.weightData as ArrayBuffer);
    const specs = a.weightSpecs!;
    mkdirSync(at('tf-made/shards'), { recursive: true });
    writeFileSync(at('tf-made/shards/a.bin'), bytes.subarray(0, 4 * 16));
    writeFileSync(at('tf-made/b.bin'), bytes.subarray(4 * 16));
    writeFileSync(at('tf-made/model.json'), JSON.stringify({
      format: a.format, generatedBy: a.generatedBy, modelTopology: a.modelTopology,
      weightsManifest: [{ paths: ['shards/a.bin'], weights: specs.slice(0, 2) }, { paths: ['b.bin'], weights: specs.slice(2) }],
    }));
    const r = run('import', '--tfjs', 'tf-made/model.json', '--save', 'tf-made.json');
    expect(r.status, r.stderr).toBe(0);
    const net = await Network.fromJSON(readFileSync(at('tf-made.json'), 'utf8'), { backend: 'js' });
    const rows = Float32Array.of(0.5, -1, 2, 1, 1, 1);
    const expected = predictRows(model, rows, 2, 3);
    const got = columnsToRows(net.predictProba(rowsToColumns(rows, 2, 3)));
    for (let k = 0; k < 6; k++) expect(mismatch(got[k], expected[k], 'softmax', 0)).toBeLessThanOrEqual(1);
    net.dispose();
    model.dispose();
  });

  it.each([
    ['a weight path out of the folder', { paths: ['../flower-model.json'] }, /^wasm-mlp import: bad-tfjs\/model\.json: weightsManifest\[0\]\.paths\[0\] must be a file name relative to model\.json's folder \(no absolute path, no \.\.\); got "\.\.\/flower-model\.json"/],
    ['an absolute weight path', { paths: ['/etc/hostname'] }, /paths\[0\] must be a file name relative/],
    ['a missing weight file', { paths: ['gone.bin'] }, /paths\[0\] names .*gone\.bin, which cannot be read: no such file/],
  ])('refuses %s', (_, group, error) => {
    const json = JSON.parse(readFileSync(at('flower-tfjs/model.json'), 'utf8'));
    json.weightsManifest[0] = { ...json.weightsManifest[0], ...group };
    mkdirSync(at('bad-tfjs'), { recursive: true });
    writeFileSync(at('bad-tfjs/model.json'), JSON.stringify(json));
    const r = run('import', '--tfjs', 'bad-tfjs/model.json', '--save', 'bad.json');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(error);
    expect(existsSync(at('bad.json'))).toBe(false);
  });

  it('refuses an unsupported layer, naming it, and a truncated weights file', () => {
    const json = JSON.parse(readFileSync(at('flower-tfjs/model.json'), 'utf8'));
    json.modelTopology.config.layers.splice(1, 0, { class_name: 'BatchNormalization', config: { name: 'batch_norm_1' } });
    mkdirSync(at('bn-tfjs'), { recursive: true });
    writeFileSync(at('bn-tfjs/model.json'), JSON.stringify(json));
    writeFileSync(at('bn-tfjs/weights.bin'), readFileSync(at('flower-tfjs/weights.bin')));
    let r = run('import', '--tfjs', 'bn-tfjs/model.json', '--save', 'bn.json');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^wasm-mlp import: bn-tfjs\/model\.json: fromTFJS: modelTopology\.config\.layers\[1\] "batch_norm_1" \(BatchNormalization\) is not supported/);
    writeFileSync(at('bn-tfjs/model.json'), readFileSync(at('flower-tfjs/model.json')));
    writeFileSync(at('bn-tfjs/weights.bin'), readFileSync(at('flower-tfjs/weights.bin')).subarray(0, 100));
    r = run('import', '--tfjs', 'bn-tfjs/model.json', '--save', 'bn.json');
    expect(r.stderr).toMatch(/the weight data holds 100 bytes but the weight specs describe 132: the weights file looks truncated/);
    expect(existsSync(at('bn.json'))).toBe(false);
  });
});
