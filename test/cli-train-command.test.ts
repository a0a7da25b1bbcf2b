/**
 * `wasm-mlp train` then `wasm-mlp predict`, as a user runs them (`node dist/cli.js …`, built by
 * `npm run build`), on CSV files generated here: a 2-class set, a 3-class set with text labels
 * (one with a comma, written quoted), and a regression set; then bad files and bad flags.
 * Everything goes to a temporary directory.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { datasets } from '../src/index.js';
import { createRng } from '../src/util/rng.js';
import { csvLine, parseCsv } from '../src/data/csv.js';
import { cliSandbox, repoRoot } from './support/cli-sandbox.js';

const box = cliSandbox('wasm-mlp-train-');
const { run, at } = box;
const write = (name: string, header: string[], rows: (string | number)[][]) =>
  writeFileSync(at(name), csvLine(header) + rows.map((r) => csvLine(r.map(String))).join(''));

/** The data rows of a CSV text, by column name. */
function table(text: string): Record<string, string>[] {
  const { records, problems } = parseCsv(text);
  expect(problems).toEqual([]);
  const [head, ...rows] = records;
  return rows.map((r) => Object.fromEntries(head.fields.map((h, i) => [h, r.fields[i]])));
}

/** The flower as CSV rows [x1, x2, label 0/1]. */
function flowerRows(m: number, seed: number): number[][] {
  const { X, Y } = datasets.flower({ m, seed });
  return Array.from({ length: m }, (_, j) => [X.data[j], X.data[m + j], Y.data[j]]);
}

/** Three spiral arms, labelled by text (one label needs quoting), in random order. */
const ARMS = ['red', 'green', 'dark, "blue"'];
function spiralRows(perArm: number, seed: number): string[][] {
  const rng = createRng(seed);
  const rows: string[][] = [];
  for (let k = 0; k < 3; k++) {
    for (let i = 0; i < perArm; i++) {
      const r = (i + 1) / perArm, t = (2 * Math.PI * k) / 3 + 4 * r + 0.15 * rng.normal();
      rows.push([(r * Math.sin(t)).toFixed(5), (r * Math.cos(t)).toFixed(5), ARMS[k]]);
    }
  }
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return rows;
}

/** y = 10·sin(a) + b² + 50 + noise (σ = 0.1), with an unused column `id`. */
function regressionRows(m: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: m }, (_, j) => {
    const a = 4 * rng.uniform() - 2, b = 4 * rng.uniform() - 2;
    return [j, a, b, 10 * Math.sin(a) + b * b + 50 + 0.1 * rng.normal()];
  });
}

