/**
 * `wasm-mlp predict` as a user runs it (`node dist/cli.js predict …`, built by `npm run build`), on
 * a model file made here with the library's API, so this file tests predict on its own; the
 * train → predict round trip is in cli-train-command.test.ts. Everything goes to a temporary directory.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Network, datasets, type Matrix } from '../src/index.js';
import { parseCsv } from '../src/data/csv.js';
import { cliSandbox } from './support/cli-sandbox.js';

const box = cliSandbox('wasm-mlp-predict-');
const { run, at } = box;

// The flower, as a user's CSV: an id column, the features in a shuffled column order, a text label.
const { X, Y } = datasets.flower({ m: 200, seed: 3 });
const m = X.cols;
const CLASSES = ['petal', 'gap'];
const csvRows = Array.from({ length: m }, (_, j) => `${j},${CLASSES[Y.data[j]]},${X.data[m + j]},${X.data[j]}`);
const DATA = `id,kind,y,x\n${csvRows.join('\n')}\n`;

// The standardization the model file declares, computed here in float64 (population std).
const stats = [0, 1].map((i) => {
  const v = Array.from(X.data.subarray(i * m, (i + 1) * m));
  const mean = v.reduce((s, x) => s + x, 0) / m;
  return { mean, std: Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / m) };
});
const Xs: Matrix = { rows: 2, cols: m, data: X.data.map((x, k) => (x - stats[k < m ? 0 : 1].mean) / stats[k < m ? 0 : 1].std) };

let net: Network;
let modelFile: Record<string, unknown>;

beforeAll(async () => {
  net = await Network.create({ layers: [2, 8, 1], activations: ['tanh', 'sigmoid'], backend: 'js', seed: 4 });
  net.init({ scheme: 'xavier' });
  net.train(Xs, Y, { iterations: 2000, learningRate: 1 });
  modelFile = {
    format: 'wasm-mlp-cli', version: 1, task: 'classification', features: ['x', 'y'], target: 'kind', classes: CLASSES,
    standardize: { mean: stats.map((s) => s.mean), std: stats.map((s) => s.std) }, targetScale: null, model: net.toJSON(),
  };
  writeFileSync(at('model.json'), JSON.stringify(modelFile));
  writeFileSync(at('data.csv'), DATA);
});

describe('wasm-mlp predict', () => {
  it('writes one prediction per row to stdout: the class label and a probability per class', () => {
    const r = run('predict', '--model', 'model.json', '--data', 'data.csv');
    expect(r.status, r.stderr).toBe(0);
    const { records, problems } = parseCsv(r.stdout);
    expect(problems).toEqual([]);
    expect(records[0].fields).toEqual(['kind', 'p_petal', 'p_gap']);
    expect(records).toHaveLength(m + 1);
    const P = net.predictProba(Xs).data, C = net.predict(Xs).data;
    let right = 0;
    records.slice(1).forEach(({ fields: [label, p0, p1] }, j) => {
      expect(label).toBe(CLASSES[C[j]]);
      // printed with 6 significant digits: within 5e-7 relative (1e-6 absolute for p ≤ 1)
      expect(Math.abs(Number(p1) - P[j])).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(Number(p0) - (1 - P[j]))).toBeLessThanOrEqual(1e-6);
      if (label === CLASSES[Y.data[j]]) right++;
    });
    // the course's flower with a 2-8-1 tanh network: well above chance
    expect(right / m).toBeGreaterThan(0.8);
    // the file has the target column "kind": the predictions are scored against it, on stderr
    expect(r.stderr.split('\n').slice(0, 2)).toEqual([
      `wasm-mlp predict: scored against the file's "kind" column: ${m} rows`,
      `  accuracy ${(right / m * 100).toFixed(2)}%`,
    ]);
  });

  it.each(['wasm', 'js'])('--out writes the file whole (backend %s); nothing else is left in the directory', (backend) => {
    const out = `pred-${backend}.csv`;
    const r = run('predict', '--model', 'model.json', '--data', 'data.csv', '--out', out, '--backend', backend);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(`wasm-mlp predict: ${m} predictions of kind written to ${out}`);
    const text = readFileSync(at(out), 'utf8');
    // the same text as on stdout
    expect(text).toBe(run('predict', '--model', 'model.json', '--data', 'data.csv', '--backend', backend).stdout);
    expect(parseCsv(text).records).toHaveLength(m + 1);
    expect(readdirSync(box.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('takes the features by name: a file with only them, in another order, gives the same predictions', () => {
    writeFileSync(at('only.csv'), `y,x\n${Array.from({ length: m }, (_, j) => `${X.data[m + j]},${X.data[j]}`).join('\r\n')}`);
    const a = run('predict', '--model', 'model.json', '--data', 'only.csv');
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout).toBe(run('predict', '--model', 'model.json', '--data', 'data.csv').stdout);
  });

  it('a bad row: its line number on stderr, exit code 1, and the old --out file left as it was', () => {
    const lines = DATA.split('\n');
    lines[57] = '56,gap,0.5'; // line 58: a field short
    lines[120] = '119,petal,oops,1'; // line 121
    writeFileSync(at('bad.csv'), lines.join('\n'));
    writeFileSync(at('keep.csv'), 'old contents\n');
    const r = run('predict', '--model', 'model.json', '--data', 'bad.csv', '--out', 'keep.csv');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe([
      'wasm-mlp predict: bad.csv: 2 bad rows; nothing was written',
      '  line 58: 3 fields; the header (line 1) has 4',
      '  line 121: feature column "y" is not a number: "oops"',
      '',
    ].join('\n'));
    expect(readFileSync(at('keep.csv'), 'utf8')).toBe('old contents\n');
  });

  it('a missing feature column is named', () => {
    writeFileSync(at('nox.csv'), 'y,z\n1,2\n');
    const r = run('predict', '--model', 'model.json', '--data', 'nox.csv');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('wasm-mlp predict: nox.csv has no column "x" (the features); its columns are "y", "z"\n');
  });

  const edit = (f: (o: Record<string, any>) => void): string => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const o = JSON.parse(JSON.stringify(modelFile));
    f(o);
    return JSON.stringify(o);
  };
  it.each([
    ['a truncated file', () => JSON.stringify(modelFile).slice(0, 300), /model\.json is not a model file: the model file must be `wasm-mlp train --save`.s JSON text; it does not parse.*looks truncated; a truncated or edited file\?/],
    ['a bare network from net.toJSON()', () => JSON.stringify(modelFile.model), /is a bare network \(format 'wasm-mlp', from net\.toJSON\(\)\); predict needs the file `wasm-mlp train --save` writes/],
    ['a __proto__ key', () => JSON.stringify(modelFile).replace('{', '{"__proto__":{"x":1},'), /unexpected key "__proto__"; a wasm-mlp-cli model has only the keys/],
    ['fewer features than inputs', () => edit((o) => { o.features = ['x']; o.standardize = { mean: [0], std: [1] }; }), /the network has 2 inputs but the file lists 1 features/],
    ['a zero std', () => edit((o) => { o.standardize.std[1] = 0; }), /standardize\.std\[1\] must be a finite number > 0; got 0/],
    ['a std of the wrong length', () => edit((o) => { o.standardize.std = [1]; }), /standardize\.std must be an array of 2 numbers \(one per feature\); got an Array of length 1/],
    ['three classes for one sigmoid output', () => edit((o) => { o.classes = ['a', 'b', 'c']; }), /3 classes need 3 outputs; the network has 1/],
    ['a hostile network inside', () => edit((o) => { o.model.params[0].W[5] = 'NaN'; }), /the network in "model" is rejected: Network\.fromJSON: params\[0\]\.W\[5\] must be a finite number/],
    ['a 10⁹-unit layer inside', () => edit((o) => { o.model.layers[1] = 1e9; }), /Network\.fromJSON: layers\[1\] must be an integer from 1 to 1048576; got 1000000000/],
    ['a regression description on a sigmoid network', () => edit((o) => { o.task = 'regression'; o.classes = null; o.targetScale = { mean: 0, std: 1 }; }), /a regression model needs one linear output; the network has 1 sigmoid/],
    ['a class listed twice', () => edit((o) => { o.classes = ['gap', 'gap']; }), /classes\[1\] must be different from classes\[0\]; got "gap"/],
    ['a wrong version', () => edit((o) => { o.version = 7; }), /version must be 1; got 7/],
  ])('a bad model file: %s', (_, text, error) => {
    writeFileSync(at('badmodel.json'), text());
    const r = run('predict', '--model', 'badmodel.json', '--data', 'data.csv', '--out', 'never.csv');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^wasm-mlp predict: badmodel\.json/);
    expect(r.stderr).toMatch(error);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(at('never.csv'))).toBe(false);
  });

  it.each([
    [['--data', 'data.csv'], /--model MODEL\.json .* is required/],
    [['--model', 'model.json', '--data', 'data.csv', '--backend', 'gpu'], /--backend must be one of wasm, js; got 'gpu'/],
    [['--model', 'model.json', '--data', 'data.csv', '--bogus'], /Unknown option '--bogus'/],
    [['--model', 'model.json', '--data', 'data.csv', 'extra'], /Unexpected argument 'extra'/],
    [['--model', 'model.json', '--data', 'data.csv', '--out', './data.csv'], /--out names the --data file; the predictions would overwrite it/],
  ])('a bad flag exits 2: %j', (args, error) => {
    const r = run('predict', ...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(error);
    expect(r.stderr).toMatch(/\(see wasm-mlp predict --help\)\n$/);
  });

  it('--help describes the command', () => {
    const r = run('predict', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: wasm-mlp predict --model MODEL\.json --data FILE\.csv/);
    for (const f of ['--model', '--data', '--out', '--backend']) expect(r.stdout).toMatch(new RegExp(`^\\s+${f}\\b`, 'm'));
  });
});
