/**
 * `wasm-mlp train --data file.csv --target COLUMN --save model.json [options]`: trains a network
 * on a user's CSV (header row, numeric feature columns) and saves it with what `predict` needs.
 * A class-label target (numbers or strings) gives classification — 2 classes a sigmoid output,
 * 3 or more a softmax — and `--regression` a linear output with mean squared error. Rows can be
 * held out: `--test` for a final score the training never sees, `--validation` (on by default
 * for larger files) for the held-out cost per epoch and early stopping.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BACKENDS, type BackendName } from '../core/backend.js';
import { DataError, extract, readCsvTable, readText, show, UnusableFileError } from './data.js';
import { listColumns } from '../data/read-csv.js';
import { fitStandardizer, meanStd } from '../data/standardize.js';
import { encodeLabels } from '../data/labels.js';
import { parseNumber } from '../data/csv.js';
import { classificationScores, regressionScores } from '../data/evaluate.js';
import { heldOutCount, splitIndices } from '../data/split.js';
import { isPosInt, layerSizes, num, oneOf, parseFlags, progressBar, required, UsageError, type Flags } from './args.js';
import { CLI_MODEL_FORMAT, CLI_MODEL_TEXT_SHAPE, CLI_MODEL_VERSION, checkWritable, writeFileAtomic, type CliModelFile } from './model.js';
import { classificationLines, regressionLine } from './report.js';
import { trainingCurvesSvg } from './plot-training.js';
import { HIDDEN_ACTIVATIONS, OPTIMIZERS, type Activation, type OptimizerName } from '../core/architecture.js';
import { takeColumns, type Matrix } from '../util/matrix.js';
import { createRng } from '../util/rng.js';
import { oneHot } from '../data/targets.js';
import { Network } from '../network.js';
import type { DecaySpec, TrainOptions } from '../train/options.js';

/** the most classes a label column may have (more looks like a numeric target: --regression) */
const MAX_CLASSES = 1000;
/** a numeric target with more distinct values than this (or any non-integer) needs --regression or --classes */
const MAX_NUMERIC_CLASSES = 20;
/** with at least this many training rows, a validation split (and early stopping) is on by default */
const VALIDATION_MIN_ROWS = 200;
const DEFAULT_VALIDATION = 0.2;
const DEFAULT_PATIENCE = 10;