describe('wasm-mlp train → predict', () => {
  it('2 classes (the flower, labels 0/1): sigmoid output, per-epoch lines, a held-out set predicted well', () => {
    write('flower.csv', ['x1', 'x2', 'label'], flowerRows(400, 1));
    // every epoch trains on all 400 rows (--validation 0: no held-out rows, no early stopping)
    const r = run('train', '--data', 'flower.csv', '--target', 'label', '--layers', '8', '--epochs', '150', '--save', 'flower.json', '--quiet', '--validation', '0');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^wasm-mlp train: flower\.csv, 400 rows, 2 features, target "label": 2 classes \("0", "1"\)$/m);
    expect(r.stdout).toMatch(/^network \[2, 8, 1\], tanh hidden, sigmoid output, backend wasm$/m);
    expect(r.stdout).toMatch(/^adam, 150 epochs, batch size 32, learning rate 0\.01, seed 1$/m);
    // the first epoch, every 8th (⌈150/20⌉) and the last, each with cost and accuracy
    const epochs = [...r.stdout.matchAll(/^epoch +(\d+)\/150 {2}cost (\d+\.\d{6}) {2}accuracy (\d+\.\d{2})%$/gm)];
    expect(epochs.map((e) => Number(e[1]))).toEqual([1, ...Array.from({ length: 18 }, (_, i) => 8 * (i + 1)), 150]);
    const first = epochs[0], last = epochs[epochs.length - 1];
    expect(Number(last[2])).toBeLessThan(Number(first[2]));
    const trainAcc = Number(/^training accuracy: (\d+\.\d{2})%/m.exec(r.stdout)![1]);
    expect(trainAcc).toBeGreaterThanOrEqual(85); // the course's flower: ~90% for a small tanh net
    expect(r.stdout).toMatch(/^saved flower\.json$/m);

    const model = JSON.parse(readFileSync(at('flower.json'), 'utf8'));
    expect(model).toMatchObject({ format: 'wasm-mlp-cli', version: 1, task: 'classification', features: ['x1', 'x2'], target: 'label', classes: ['0', '1'], targetScale: null });
    expect(model.model).toMatchObject({ format: 'wasm-mlp', version: 1, layers: [2, 8, 1], activations: ['tanh', 'sigmoid'], loss: 'bce' });
    expect(model.standardize.mean).toHaveLength(2);

    // a held-out flower (another seed), without the label column
    const test = flowerRows(400, 2);
    write('flower-test.csv', ['x2', 'x1'], test.map(([a, b]) => [b, a]));
    const p = run('predict', '--model', 'flower.json', '--data', 'flower-test.csv', '--out', 'flower-pred.csv');
    expect(p.status, p.stderr).toBe(0);
    const pred = table(readFileSync(at('flower-pred.csv'), 'utf8'));
    expect(Object.keys(pred[0])).toEqual(['label', 'p_0', 'p_1']);
    expect(pred).toHaveLength(400);
    const right = pred.filter((row, j) => Number(row.label) === test[j][2]).length;
    expect(right / 400).toBeGreaterThanOrEqual(0.8);
    // the label is the more probable class; the probabilities sum to 1 (6 digits printed: ±2e-6)
    for (const row of pred) {
      expect(row.label).toBe(Number(row.p_1) > Number(row.p_0) ? '1' : '0');
      expect(Math.abs(Number(row.p_0) + Number(row.p_1) - 1)).toBeLessThanOrEqual(2e-6);
    }
  });

  it('3 text-labelled classes: softmax output, ≥ 95% on the training set and on a held-out set', () => {
    write('spiral.csv', ['u', 'v', 'arm'], spiralRows(100, 3));
    const r = run('train', '--data', 'spiral.csv', '--target', 'arm', '--layers', '32,16', '--epochs', '200', '--save', 'spiral.json');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe(''); // no progress bar: stderr is not a terminal here
    expect(r.stdout).toContain('target "arm": 3 classes ("dark, \\"blue\\"", "green", "red")');
    expect(r.stdout).toMatch(/^network \[2, 32, 16, 3\], tanh hidden, softmax output, backend wasm$/m);
    const trainAcc = Number(/^training accuracy: (\d+\.\d{2})%/m.exec(r.stdout)![1]);
    expect(trainAcc).toBeGreaterThanOrEqual(95);
    const model = JSON.parse(readFileSync(at('spiral.json'), 'utf8'));
    expect(model.classes).toEqual(['dark, "blue"', 'green', 'red']);
    expect(model.model.loss).toBe('cce');

    // predicting the training file gives the accuracy train reported (same parameters, same kernels)
    const p = run('predict', '--model', 'spiral.json', '--data', 'spiral.csv');
    expect(p.status, p.stderr).toBe(0);
    const truth = table(readFileSync(at('spiral.csv'), 'utf8'));
    const pred = table(p.stdout);
    expect(Object.keys(pred[0])).toEqual(['arm', 'p_dark, "blue"', 'p_green', 'p_red']);
    const right = pred.filter((row, j) => row.arm === truth[j].arm).length;
    expect(((right / pred.length) * 100).toFixed(2)).toBe(trainAcc.toFixed(2));

    write('spiral-test.csv', ['u', 'v', 'arm'], spiralRows(100, 4));
    const held = table(run('predict', '--model', 'spiral.json', '--data', 'spiral-test.csv').stdout);
    const heldTruth = table(readFileSync(at('spiral-test.csv'), 'utf8'));
    expect(held.filter((row, j) => row.arm === heldTruth[j].arm).length / 300).toBeGreaterThanOrEqual(0.9);
  });

  it('regression: a linear output on the standardized target; predictions in the target\'s units', () => {
    write('reg.csv', ['id', 'a', 'b', 'y'], regressionRows(400, 5));
    const r = run('train', '--data', 'reg.csv', '--target', 'y', '--regression', '--features', 'a,b', '--layers', '16', '--epochs', '200', '--save', 'reg.json', '--backend', 'js', '--validation', '0');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^network \[2, 16, 1\], tanh hidden, linear output, backend js$/m);
    expect(r.stdout).toMatch(/^epoch 200\/200 {2}cost \d+\.\d{6}$/m); // no accuracy for regression
    const model = JSON.parse(readFileSync(at('reg.json'), 'utf8'));
    expect(model).toMatchObject({ task: 'regression', classes: null, features: ['a', 'b'] });
    expect(model.model.loss).toBe('mse');

    const test = regressionRows(300, 6);
    write('reg-test.csv', ['a', 'b'], test.map(([, a, b]) => [a, b]));
    const pred = table(run('predict', '--model', 'reg.json', '--data', 'reg-test.csv').stdout);
    expect(Object.keys(pred[0])).toEqual(['y']);
    const y = test.map((row) => row[3]);
    const mean = y.reduce((s, v) => s + v, 0) / y.length;
    const sd = Math.sqrt(y.reduce((s, v) => s + (v - mean) ** 2, 0) / y.length);
    const rmse = Math.sqrt(pred.reduce((s, row, j) => s + (Number(row.y) - y[j]) ** 2, 0) / y.length);
    // a smooth 2-D function learnt from 400 points: the error is a small part of the spread (sd ≈ 7)
    expect(rmse).toBeLessThan(0.1 * sd);
  });

  it('the same seed writes the same model file, byte for byte', () => {
    write('small.csv', ['x1', 'x2', 'label'], flowerRows(100, 7));
    const args = ['--data', 'small.csv', '--target', 'label', '--epochs', '20', '--batch-size', '16', '--seed', '3'];
    expect(run('train', ...args, '--save', 's1.json').status).toBe(0);
    expect(run('train', ...args, '--save', 's2.json').status).toBe(0);
    expect(readFileSync(at('s1.json'), 'utf8')).toBe(readFileSync(at('s2.json'), 'utf8'));
    expect(run('train', ...args.slice(0, -1), '4', '--save', 's3.json').status).toBe(0);
    expect(readFileSync(at('s3.json'), 'utf8')).not.toBe(readFileSync(at('s1.json'), 'utf8'));
  });
});

