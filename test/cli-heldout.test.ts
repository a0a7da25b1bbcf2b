/**
 * `wasm-mlp train` as a data tool: held-out test rows (--test) scored with the report a user
 * reads, the validation split and early stopping on by default for larger files, the training
 * flags (--l2, --dropout, --decay, --batch-size, --early-stopping), the refusal of a numeric
 * target that looks like a number to predict, the --plot picture, and `wasm-mlp predict` scoring
 * a file that has the target column. Files are generated here, in a temporary directory.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../src/util/rng.js';
import { heldOutCount, splitIndices } from '../src/data/split.js';
import { takeColumns } from '../src/util/matrix.js';
import { classificationScores, loadModel, readCsv, regressionScores } from '../src/data-index.js';
import { classificationLines, regressionLine } from '../src/cli/report.js';
import { cliSandbox, repoRoot } from './support/cli-sandbox.js';

const box = cliSandbox('wasm-mlp-heldout-');
const { run, at } = box;
const FLOWER = path.join(repoRoot, 'examples', 'flower.csv');

/**
 * A noisy regression set that a wide network overfits: y = sin(3·x1) + x2/2 + noise, with four
 * features of pure noise, m rows, seeded.
 */
function noisyRegression(m: number, seed: number): string {
  const rng = createRng(seed);
  const lines = ['x1,x2,x3,x4,x5,x6,y'];
  for (let j = 0; j < m; j++) {
    const x = Array.from({ length: 6 }, () => rng.uniform() * 2 - 1);
    const y = Math.sin(3 * x[0]) + 0.5 * x[1] + (rng.uniform() - 0.5) * 1.2;
    lines.push([...x, y].map((v) => v.toFixed(5)).join(','));
  }
  return lines.join('\n') + '\n';
}

/** The rows --test holds out, as the command line draws them (seed 1). */
function testRows(m: number, fraction: number, seed = 1): Int32Array {
  return splitIndices(m, heldOutCount('', '', fraction, m), createRng(seed)).held;
}

const lineAfter = (text: string, prefix: string) => text.split('\n').find((l) => l.startsWith(prefix));

