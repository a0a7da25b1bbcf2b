/**
 * `wasm-mlp train --data file.csv --target COLUMN --save model.json [options]`: trains a network
 * on a user's CSV (header row, numeric feature columns) and saves it with what `predict` needs.
 * A class-label target (numbers or strings) gives classification — 2 classes a sigmoid output,
 * 3 or more a softmax — and `--regression` a linear output with mean squared error.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BACKENDS, type BackendName } from '../core/backend.js';
import {
  applyStandardization, classesOf, DataError, extract, meanStd, readCsvTable, readText, show, standardization,
} from './data.js';
import { isPosInt, layerSizes, num, oneOf, parseFlags, progressBar, required, UsageError } from './args.js';
import { CLI_MODEL_FORMAT, CLI_MODEL_VERSION, writeFileAtomic, type CliModelFile } from './model.js';
import { HIDDEN_ACTIVATIONS, OPTIMIZERS, type Activation, type OptimizerName } from '../core/architecture.js';
import type { Matrix } from '../util/matrix.js';
import { oneHot } from '../data/targets.js';
import { accuracy } from '../data/metrics.js';
import { Network } from '../network.js';
import type { TrainOptions } from '../train/options.js';

/** the most classes a label column may have (more looks like a numeric target: --regression) */
const MAX_CLASSES = 1000;

export const TRAIN_HELP = `Usage: wasm-mlp train --data FILE.csv --target COLUMN --save MODEL.json [options]

Trains a network on a CSV file with a header row: the target column holds class labels (numbers
or text; 2 classes give a sigmoid output, 3 or more a softmax) or, with --regression, numbers
(linear output, mean squared error); the other columns (or those of --features) are numeric
features. Features are standardized with the training data's mean and standard deviation; the
saved file keeps that scaling, the column names and the class labels, for wasm-mlp predict.

Options:
  --data PATH           the training CSV file
  --target COLUMN       the column to predict
  --save PATH           where to write the model (written whole or not at all)
  --features LIST       feature columns, comma separated (default: every column but the target)
  --regression          the target is a number to predict, not a class label
  --layers LIST         hidden layer sizes, comma separated, e.g. 16 or 16,8 (default 16)
  --activation NAME     hidden activation: ${HIDDEN_ACTIVATIONS.join(' | ')} (default tanh)
  --epochs N            passes over the data (default 100)
  --batch-size N        examples per step (default 32; the whole set if it has fewer rows)
  --optimizer NAME      ${OPTIMIZERS.join(' | ')} (default adam)
  --learning-rate X     step size (default 0.01 for adam and rmsprop, 0.1 for sgd and momentum)
  --seed N              seed of the initialisation and the shuffling (default 1)
  --backend NAME        wasm | js (default wasm)
  --print-every N       print the cost every N epochs (default: about 20 lines in all)
  --quiet               no progress bar
  -h, --help            this text

A bad row (wrong number of fields, a feature that is not a number, an empty target, an
unterminated quote) is reported with its line number — every bad row counted, the first 10
listed — and nothing is written: exit code 1 for a bad file, 2 for a bad flag.
`;

interface TrainConfig {
  data: string; target: string; save: string; features: string[] | null; regression: boolean;
  hidden: number[]; activation: Activation; epochs: number; batchSize: number; optimizer: OptimizerName;
  learningRate: number; seed: number; backend: BackendName; printEvery: number | undefined; quiet: boolean;
}