describe('wasm-mlp train: bad files', () => {
  /** Runs train on `text` saving to a model path that already holds 'old'; checks nothing was written. */
  function trainBad(name: string, text: string, ...extra: string[]) {
    writeFileSync(at(name), text);
    writeFileSync(at('kept.json'), 'old');
    const r = run('train', '--data', name, '--target', 'label', '--save', 'kept.json', '--quiet', ...extra);
    expect(r.status).toBe(1);
    expect(readFileSync(at('kept.json'), 'utf8')).toBe('old');
    expect(readdirSync(box.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    return r;
  }

  it('every kind of bad row, with its line number; no model written', () => {
    const lines = ['x1,x2,label', '0.1,0.2,a', '0.3,0.4,b', '0.5,0.6', '0.7,seven,a', '"0.8\n",0.9,b', '1.0,1.1,', '1.2,1.3,"a', '1.4,1.5,b'];
    const r = trainBad('bad.csv', lines.join('\r\n') + '\r\n');
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe([
      'wasm-mlp train: bad.csv: 4 bad rows; nothing was written',
      '  line 4: 2 fields; the header (line 1) has 3',
      '  line 5: feature column "x2" is not a number: "seven"',
      // line 6-7 is one record: "0.8\n" is a number with a line break, trimmed: fine
      '  line 8: the target column "label" is empty',
      '  line 9: a quoted field (field 3) opens on line 9 and is never closed',
      '',
    ].join('\n'));
  });

  it('many bad rows: all counted, the first 10 listed', () => {
    const rows = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? `${i},x,a` : `${i},1,${i % 2 ? 'a' : 'b'}`));
    const r = trainBad('many.csv', ['x1,x2,label', ...rows].join('\n'));
    const err = r.stderr.trimEnd().split('\n');
    expect(err[0]).toBe('wasm-mlp train: many.csv: 14 bad rows; nothing was written');
    expect(err.slice(1, 11).map((l) => Number(/^ {2}line (\d+): feature column "x2" is not a number: "x"$/.exec(l)![1])))
      .toEqual([2, 5, 8, 11, 14, 17, 20, 23, 26, 29]);
    expect(err[11]).toBe('  … and 4 more');
    expect(err).toHaveLength(12);
  });

  it.each([
    ['a regression target that is not a number', 'x,label\n1,2\n2,two\n3,4\n', ['--regression'], /line 3: the target column "label" must be a number for --regression; got "two"/],
    ['a single class', 'x,label\n1,a\n2,a\n', [], /the target column "label" has a single class \("a"\); a classifier needs at least 2/],
    // a file that cannot be used at all (no such column, empty, …) exits 2: test/cli-files.test.ts
    ['a continuous target with --classes', 'x,label\n' + Array.from({ length: 1200 }, (_, i) => `${i},${i / 7}`).join('\n'), ['--classes'], /1200 distinct values; at most 1000 classes \(is it a number to predict\? add --regression\)/],
  ])('%s', (_, text, extra, error) => {
    const r = trainBad('bad.csv', text, ...extra);
    expect(r.stderr).toMatch(/^wasm-mlp train: /);
    expect(r.stderr).toMatch(error);
  });

  it('a missing data file, and a --save directory that does not exist (checked before training): exit code 2', () => {
    let r = run('train', '--data', 'nope.csv', '--target', 'label', '--save', 'm.json');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('wasm-mlp train: cannot read data file nope.csv: no such file\n');
    writeFileSync(at('ok.csv'), 'x,label\n1,a\n2,b\n');
    r = run('train', '--data', 'ok.csv', '--target', 'label', '--save', path.join('no-dir', 'm.json'));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^wasm-mlp train: cannot save to no-dir\/m\.json: the directory .*no-dir does not exist\n$/);
  });
});