export const TRAIN_HELP = `Usage: wasm-mlp train --data FILE.csv --target COLUMN --save MODEL.json [options]

Trains a network on a CSV file with a header row: the target column holds class labels (numbers
or text; 2 classes give a sigmoid output, 3 or more a softmax) or, with --regression, numbers
(linear output, mean squared error); the other columns (or those of --features) are numeric
features. Features are standardized with the training rows' mean and standard deviation; the
saved file keeps that scaling, the column names and the class labels, for wasm-mlp predict.

Options:
  --data PATH           the training CSV file
  --target COLUMN       the column to predict
  --save PATH           where to write the model (written whole or not at all)
  --features LIST       feature columns, comma separated (default: every column but the target)
  --regression          the target is a number to predict, not a class label
  --classes             the target is a class label even though it holds many numbers (a numeric
                        target with more than ${MAX_NUMERIC_CLASSES} distinct values, or non-integers, needs
                        --regression or --classes)
  --test F              hold out the fraction F of the rows (seeded shuffle) and report the
                        model's scores on them: accuracy, precision, recall and the confusion
                        matrix for classes; RMSE, MAE and R² for --regression
  --validation F        hold out the fraction F of the training rows to measure the held-out cost
                        every epoch, for early stopping (default ${DEFAULT_VALIDATION} with ${VALIDATION_MIN_ROWS} or more training
                        rows, else none; 0 for none)
  --early-stopping N    with a validation split: stop when its cost has not improved for N epochs
                        and keep the best epoch's parameters (default ${DEFAULT_PATIENCE}; 0: train every epoch)
  --layers LIST         hidden layer sizes, comma separated, e.g. 16 or 16,8 (default 16)
  --activation NAME     hidden activation: ${HIDDEN_ACTIVATIONS.join(' | ')} (default tanh)
  --epochs N            passes over the data (default 100)
  --batch-size N        examples per step (default 32; the whole set if it has fewer rows)
  --optimizer NAME      ${OPTIMIZERS.join(' | ')} (default adam)
  --learning-rate X     step size (default 0.01 for adam and rmsprop, 0.1 for sgd and momentum)
  --decay SPEC          learning-rate decay per epoch e: step:FACTOR:EVERY (lr·FACTOR^floor(e/EVERY))
                        or exponential:RATE (lr·RATE^e)
  --l2 X                L2 regularisation strength λ ≥ 0 (default 0)
  --dropout LIST        dropout rate in [0, 1) for the hidden layers: one rate, or one per hidden
                        layer, comma separated (default 0)
  --seed N              seed of the initialisation, the shuffling and the splits (default 1)
  --backend NAME        wasm | js (default wasm)
  --print-every N       print the cost every N epochs (default: about 20 lines in all)
  --plot PATH           write an SVG picture of the cost per epoch, training and validation rows
  --quiet               no progress bar
  -h, --help            this text

A bad row (wrong number of fields, a feature that is not a number, an empty target, an
unterminated quote) is reported with its line number — every bad row counted, the first 10
listed — and nothing is written: exit code 1. A bad flag, or a file that cannot be used at all
(missing, unreadable, empty, no data rows, a bad header, no such column, a --save that cannot be
written, found before training): one line, exit code 2. Files must be UTF-8.
`;

interface TrainConfig {
  data: string; target: string; save: string; features: string[] | null; regression: boolean; classes: boolean;
  test: number | undefined; validation: number | undefined; patience: number;
  hidden: number[]; activation: Activation; epochs: number; batchSize: number; optimizer: OptimizerName;
  learningRate: number; decay: DecaySpec | undefined; l2: number; dropout: number | number[];
  seed: number; backend: BackendName; printEvery: number | undefined; plot: string | undefined; quiet: boolean;
}

const isFraction = (x: number): boolean => Number.isFinite(x) && x > 0 && x < 1;

function decayFlag(f: Flags): DecaySpec | undefined {
  const v = f.decay as string | undefined;
  if (v === undefined) return undefined;
  const parts = v.split(':');
  const step = parts[0] === 'step' && parts.length === 3 ? { factor: Number(parts[1]), every: Number(parts[2]) } : null;
  if (step && step.factor > 0 && step.factor <= 1 && isPosInt(step.every)) return { type: 'step', ...step };
  const rate = parts[0] === 'exponential' && parts.length === 2 ? Number(parts[1]) : NaN;
  if (rate > 0 && rate <= 1) return { type: 'exponential', rate };
  throw new UsageError(`--decay must be step:FACTOR:EVERY (FACTOR in (0, 1], EVERY a positive integer, e.g. step:0.5:50) or exponential:RATE (RATE in (0, 1], e.g. exponential:0.99); got '${v}'`);
}

function dropoutFlag(f: Flags, hidden: number): number | number[] {
  const v = f.dropout as string | undefined;
  if (v === undefined) return 0;
  const rates = v.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
  if (!rates.every((p) => p >= 0 && p < 1) || (rates.length !== 1 && rates.length !== hidden)) {
    throw new UsageError(`--dropout must be one rate in [0, 1) or one per hidden layer (${hidden}), comma separated; got '${v}'`);
  }
  return rates.length === 1 ? rates[0] : rates;
}