describe('--test: scores on rows the training never sees', () => {
  it('classification: accuracy, precision, recall and the confusion matrix of the held-out rows, as the saved model gives them', async () => {
    const r = run('train', '--data', FLOWER, '--target', 'colour', '--layers', '8', '--test', '0.2', '--save', 'flower.json', '--quiet');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^rows: 256 training, 64 validation \(early stopping after 10 epochs without improvement\), 80 test$/m);
    expect(r.stdout).toMatch(/^test: 80 rows held out \(--test 0\.2\), not used in training$/m);
    // the same rows, the saved model, the same report
    const model = await loadModel(readFileSync(at('flower.json'), 'utf8'));
    const data = readCsv(readFileSync(FLOWER, 'utf8'), { target: 'colour' });
    const rows = testRows(400, 0.2);
    const X = model.standardizer.apply(takeColumns(data.X, rows, 0, rows.length));
    const truth = Array.from(rows, (j) => model.classes!.indexOf(data.labels![j]));
    const s = classificationScores(model.net.predict(X).data, truth, 2);
    const report = r.stdout.slice(r.stdout.indexOf('test: 80 rows')).split('\n').slice(1, 9);
    expect(report).toEqual(classificationLines(s, model.classes!).map((l) => `  ${l}`));
    expect(s.confusion.flat().reduce((a, b) => a + b)).toBe(80);
    expect(s.accuracy).toBeGreaterThan(0.8); // the flower with an 8-unit tanh layer
    model.net.dispose();
  });

  it('regression: RMSE, MAE and R² of the held-out rows, in the target\'s units', async () => {
    writeFileSync(at('noisy.csv'), noisyRegression(300, 7));
    const r = run('train', '--data', 'noisy.csv', '--target', 'y', '--regression', '--test', '0.25', '--save', 'noisy.json', '--quiet');
    expect(r.status, r.stderr).toBe(0);
    const model = await loadModel(readFileSync(at('noisy.json'), 'utf8'));
    const data = readCsv(readFileSync(at('noisy.csv'), 'utf8'), { target: 'y', targetType: 'number' });
    const rows = testRows(300, 0.25);
    const A = model.net.predictProba(model.standardizer.apply(takeColumns(data.X, rows, 0, rows.length))).data;
    const { mean, std } = model.targetScale!;
    const s = regressionScores(Array.from(A, (a) => a * std + mean), Array.from(rows, (j) => data.Y!.data[j]));
    expect(lineAfter(r.stdout, '  RMSE')).toBe(`  ${regressionLine(s, 'y')}`);
    model.net.dispose();
  });

  it('the same seed gives the same split and the same report; another seed another split', () => {
    const args = ['train', '--data', FLOWER, '--target', 'colour', '--layers', '4', '--epochs', '20', '--test', '0.3', '--save', 's.json', '--quiet'];
    const noTime = (s: string) => s.replace(/\(\d+\.\d+ s\)/, '');
    const a = run(...args), b = run(...args), c = run(...args, '--seed', '2');
    expect(noTime(a.stdout)).toBe(noTime(b.stdout));
    expect(noTime(c.stdout)).not.toBe(noTime(a.stdout));
  });

  it.each([
    [['--test', '1'], /--test must be a fraction between 0 and 1 \(e\.g\. 0\.2\); got '1'/],
    [['--test', '0.0001'], /--test 0\.0001 of 400 rows leaves no rows on one side/],
    [['--validation=-0.1'], /--validation must be a fraction between 0 and 1 \(e\.g\. 0\.2\), or 0 for none; got '-0\.1'/],
    [['--early-stopping', '2.5'], /--early-stopping must be a number of epochs/],
  ])('%j is a bad flag (exit code 2)', (flags, message) => {
    const r = run('train', '--data', FLOWER, '--target', 'colour', '--save', 'never.json', ...flags);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(at('never.json'))).toBe(false);
  });
});

describe('the validation split and early stopping', () => {
  it('are on by default with 200 or more training rows, and stop a run that would overfit', () => {
    writeFileSync(at('over.csv'), noisyRegression(400, 11));
    const common = ['train', '--data', 'over.csv', '--target', 'y', '--regression', '--layers', '64', '--epochs', '300', '--test', '0.25', '--quiet'];
    const auto = run(...common, '--save', 'auto.json');
    expect(auto.status, auto.stderr).toBe(0);
    expect(auto.stdout).toMatch(/^rows: 240 training, 60 validation \(early stopping after 10 epochs without improvement\), 100 test$/m);
    expect(auto.stdout).toMatch(/^early stopping after epoch (\d+): the validation cost has not improved for 10 epochs; kept the parameters of epoch \d+$/m);
    const stoppedAt = Number(/^early stopping after epoch (\d+)/m.exec(auto.stdout)![1]);
    expect(stoppedAt).toBeLessThan(300);
    // the last epoch that ran is printed even between the regular lines
    expect(auto.stdout).toMatch(new RegExp(`^epoch +${stoppedAt}/300 {2}cost \\d+\\.\\d{6} {2}validation cost \\d+\\.\\d{6}$`, 'm'));
    const all = run(...common, '--save', 'all.json', '--early-stopping', '0');
    expect(all.stdout).toMatch(/^rows: 240 training, 60 validation \(no early stopping\), 100 test$/m);
    expect(all.stdout).toMatch(/^epoch 300\/300 /m);
    const r2 = (s: string) => Number(/R² (-?\d+\.\d+)$/m.exec(s)![1]);
    // on the same 100 test rows: early stopping gives the better model here
    expect(r2(auto.stdout)).toBeGreaterThan(r2(all.stdout));
  });

  it('are off below 200 training rows, and the output says the cost is on the training rows only', () => {
    writeFileSync(at('small.csv'), noisyRegression(150, 3));
    const r = run('train', '--data', 'small.csv', '--target', 'y', '--regression', '--epochs', '5', '--save', 'small.json', '--quiet');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^rows: 150 training; no validation rows \(fewer than 200 training rows; --validation F holds some out\): the cost shown is on the training rows only$/m);
    const forced = run('train', '--data', 'small.csv', '--target', 'y', '--regression', '--epochs', '5', '--validation', '0.2', '--save', 'small.json', '--quiet');
    expect(forced.stdout).toMatch(/^rows: 120 training, 30 validation /m);
    const off = run('train', '--data', FLOWER, '--target', 'colour', '--epochs', '5', '--validation', '0', '--save', 'off.json', '--quiet');
    expect(off.stdout).toMatch(/^rows: 400 training; no validation rows \(--validation 0\)/m);
  });
});