describe('wasm-mlp train: flags', () => {
  it.each([
    [['--target', 'label', '--save', 'm.json'], /--data FILE\.csv is required/],
    [['--data', 'ok.csv', '--save', 'm.json'], /--target COLUMN .* is required/],
    [['--data', 'ok.csv', '--target', 'label'], /--save MODEL\.json .* is required/],
    [['--data', 'ok.csv', '--target', 'label', '--save', 'm.json', '--layers', '16,0'], /--layers must be hidden layer sizes from 1 to 4096.*got '16,0'/],
    [['--data', 'ok.csv', '--target', 'label', '--save', 'm.json', '--layers', '16,'], /--layers must be .*got '16,'/],
    [['--data', 'ok.csv', '--target', 'label', '--save', 'm.json', '--epochs', '0'], /--epochs must be an integer from 1 to 1000000; got '0'/],
    [['--data', 'ok.csv', '--target', 'label', '--save', 'm.json', '--batch-size', '2.5'], /--batch-size must be an integer/],
    [['--data', 'ok.csv', '--target', 'label', '--save', 'm.json', '--optimizer', 'lbfgs'], /--optimizer must be one of sgd, momentum, rmsprop, adam; got 'lbfgs'/],
    [['--data', 'ok.csv', '--target', 'label', '--save', 'm.json', '--activation', 'softmax'], /--activation must be one of sigmoid, tanh, relu, leakyRelu; got 'softmax'/],
    [['--data', 'ok.csv', '--target', 'label', '--save', 'm.json', '--learning-rate=-1'], /--learning-rate must be a number > 0; got '-1'/],
    [['--data', 'ok.csv', '--target', 'label', '--save', 'm.json', '--features', 'x,x'], /--features must be distinct column names/],
    [['--data', 'ok.csv', '--target', 'label', '--save', 'm.json', '--iterations', '5'], /Unknown option '--iterations'/],
    [['--data', 'ok.csv', '--target', 'label', '--save', 'ok.csv'], /--save names the --data file; the model would overwrite the data/],
  ])('%j exits 2', (args, error) => {
    const r = run('train', ...args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(error);
    expect(r.stderr).toMatch(/\(see wasm-mlp train --help\)\n$/);
  });

  it('--help documents every flag; the main --help names both subcommands', () => {
    const r = run('train', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: wasm-mlp train --data FILE\.csv --target COLUMN --save MODEL\.json/);
    for (const f of ['--data', '--target', '--save', '--features', '--regression', '--layers', '--activation', '--epochs', '--batch-size', '--optimizer', '--learning-rate', '--seed', '--backend', '--print-every', '--quiet']) {
      expect(r.stdout, f).toMatch(new RegExp(`^\\s+${f}\\b`, 'm'));
    }
    const main = run('--help');
    expect(main.status).toBe(0);
    expect(main.stdout).toMatch(/^\s+wasm-mlp train --data FILE\.csv --target COLUMN --save MODEL\.json/m);
    expect(main.stdout).toMatch(/^\s+wasm-mlp predict --model MODEL\.json --data FILE\.csv/m);
  });
});

describe('the example files', () => {
  it.each([['flower.csv', 1], ['flower-new.csv', 2]])('examples/%s is the flower the script writes: datasets.flower({ m: 400, seed: %i })', (file, seed) => {
    const { X, Y } = datasets.flower({ m: 400, seed });
    const rows = table(readFileSync(path.join(repoRoot, 'examples', file), 'utf8'));
    expect(rows).toHaveLength(400);
    rows.forEach((row, j) => {
      // written with 6 significant digits: within 5e-6 relative
      expect(Math.abs(Number(row.x1) - X.data[j])).toBeLessThanOrEqual(5e-6 * Math.abs(X.data[j]));
      expect(Math.abs(Number(row.x2) - X.data[400 + j])).toBeLessThanOrEqual(5e-6 * Math.abs(X.data[400 + j]));
      expect(row.colour).toBe(Y.data[j] ? 'blue' : 'red');
    });
  });
});