function parseTrainConfig(argv: string[]): TrainConfig | 'help' {
  const f = parseFlags(argv, {
    data: { type: 'string' }, target: { type: 'string' }, save: { type: 'string' }, features: { type: 'string' },
    regression: { type: 'boolean' }, classes: { type: 'boolean' }, test: { type: 'string' }, validation: { type: 'string' },
    'early-stopping': { type: 'string' }, layers: { type: 'string' }, activation: { type: 'string' },
    epochs: { type: 'string' }, 'batch-size': { type: 'string' }, optimizer: { type: 'string' },
    'learning-rate': { type: 'string' }, decay: { type: 'string' }, l2: { type: 'string' }, dropout: { type: 'string' },
    seed: { type: 'string' }, backend: { type: 'string' }, 'print-every': { type: 'string' }, plot: { type: 'string' },
    quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  });
  if (f.help) return 'help';
  const hidden = layerSizes(f, 'layers', '16', 'hidden layer sizes', '16 or 16,8');
  const featStr = f.features as string | undefined;
  const features = featStr === undefined ? null : featStr.split(',').map((s) => s.trim());
  if (features && (features.some((s) => s === '') || new Set(features).size !== features.length)) {
    throw new UsageError(`--features must be distinct column names, comma separated; got '${featStr}'`);
  }
  if (f.regression && f.classes) throw new UsageError('--regression and --classes contradict each other');
  const activation = oneOf<Activation>(f, 'activation', HIDDEN_ACTIVATIONS, 'tanh');
  const optimizer = oneOf(f, 'optimizer', OPTIMIZERS, 'adam');
  // the library's adam/rmsprop default (0.001) suits big data sets; a small CSV trained for a
  // hundred epochs of a few batches needs larger steps
  const lrDefault = optimizer === 'adam' || optimizer === 'rmsprop' ? 0.01 : 0.1;
  const plot = f.plot as string | undefined;
  if (plot !== undefined && plot.trim() === '') throw new UsageError('--plot needs a file name (e.g. --plot curves.svg)');
  return {
    data: required(f, 'data', 'FILE.csv'),
    target: required(f, 'target', 'COLUMN (the column to predict)'),
    save: required(f, 'save', 'MODEL.json (where to write the model)'),
    features,
    regression: Boolean(f.regression),
    classes: Boolean(f.classes),
    test: num(f, 'test', undefined, isFraction, 'a fraction between 0 and 1 (e.g. 0.2)'),
    validation: num(f, 'validation', undefined, (x) => x === 0 || isFraction(x), 'a fraction between 0 and 1 (e.g. 0.2), or 0 for none'),
    patience: num(f, 'early-stopping', DEFAULT_PATIENCE, (x) => Number.isInteger(x) && x >= 0 && x <= 1_000_000, 'a number of epochs (an integer ≥ 0; 0 turns early stopping off)'),
    hidden,
    activation,
    epochs: num(f, 'epochs', 100, (x) => isPosInt(x) && x <= 1_000_000, 'an integer from 1 to 1000000'),
    batchSize: num(f, 'batch-size', 32, (x) => isPosInt(x) && x <= 1 << 20, 'an integer from 1 to 1048576'),
    optimizer,
    learningRate: num(f, 'learning-rate', lrDefault, (x) => Number.isFinite(x) && x > 0, 'a number > 0')!,
    decay: decayFlag(f),
    l2: num(f, 'l2', 0, (x) => Number.isFinite(x) && x >= 0, 'a number ≥ 0'),
    dropout: dropoutFlag(f, hidden.length),
    seed: num(f, 'seed', 1, Number.isSafeInteger, 'an integer')!,
    backend: oneOf<BackendName>(f, 'backend', BACKENDS, 'wasm'),
    printEvery: num(f, 'print-every', undefined, isPosInt, 'a positive integer'),
    plot,
    quiet: Boolean(f.quiet),
  };
}

/** What the target column becomes: one value per row for the network, and how to describe and save it. */
interface Target {
  /** classification: each row's class index; regression: each row's value */
  values: Float64Array;
  classes: string[] | null;
  output: Activation;
}