describe('the training flags', () => {
  it('--l2, --dropout, --decay and --batch-size reach the training (header and a different result)', () => {
    const base = ['train', '--data', FLOWER, '--target', 'colour', '--layers', '8,8', '--epochs', '30', '--validation', '0', '--quiet'];
    const plain = run(...base, '--save', 'plain.json');
    const flagged = run(...base, '--save', 'flagged.json', '--l2', '0.05', '--dropout', '0.2,0.1', '--decay', 'step:0.5:10', '--batch-size', '16');
    expect(flagged.status, flagged.stderr).toBe(0);
    expect(flagged.stdout).toMatch(/^adam, 30 epochs, batch size 16, learning rate 0\.01, decay ×0\.5 every 10 epochs, l2 0\.05, dropout 0\.2,0\.1, seed 1$/m);
    expect(lineAfter(flagged.stdout, 'epoch 30/30')).not.toBe(lineAfter(plain.stdout, 'epoch 30/30'));
    const exp = run(...base, '--save', 'exp.json', '--decay', 'exponential:0.9');
    expect(exp.stdout).toMatch(/decay ×0\.9 per epoch/);
  });

  it.each([
    [['--l2=-1'], /--l2 must be a number ≥ 0; got '-1'/],
    [['--dropout', '1'], /--dropout must be one rate in \[0, 1\) or one per hidden layer \(1\), comma separated; got '1'/],
    [['--dropout', '0.1,0.2'], /one per hidden layer \(1\)/],
    [['--decay', 'step:2:10'], /--decay must be step:FACTOR:EVERY .* or exponential:RATE .*; got 'step:2:10'/],
    [['--decay', 'linear'], /--decay must be/],
    [['--batch-size', '0'], /--batch-size must be an integer from 1 to 1048576; got '0'/],
    [['--regression', '--classes'], /--regression and --classes contradict each other/],
  ])('%j is a bad flag (exit code 2)', (flags, message) => {
    const r = run('train', '--data', FLOWER, '--target', 'colour', '--save', 'never.json', ...flags);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('a numeric target', () => {
  const rows = (f: (j: number) => string) => 'x,y\n' + Array.from({ length: 60 }, (_, j) => `${j % 7},${f(j)}`).join('\n') + '\n';

  it.each([
    ['more than 20 distinct integers', (j: number) => String(j), /the target column "y" holds numbers \(60 distinct values\): to predict a number add --regression; to train its values as 60 classes add --classes/],
    ['non-integer values', (j: number) => String((j % 3) / 2), /the target column "y" holds numbers \(3 distinct values, not all integers: 0\.5\): to predict a number add --regression/],
  ])('with %s is refused, naming --regression (exit code 2)', (_, f, message) => {
    writeFileSync(at('num.csv'), rows(f));
    const r = run('train', '--data', 'num.csv', '--target', 'y', '--save', 'never.json', '--quiet');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(at('never.json'))).toBe(false);
    const reg = run('train', '--data', 'num.csv', '--target', 'y', '--regression', '--epochs', '2', '--save', 'reg.json', '--quiet');
    expect(reg.status, reg.stderr).toBe(0);
    const cls = run('train', '--data', 'num.csv', '--target', 'y', '--classes', '--epochs', '2', '--save', 'cls.json', '--quiet');
    expect(cls.status, cls.stderr).toBe(0);
    expect(cls.stdout).toMatch(/target "y": \d+ classes/);
  });

  it('with 20 or fewer integer values is a class label', () => {
    writeFileSync(at('digits.csv'), rows((j) => String(j % 20)));
    const r = run('train', '--data', 'digits.csv', '--target', 'y', '--epochs', '2', '--save', 'digits.json', '--quiet');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/target "y": 20 classes \("0", "1", "2"/);
  });
});

describe('--plot', () => {
  it('draws the validation curve beside the training curve, and the epoch the model keeps', () => {
    writeFileSync(at('over.csv'), noisyRegression(400, 11));
    const r = run('train', '--data', 'over.csv', '--target', 'y', '--regression', '--layers', '64', '--epochs', '300', '--save', 'p.json', '--plot', 'curves.svg', '--quiet');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^wrote curves\.svg$/m);
    const svg = readFileSync(at('curves.svg'), 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg.match(/<path class="curve"/g)).toHaveLength(2);
    expect(svg).toContain('validation rows (held out)');
    const kept = /kept the parameters of epoch (\d+)/.exec(r.stdout)![1];
    expect(svg).toContain(`kept: epoch ${kept}`);
  });

  it('without validation rows draws the training curve and says why there is no other', () => {
    const r = run('train', '--data', FLOWER, '--target', 'colour', '--epochs', '5', '--validation', '0', '--save', 'q.json', '--plot', 'one.svg', '--quiet');
    expect(r.status, r.stderr).toBe(0);
    const svg = readFileSync(at('one.svg'), 'utf8');
    expect(svg.match(/<path class="curve"/g)).toHaveLength(1);
    expect(svg).toContain('no validation rows');
  });
});

describe('wasm-mlp predict on a file with the target column', () => {
  it('scores regression predictions (RMSE, MAE, R²) and notes rows it cannot score', async () => {
    writeFileSync(at('reg.csv'), noisyRegression(250, 5));
    expect(run('train', '--data', 'reg.csv', '--target', 'y', '--regression', '--epochs', '20', '--save', 'r.json', '--quiet').status).toBe(0);
    const lines = readFileSync(at('reg.csv'), 'utf8').trim().split('\n');
    lines[3] = lines[3].replace(/,[^,]*$/, ',');        // an empty target
    lines[4] = lines[4].replace(/,[^,]*$/, ',n/a');     // not a number
    writeFileSync(at('reg-scored.csv'), lines.join('\n') + '\n');
    const r = run('predict', '--model', 'r.json', '--data', 'reg-scored.csv', '--out', 'r-pred.csv');
    expect(r.status, r.stderr).toBe(0);
    const model = await loadModel(readFileSync(at('r.json'), 'utf8'));
    const data = readCsv(readFileSync(at('reg.csv'), 'utf8'), { target: 'y', targetType: 'number' });
    const A = model.net.predictProba(model.standardizer.apply(data.X)).data;
    const predicted = Array.from(A, (a) => a * model.targetScale!.std + model.targetScale!.mean);
    const keep = Array.from({ length: 250 }, (_, j) => j).filter((j) => j !== 2 && j !== 3);
    const s = regressionScores(keep.map((j) => predicted[j]), keep.map((j) => data.Y!.data[j]));
    expect(r.stderr.split('\n').slice(1)).toEqual([
      'wasm-mlp predict: scored against the file\'s "y" column: 248 rows',
      `  ${regressionLine(s, 'y')}`,
      '  not scored: 1 row with an empty "y"',
      '  not scored: 1 row whose "y" is not a number',
      '',
    ]);
    model.net.dispose();
  });

  it('says nothing more when the file has no target column', () => {
    writeFileSync(at('features-only.csv'), 'x2,x1\n0.5,1\n');
    expect(run('train', '--data', FLOWER, '--target', 'colour', '--epochs', '2', '--save', 'f.json', '--quiet').status).toBe(0);
    const r = run('predict', '--model', 'f.json', '--data', 'features-only.csv');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});