function parseTrainConfig(argv: string[]): TrainConfig | 'help' {
  const f = parseFlags(argv, {
    data: { type: 'string' }, target: { type: 'string' }, save: { type: 'string' }, features: { type: 'string' },
    regression: { type: 'boolean' }, layers: { type: 'string' }, activation: { type: 'string' },
    epochs: { type: 'string' }, 'batch-size': { type: 'string' }, optimizer: { type: 'string' },
    'learning-rate': { type: 'string' }, seed: { type: 'string' }, backend: { type: 'string' },
    'print-every': { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  });
  if (f.help) return 'help';
  const hidden = layerSizes(f, 'layers', '16', 'hidden layer sizes', '16 or 16,8');
  const featStr = f.features as string | undefined;
  const features = featStr === undefined ? null : featStr.split(',').map((s) => s.trim());
  if (features && (features.some((s) => s === '') || new Set(features).size !== features.length)) {
    throw new UsageError(`--features must be distinct column names, comma separated; got '${featStr}'`);
  }
  const activation = oneOf<Activation>(f, 'activation', HIDDEN_ACTIVATIONS, 'tanh');
  const optimizer = oneOf(f, 'optimizer', OPTIMIZERS, 'adam');
  // the library's adam/rmsprop default (0.001) suits big data sets; a small CSV trained for a
  // hundred epochs of a few batches needs larger steps
  const lrDefault = optimizer === 'adam' || optimizer === 'rmsprop' ? 0.01 : 0.1;
  return {
    data: required(f, 'data', 'FILE.csv'),
    target: required(f, 'target', 'COLUMN (the column to predict)'),
    save: required(f, 'save', 'MODEL.json (where to write the model)'),
    features,
    regression: Boolean(f.regression),
    hidden,
    activation,
    epochs: num(f, 'epochs', 100, (x) => isPosInt(x) && x <= 1_000_000, 'an integer from 1 to 1000000'),
    batchSize: num(f, 'batch-size', 32, (x) => isPosInt(x) && x <= 1 << 20, 'an integer from 1 to 1048576'),
    optimizer,
    learningRate: num(f, 'learning-rate', lrDefault, (x) => Number.isFinite(x) && x > 0, 'a number > 0')!,
    seed: num(f, 'seed', 1, Number.isSafeInteger, 'an integer')!,
    backend: oneOf<BackendName>(f, 'backend', BACKENDS, 'wasm'),
    printEvery: num(f, 'print-every', undefined, isPosInt, 'a positive integer'),
    quiet: Boolean(f.quiet),
  };
}

/** What the target column becomes: Y for the network, and how to describe and save it. */
interface Target {
  Y: Matrix;
  classes: string[] | null;
  targetScale: { mean: number; std: number } | null;
  output: Activation;
}

function makeTarget(values: readonly string[], cfg: TrainConfig): Target {
  const m = values.length;
  if (cfg.regression) {
    // the network learns the standardized target (y − mean) / std; predict maps it back
    const y = values.map(Number);
    const { mean, std } = meanStd(m, (j) => y[j]);
    return {
      Y: { rows: 1, cols: m, data: Float32Array.from(y, (v) => (v - mean) / std) },
      classes: null, targetScale: { mean, std }, output: 'linear',
    };
  }
  const { classes, index } = classesOf(values);
  if (classes.length < 2) {
    throw new DataError(`${cfg.data}: the target column ${show(cfg.target)} has a single class (${show(classes[0])}); a classifier needs at least 2`);
  }
  if (classes.length > MAX_CLASSES) {
    throw new DataError(`${cfg.data}: the target column ${show(cfg.target)} has ${classes.length} distinct values; at most ${MAX_CLASSES} classes (is it a number to predict? add --regression)`);
  }
  if (classes.length === 2) {
    return { Y: { rows: 1, cols: m, data: Float32Array.from(index) }, classes, targetScale: null, output: 'sigmoid' };
  }
  const k = classes.length;
  return { Y: { rows: k, cols: m, data: oneHot(index, k) }, classes, targetScale: null, output: 'softmax' };
}

function checkSaveDir(file: string): void {
  const dir = path.dirname(path.resolve(file));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new DataError(`cannot save to ${file}: the directory ${dir} does not exist`);
  if (existsSync(file) && statSync(file).isDirectory()) throw new DataError(`cannot save to ${file}: it is a directory`);
}

export async function trainMain(argv: string[]): Promise<number> {
  const cfg = parseTrainConfig(argv);
  if (cfg === 'help') {
    process.stdout.write(TRAIN_HELP);
    return 0;
  }
  if (path.resolve(cfg.save) === path.resolve(cfg.data)) throw new UsageError('--save names the --data file; the model would overwrite the data');
  checkSaveDir(cfg.save); // before the work, not after it
  const { features, X, standardize, t } = loadTrainingData(cfg);
  const m = X.cols;

  const layers = [features.length, ...cfg.hidden, t.Y.rows];
  const activations = [...cfg.hidden.map(() => cfg.activation), t.output];
  const net = await Network.create({ layers, activations, backend: cfg.backend, seed: cfg.seed });
  try {
    net.init({ scheme: cfg.activation === 'relu' || cfg.activation === 'leakyRelu' ? 'he' : 'xavier' });
    const batchSize = Math.min(cfg.batchSize, m);
    const what = t.classes
      ? `${t.classes.length} classes (${t.classes.slice(0, 8).map(show).join(', ')}${t.classes.length > 8 ? ', …' : ''})`
      : `regression (the network learns the standardized target, mean ${Number(t.targetScale!.mean.toPrecision(6))}, std ${Number(t.targetScale!.std.toPrecision(6))}; the cost is on that scale)`;
    console.log(`wasm-mlp train: ${cfg.data}, ${m} rows, ${features.length} feature${features.length === 1 ? '' : 's'}, target ${show(cfg.target)}: ${what}`);
    console.log(`network [${layers.join(', ')}], ${cfg.activation} hidden, ${t.output} output, backend ${net.backend}`);
    console.log(`${cfg.optimizer}, ${cfg.epochs} epochs, batch size ${batchSize}, learning rate ${cfg.learningRate}, seed ${cfg.seed}`);

    const progress = reporter(cfg);
    const t0 = performance.now();
    net.train(X, t.Y, {
      epochs: cfg.epochs, batchSize, optimizer: cfg.optimizer, learningRate: cfg.learningRate, seed: cfg.seed,
      onProgress: progress.onProgress, // every epoch (the default); cost: the epoch's mean over its batches
    });
    progress.done();
    const took = `(${((performance.now() - t0) / 1000).toFixed(2)} s)`;

    if (t.classes) {
      console.log(`training accuracy: ${(accuracy(net.predict(X), t.Y) * 100).toFixed(2)}%  ${took}`);
    } else {
      const A = net.predictProba(X), { std } = t.targetScale!;
      let se = 0;
      for (let j = 0; j < m; j++) se += ((A.data[j] - t.Y.data[j]) * std) ** 2;
      console.log(`training RMSE: ${Number(Math.sqrt(se / m).toPrecision(6))} (in ${cfg.target}'s units)  ${took}`);
    }
    const file: CliModelFile = {
      format: CLI_MODEL_FORMAT, version: CLI_MODEL_VERSION, task: t.classes ? 'classification' : 'regression',
      features, target: cfg.target, classes: t.classes, standardize, targetScale: t.targetScale, model: net.toJSON(),
    };
    writeFileAtomic(cfg.save, JSON.stringify(file) + '\n');
    console.log(`saved ${cfg.save}`);
  } finally {
    net.dispose();
  }
  return 0;
}

/** The CSV's features (standardized) and target, or an error listing every bad row. */
function loadTrainingData(cfg: TrainConfig) {
  const table = readCsvTable(cfg.data, readText(cfg.data, 'data file'));
  if (!table.header.includes(cfg.target)) {
    throw new DataError(`${cfg.data} has no column ${show(cfg.target)} (--target); its columns are ${table.header.map(show).join(', ')}`);
  }
  const features = cfg.features ?? table.header.filter((h) => h !== cfg.target);
  if (features.includes(cfg.target)) throw new UsageError(`--features lists the target column ${show(cfg.target)}`);
  if (features.length === 0) throw new DataError(`${cfg.data} has no feature column: its only column is the target ${show(cfg.target)}`);
  const { X, target } = extract(table, features, { name: cfg.target, numeric: cfg.regression });
  const standardize = standardization(X);
  applyStandardization(X, standardize);
  return { features, X, standardize, t: makeTarget(target!, cfg) };
}

/** Per-epoch lines on stdout (every printEvery epochs, the first and the last) and, on a terminal, a progress bar on stderr. */
function reporter(cfg: TrainConfig): { onProgress: NonNullable<TrainOptions['onProgress']>; done(): void } {
  const printEvery = cfg.printEvery ?? Math.max(1, Math.ceil(cfg.epochs / 20));
  const showBar = !cfg.quiet && Boolean(process.stderr.isTTY);
  const width = String(cfg.epochs).length;
  let lastBar = 0;
  return {
    onProgress: ({ epoch, epochs, cost, accuracy: acc }) => {
      if (epoch % printEvery === 0 || epoch === 1 || epoch === epochs) {
        if (showBar) process.stderr.write('\r\x1b[K');
        const right = acc === undefined ? '' : `  accuracy ${(acc * 100).toFixed(2)}%`;
        console.log(`epoch ${String(epoch).padStart(width)}/${epochs}  cost ${cost.toFixed(6)}${right}`);
      }
      if (showBar && (epoch === epochs || performance.now() - lastBar > 100)) {
        lastBar = performance.now();
        process.stderr.write(`\r\x1b[K${progressBar(epoch, epochs, `epoch ${epoch}/${epochs}  cost ${cost.toFixed(6)}`)}`);
      }
    },
    done: () => {
      if (showBar) process.stderr.write('\r\x1b[K');
    },
  };
}