/** Classification or regression, from the flags and the values: many numbers look like a number to predict. */
function makeTarget(labels: readonly string[], cfg: TrainConfig): Target {
  if (cfg.regression) return { values: Float64Array.from(labels, parseNumber), classes: null, output: 'linear' };
  if (!cfg.classes) {
    const nums = labels.map(parseNumber);
    if (nums.every(Number.isFinite)) {
      const distinct = new Set(nums).size;
      const fraction = nums.find((x) => !Number.isInteger(x));
      if (distinct > MAX_NUMERIC_CLASSES || fraction !== undefined) {
        throw new UsageError(`the target column ${show(cfg.target)} holds numbers (${distinct} distinct values${fraction === undefined ? '' : `, not all integers: ${fraction}`}): to predict a number add --regression; to train its values as ${distinct} classes add --classes`);
      }
    }
  }
  const { classes, Y } = encodeLabels(labels);
  if (classes.length < 2) {
    throw new DataError(`${cfg.data}: the target column ${show(cfg.target)} has a single class (${show(classes[0])}); a classifier needs at least 2`);
  }
  if (classes.length > MAX_CLASSES) {
    throw new DataError(`${cfg.data}: the target column ${show(cfg.target)} has ${classes.length} distinct values; at most ${MAX_CLASSES} classes (is it a number to predict? add --regression)`);
  }
  return { values: Float64Array.from(Y.data), classes, output: classes.length === 2 ? 'sigmoid' : 'softmax' };
}

/** The rows of each part: indices into the file's data rows. */
interface Parts { train: Int32Array; validation: Int32Array | null; test: Int32Array | null }

/** Seeded splits: first the test rows off the whole file, then the validation rows off the rest. */
function splitRows(m: number, cfg: TrainConfig): Parts {
  const all = Int32Array.from({ length: m }, (_, j) => j);
  const split = (rows: Int32Array, fraction: number, flag: string) => {
    let held: number;
    try {
      held = heldOutCount('wasm-mlp train', flag, fraction, rows.length);
    } catch {
      throw new UsageError(`${flag} ${fraction} of ${rows.length} rows leaves no rows on one side; give a fraction between ${(1 / rows.length).toPrecision(2)} and ${(1 - 1 / rows.length).toPrecision(2)}`);
    }
    const s = splitIndices(rows.length, held, createRng(cfg.seed));
    return { kept: Int32Array.from(s.kept, (k) => rows[k]), held: Int32Array.from(s.held, (k) => rows[k]) };
  };
  let rest = all, test: Int32Array | null = null;
  if (cfg.test !== undefined) ({ kept: rest, held: test } = split(all, cfg.test, '--test'));
  const fraction = cfg.validation ?? (rest.length >= VALIDATION_MIN_ROWS ? DEFAULT_VALIDATION : 0);
  if (fraction === 0) return { train: rest, validation: null, test };
  const { kept, held } = split(rest, fraction, '--validation');
  return { train: kept, validation: held, test };
}

/** The network's Y for some rows: 0/1 (sigmoid), one-hot (softmax) or the scaled value (linear). */
function targetMatrix(t: Target, rows: Int32Array, scale: { mean: number; std: number } | null): Matrix {
  const v = Float32Array.from(rows, (j) => t.values[j]);
  if (t.output === 'softmax') return { rows: t.classes!.length, cols: rows.length, data: oneHot(v, t.classes!.length) };
  if (scale) for (let j = 0; j < v.length; j++) v[j] = (t.values[rows[j]] - scale.mean) / scale.std;
  return { rows: 1, cols: rows.length, data: v };
}

export async function trainMain(argv: string[]): Promise<number> {
  const cfg = parseTrainConfig(argv);
  if (cfg === 'help') {
    process.stdout.write(TRAIN_HELP);
    return 0;
  }
  for (const [flag, file, what] of [['--save', cfg.save, 'the model'], ['--plot', cfg.plot, 'the picture']] as const) {
    if (file === undefined) continue;
    if (path.resolve(file) === path.resolve(cfg.data)) throw new UsageError(`${flag} names the --data file; ${what} would overwrite the data`);
    checkWritable(file); // before the work, not after it
  }
  if (cfg.plot !== undefined && path.resolve(cfg.plot) === path.resolve(cfg.save)) throw new UsageError('--plot and --save name the same file');
  const { features, raw, t } = loadTrainingData(cfg);
  const parts = splitRows(raw.cols, cfg);
  const columns = (rows: Int32Array) => takeColumns(raw, rows, 0, rows.length);
  const standardizer = fitStandardizer(columns(parts.train)); // on the training rows only
  // regression: the network learns the standardized target (y − mean) / std; predict maps it back
  const targetScale = t.classes ? null : meanStd(parts.train.length, (j) => t.values[parts.train[j]]);
  const X = standardizer.apply(columns(parts.train));
  const Y = targetMatrix(t, parts.train, targetScale);
  const val = parts.validation && { X: standardizer.apply(columns(parts.validation)), Y: targetMatrix(t, parts.validation, targetScale) };
  const m = X.cols;

  const layers = [features.length, ...cfg.hidden, Y.rows];
  const activations = [...cfg.hidden.map(() => cfg.activation), t.output];
  const net = await Network.create({ layers, activations, backend: cfg.backend, seed: cfg.seed });
  try {
    net.init({ scheme: cfg.activation === 'relu' || cfg.activation === 'leakyRelu' ? 'he' : 'xavier' });
    const batchSize = Math.min(cfg.batchSize, m);
    const early = val !== null && cfg.patience > 0;
    printHeader(cfg, { features, t, targetScale, parts, layers, backend: net.backend, batchSize, early });

    const progress = reporter(cfg, val !== null);
    const t0 = performance.now();
    const result = net.train(X, Y, {
      epochs: cfg.epochs, batchSize, optimizer: cfg.optimizer, learningRate: cfg.learningRate, seed: cfg.seed,
      decay: cfg.decay, l2: cfg.l2, dropout: cfg.dropout,
      validation: val ?? undefined, earlyStopping: early ? { patience: cfg.patience } : undefined,
      onProgress: progress.onProgress, // every epoch (the default); cost: the epoch's mean over its batches
    });
    progress.done();
    const took = `(${((performance.now() - t0) / 1000).toFixed(2)} s)`;
    // the epoch (from 1) of the lowest validation cost: the one early stopping keeps
    const best = val ? firstMinimum(result.validationCosts!) + 1 : undefined;
    if (result.stopped === 'earlyStopping') {
      console.log(`early stopping after epoch ${result.epochs}: the validation cost has not improved for ${cfg.patience} epochs; kept the parameters of epoch ${best}`);
    } else if (early && best !== result.epochs) {
      console.log(`kept the parameters of epoch ${best}, where the validation cost was lowest`);
    } else if (best !== undefined && best !== result.epochs) {
      console.log(`the validation cost was lowest after epoch ${best}; the model is that of the last epoch, ${result.epochs} (early stopping would keep epoch ${best})`);
    }

    const evaluate = (Xp: Matrix, rows: Int32Array) => score(net, Xp, rows, t, targetScale, cfg.target);
    console.log(`training ${evaluate(X, parts.train).headline} (${m} rows)  ${took}`);
    if (val) console.log(`validation ${evaluate(val.X, parts.validation!).headline} (${parts.validation!.length} rows)`);
    if (parts.test) {
      const s = evaluate(standardizer.apply(columns(parts.test)), parts.test);
      console.log(`test: ${parts.test.length} rows held out (--test ${cfg.test}), not used in training`);
      for (const line of s.lines) console.log(`  ${line}`);
    }
    const file: CliModelFile = {
      format: CLI_MODEL_FORMAT, version: CLI_MODEL_VERSION, task: t.classes ? 'classification' : 'regression',
      features, target: cfg.target, classes: t.classes, standardize: standardizer.toJSON(), targetScale, model: net.toJSON(),
    };
    const text = JSON.stringify(file) + '\n';
    if (text.length > CLI_MODEL_TEXT_SHAPE.length) {
      throw new DataError(`cannot save ${cfg.save}: the model file would be ${text.length} characters, more than wasm-mlp predict reads (${CLI_MODEL_TEXT_SHAPE.length})`);
    }
    writeFileAtomic(cfg.save, text);
    console.log(`saved ${cfg.save}`);
    if (cfg.plot) {
      writePlot(cfg, result.epochCosts!, result.validationCosts, best === undefined ? undefined : { epoch: best, kept: early }, layers);
      console.log(`wrote ${cfg.plot}`);
    }
  } finally {
    net.dispose();
  }
  return 0;
}

/** The first index of the smallest value (the check early stopping counts as the best). */
function firstMinimum(a: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] < a[best]) best = i;
  return best;
}

function printHeader(cfg: TrainConfig, o: {
  features: string[]; t: Target; targetScale: { mean: number; std: number } | null; parts: Parts;
  layers: number[]; backend: BackendName; batchSize: number; early: boolean;
}): void {
  const { t, parts } = o;
  const rows = parts.train.length + (parts.validation?.length ?? 0) + (parts.test?.length ?? 0);
  const what = t.classes
    ? `${t.classes.length} classes (${t.classes.slice(0, 8).map(show).join(', ')}${t.classes.length > 8 ? ', …' : ''})`
    : `regression (the network learns the standardized target, mean ${Number(o.targetScale!.mean.toPrecision(6))}, std ${Number(o.targetScale!.std.toPrecision(6))}; the cost is on that scale)`;
  console.log(`wasm-mlp train: ${cfg.data}, ${rows} rows, ${o.features.length} feature${o.features.length === 1 ? '' : 's'}, target ${show(cfg.target)}: ${what}`);
  const test = parts.test ? `, ${parts.test.length} test` : '';
  if (parts.validation) {
    const stop = o.early ? `early stopping after ${cfg.patience} epochs without improvement` : 'no early stopping';
    console.log(`rows: ${parts.train.length} training, ${parts.validation.length} validation (${stop})${test}`);
  } else {
    const why = cfg.validation === 0 ? '--validation 0' : `fewer than ${VALIDATION_MIN_ROWS} training rows; --validation F holds some out`;
    console.log(`rows: ${parts.train.length} training${test}; no validation rows (${why}): the cost shown is on the training rows only`);
  }
  console.log(`network [${o.layers.join(', ')}], ${cfg.activation} hidden, ${t.output} output, backend ${o.backend}`);
  const extras = [
    cfg.decay && (cfg.decay.type === 'step' ? `decay ×${cfg.decay.factor} every ${cfg.decay.every} epochs` : `decay ×${cfg.decay.rate} per epoch`),
    cfg.l2 > 0 && `l2 ${cfg.l2}`,
    (Array.isArray(cfg.dropout) ? cfg.dropout.some((p) => p > 0) : cfg.dropout > 0) && `dropout ${cfg.dropout}`,
  ].filter(Boolean);
  console.log(`${cfg.optimizer}, ${cfg.epochs} epochs, batch size ${o.batchSize}, learning rate ${cfg.learningRate}${extras.map((e) => `, ${e}`).join('')}, seed ${cfg.seed}`);
}

/** The network's scores on some rows: a headline and the full report. */
function score(net: Network, X: Matrix, rows: Int32Array, t: Target, scale: { mean: number; std: number } | null, target: string): { headline: string; lines: string[] } {
  if (t.classes) {
    const s = classificationScores(net.predict(X).data, Float64Array.from(rows, (j) => t.values[j]), t.classes.length);
    return { headline: `accuracy: ${(s.accuracy * 100).toFixed(2)}%`, lines: classificationLines(s, t.classes) };
  }
  const A = net.predictProba(X);
  const s = regressionScores(Float64Array.from(A.data, (a) => a * scale!.std + scale!.mean), Float64Array.from(rows, (j) => t.values[j]));
  return { headline: `RMSE: ${Number(s.rmse.toPrecision(6))}`, lines: [regressionLine(s, target)] };
}

function writePlot(cfg: TrainConfig, train: Float64Array, validation: Float64Array | undefined, best: { epoch: number; kept: boolean } | undefined, layers: number[]): void {
  const svg = trainingCurvesSvg({
    title: `${path.basename(cfg.data)} → ${cfg.target}: [${layers.join(', ')}] ${cfg.activation}, ${cfg.optimizer}`,
    subtitle: !validation
      ? 'cost per epoch on the training rows (no validation rows: --validation F holds some out)'
      : `cost per epoch on the training rows and on the held-out validation rows; ${best!.kept ? `the model keeps epoch ${best!.epoch}` : 'the model is the last epoch\'s'}`,
    train, validation,
    marker: best && { epoch: best.epoch, label: best.kept ? `kept: epoch ${best.epoch}` : `lowest validation cost: epoch ${best.epoch}` },
  });
  writeFileAtomic(cfg.plot!, svg);
}

/** The CSV's features (as written) and target, or an error listing every bad row. */
function loadTrainingData(cfg: TrainConfig): { features: string[]; raw: Matrix; t: Target } {
  const table = readCsvTable(cfg.data, readText(cfg.data, 'data file'));
  if (!table.header.includes(cfg.target)) {
    throw new UnusableFileError(`${cfg.data} has no column ${show(cfg.target)} (--target); its columns are ${listColumns(table.header)}`);
  }
  const features = cfg.features ?? table.header.filter((h) => h !== cfg.target);
  if (features.includes(cfg.target)) throw new UsageError(`--features lists the target column ${show(cfg.target)}`);
  if (features.length === 0) throw new UnusableFileError(`${cfg.data} has no feature column: its only column is the target ${show(cfg.target)}`);
  const { X, target } = extract(table, features, { name: cfg.target, numeric: cfg.regression });
  return { features, raw: X, t: makeTarget(target!, cfg) };
}

/** Per-epoch lines on stdout (every printEvery epochs, the first and the last) and, on a terminal, a progress bar on stderr. */
function reporter(cfg: TrainConfig, validation: boolean): { onProgress: NonNullable<TrainOptions['onProgress']>; done(): void } {
  const printEvery = cfg.printEvery ?? Math.max(1, Math.ceil(cfg.epochs / 20));
  const showBar = !cfg.quiet && Boolean(process.stderr.isTTY);
  const width = String(cfg.epochs).length;
  let lastBar = 0;
  let last = '', lastPrinted = true;
  const pct = (a: number | undefined) => (a === undefined ? '' : `  accuracy ${(a * 100).toFixed(2)}%`);
  return {
    onProgress: ({ epoch, epochs, cost, accuracy: acc, validationCost, validationAccuracy }) => {
      const held = validation && validationCost !== undefined ? `  validation cost ${validationCost.toFixed(6)}${pct(validationAccuracy)}` : '';
      last = `epoch ${String(epoch).padStart(width)}/${epochs}  cost ${cost.toFixed(6)}${pct(acc)}${held}`;
      lastPrinted = epoch % printEvery === 0 || epoch === 1 || epoch === epochs;
      if (lastPrinted) {
        if (showBar) process.stderr.write('\r\x1b[K');
        console.log(last);
      }
      if (showBar && (epoch === epochs || performance.now() - lastBar > 100)) {
        lastBar = performance.now();
        process.stderr.write(`\r\x1b[K${progressBar(epoch, epochs, `epoch ${epoch}/${epochs}  cost ${cost.toFixed(6)}`)}`);
      }
    },
    done: () => {
      if (showBar) process.stderr.write('\r\x1b[K');
      // an early stop ends between the printed lines: show the last epoch that ran
      if (!lastPrinted) console.log(last);
    },
  };
}
