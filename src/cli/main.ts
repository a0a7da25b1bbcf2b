#!/usr/bin/env node
/**
 * The `wasm-mlp` binary. Its main job: train a small network on a 2-D toy data set, show
 * progress, print the accuracy and speed, and draw the decision boundary as an SVG picture. Its
 * subcommands — `train` and `predict` on a user's CSV, `export` to ONNX and TF.js, `import` from
 * TF.js — take over when the first argument names one.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Network } from '../network.js';
import { HIDDEN_ACTIVATIONS as ACTIVATIONS, type Activation } from '../core/architecture.js';
import { BACKENDS, MAX_THREADS, type BackendName } from '../core/backend.js';
import type { SimdOption, ThreadsOption } from '../core/execution.js';
import { SIMD_OPTIONS } from '../core/modules.js';
import { datasets, DATASET_NAMES, type DatasetName } from '../data/datasets.js';
import { accuracy } from '../data/metrics.js';
import { RNG_NAMES, type RngName } from '../util/rng.js';
import { boundarySvg } from './plot.js';
import type { Matrix } from '../util/matrix.js';
import { isPosInt, layerSizes, num, oneOf, parseFlags, progressBar, UsageError } from './args.js';
import { DataError, UnusableFileError } from './data.js';
import { exportMain, importMain } from './export.js';
import { predictMain } from './predict.js';
import { trainMain } from './train.js';

const HELP = `Usage: npm start -- [options]      (or: node dist/cli.js [options])
       wasm-mlp train --data FILE.csv --target COLUMN --save MODEL.json [options]   (train on your CSV; train --help)
       wasm-mlp predict --model MODEL.json --data FILE.csv [--out FILE.csv]       (predict --help)
       wasm-mlp export --model MODEL.json --onnx FILE.onnx | --tfjs DIR            (to ONNX / TF.js; export --help)
       wasm-mlp import --tfjs DIR/model.json --save MODEL.json                     (from TF.js; import --help)

Trains a network with hidden layers of the given sizes and a sigmoid output on a seeded 2-D data
set with full-batch gradient descent, then writes the decision boundary as an SVG picture.
The defaults are the course's shallow network on its planar "flower" data.

Options:
  --dataset NAME        ${DATASET_NAMES.join(' | ')}  (default flower)
  --m N                 number of examples (default 400)
  --noise X             data noise (default: the data set's own)
  --hidden LIST         hidden layer sizes, comma separated, e.g. 4 or 16,8 (default 4)
  --activation NAME     hidden activation: ${ACTIVATIONS.join(' | ')} (default tanh)
  --learning-rate X     gradient-descent step size α (default 1.2)
  --iterations N        gradient-descent steps (default 10000)
  --backend NAME        wasm | js (default wasm)
  --simd NAME           auto | relaxed | plain: the wasm kernel build (default auto: relaxed SIMD
                        where this engine has it; Node 20 needs --experimental-wasm-relaxed-simd)
  --threads N           threads for the large products, a number or auto (default auto: the
                        cores, for a network with a layer of 4096 weights or more)
  --seed N              seed of the parameter initialisation (default 2)
  --data-seed N         seed of the data set (default 1)
  --rng NAME            default | numpy: numpy's legacy np.random stream for the data and the
                        initialisation; with the other defaults it reproduces the course exactly
  --print-every N       print the cost every N iterations (default 1000)
  --plot PATH           where to write the SVG picture (default flower-boundary.svg for the flower,
                        <dataset>-boundary.svg otherwise); --no-plot to skip it
  --quiet               no progress bar
  -h, --help            this text
`;

interface Config {
  dataset: DatasetName; m: number; noise: number | undefined; hidden: number[]; activation: Activation;
  learningRate: number; iterations: number; backend: BackendName; seed: number; dataSeed: number; rng: RngName;
  printEvery: number; plot: string | null; quiet: boolean;
  /** undefined: not given (the library's 'auto') */
  simd: SimdOption | undefined; threads: ThreadsOption | undefined;
}

function parseConfig(argv: string[]): Config | 'help' {
  const f = parseFlags(argv, {
    dataset: { type: 'string' }, m: { type: 'string' }, noise: { type: 'string' },
    hidden: { type: 'string' }, activation: { type: 'string' },
    'learning-rate': { type: 'string' }, iterations: { type: 'string' },
    backend: { type: 'string' }, simd: { type: 'string' }, threads: { type: 'string' }, seed: { type: 'string' }, 'data-seed': { type: 'string' }, rng: { type: 'string' },
    'print-every': { type: 'string' }, plot: { type: 'string' }, 'no-plot': { type: 'boolean' },
    quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  });
  if (f.help) return 'help';
  const int = (x: number) => Number.isSafeInteger(x);
  const hidden = layerSizes(f, 'hidden', '4', 'layer sizes', '4 or 16,8');
  const dataset = oneOf(f, 'dataset', DATASET_NAMES, 'flower');
  const plot = f.plot as string | undefined;
  if (f['no-plot'] && plot !== undefined) throw new UsageError('--plot and --no-plot contradict each other');
  return {
    dataset,
    m: num(f, 'm', 400, (x) => isPosInt(x) && x >= 2 && x <= 1_000_000, 'an integer from 2 to 1000000'),
    noise: num(f, 'noise', undefined, (x) => Number.isFinite(x) && x >= 0, 'a number ≥ 0'),
    hidden,
    activation: oneOf(f, 'activation', ACTIVATIONS, 'tanh'),
    learningRate: num(f, 'learning-rate', 1.2, (x) => Number.isFinite(x) && x > 0, 'a number > 0'),
    iterations: num(f, 'iterations', 10_000, (x) => isPosInt(x) && x <= 100_000_000, 'a positive integer'),
    backend: oneOf(f, 'backend', BACKENDS, 'wasm'),
    seed: num(f, 'seed', 2, int, 'an integer'),
    dataSeed: num(f, 'data-seed', 1, int, 'an integer'),
    rng: oneOf(f, 'rng', RNG_NAMES, 'default'),
    printEvery: num(f, 'print-every', 1000, isPosInt, 'a positive integer'),
    plot: f['no-plot'] ? null : plot ?? `${dataset}-boundary.svg`,
    quiet: Boolean(f.quiet),
    simd: f.simd === undefined ? undefined : oneOf(f, 'simd', SIMD_OPTIONS, 'auto'),
    threads: f.threads === undefined || f.threads === 'auto' ? (f.threads as 'auto' | undefined)
      : num(f, 'threads', 1, (x) => isPosInt(x) && x <= MAX_THREADS, `auto or an integer from 1 to ${MAX_THREADS}`),
  };
}

function stepBar(done: number, total: number, cost: number, t0: number): string {
  const rate = done / ((performance.now() - t0) / 1000);
  return progressBar(done, total, `${done}/${total}  cost ${cost.toFixed(6)}  ${Math.round(rate)} steps/s`);
}

async function main(argv: string[]): Promise<number> {
  if (isSubcommand(argv[0])) return runSubcommand(argv[0], argv.slice(1));
  const cfg = parseConfig(argv);
  if (cfg === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  const gen = datasets[cfg.dataset] as (o: { m: number; seed: number; noise?: number; rng: RngName }) => { X: Matrix; Y: Matrix };
  const { X, Y } = gen({ m: cfg.m, seed: cfg.dataSeed, rng: cfg.rng, ...(cfg.noise === undefined ? {} : { noise: cfg.noise }) });
  const layers = [X.rows, ...cfg.hidden, Y.rows];
  const activations = [...cfg.hidden.map(() => cfg.activation), 'sigmoid' as const];
  const net = await Network.create({
    layers, activations, backend: cfg.backend, seed: cfg.seed, rng: cfg.rng,
    ...(cfg.simd === undefined ? {} : { simd: cfg.simd }), ...(cfg.threads === undefined ? {} : { threads: cfg.threads }),
  });
  console.log(`wasm-mlp: ${cfg.dataset} (m = ${X.cols}), layers [${layers.join(', ')}], ${cfg.activation} hidden, sigmoid output`);
  console.log(`backend ${net.backend}, learning rate ${cfg.learningRate}, ${cfg.iterations} iterations, seed ${cfg.seed}${cfg.rng === 'numpy' ? ' (numpy rng)' : ''}`);
  if (cfg.simd !== undefined || cfg.threads !== undefined) {
    console.log(`kernels: ${net.simd === 'none' ? 'pure JS' : `${net.simd} SIMD`}, ${net.threads} thread${net.threads === 1 ? '' : 's'}`);
  }

  const bar = !cfg.quiet && process.stderr.isTTY;
  const t0 = performance.now();
  let lastBar = 0;
  const { costs, iterations } = net.train(X, Y, {
    iterations: cfg.iterations,
    learningRate: cfg.learningRate,
    progressEvery: 1,
    onProgress: ({ iteration, iterations: total, cost }) => {
      // the cost of step i (1-based) is that of the parameters after i − 1 updates: the course's
      // "cost after iteration i − 1"
      if ((iteration - 1) % cfg.printEvery === 0) {
        if (bar) process.stderr.write('\r\x1b[K');
        console.log(`iteration ${String(iteration - 1).padStart(String(total).length)}  cost ${cost.toFixed(6)}`);
      }
      if (bar && (iteration === total || performance.now() - lastBar > 100)) {
        lastBar = performance.now();
        process.stderr.write(`\r\x1b[K${stepBar(iteration, total, cost, t0)}`);
      }
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  if (bar) process.stderr.write('\r\x1b[K');
  const acc = accuracy(net.predict(X), Y);
  console.log(`accuracy: ${(acc * 100).toFixed(2)}%`);
  console.log(`time: ${seconds.toFixed(3)} s, ${Math.round(iterations / seconds)} steps/s (backend ${net.backend})`);

  if (cfg.plot) {
    const svg = boundarySvg({
      X, Y,
      predictProba: (grid) => net.predictProba(grid).data,
      title: `${cfg.dataset}: [${layers.join(', ')}] ${cfg.activation}, α = ${cfg.learningRate}`,
      subtitle: `training accuracy ${(acc * 100).toFixed(2)}% after ${iterations} iterations (${net.backend})`,
      costs,
    });
    writeFileSync(cfg.plot, svg);
    console.log(`wrote ${cfg.plot}`);
  }
  net.dispose();
  return 0;
}

const SUBCOMMANDS = ['train', 'predict', 'export', 'import'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

function isSubcommand(arg: string | undefined): arg is Subcommand {
  return (SUBCOMMANDS as readonly (string | undefined)[]).includes(arg);
}

/**
 * Runs a subcommand; returns the exit code: 0 done; 2 a bad flag, or a file it names that cannot
 * be used at all (missing, unreadable, empty, no data rows, a bad header, no such column); 1 a
 * file with bad rows, or any other failure. Each reports its own errors on stderr.
 */
async function runSubcommand(name: Subcommand, argv: string[]): Promise<number> {
  try {
    const run = { train: trainMain, predict: predictMain, export: exportMain, import: importMain }[name];
    return await run(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`wasm-mlp ${name}: ${e.message} (see wasm-mlp ${name} --help)\n`);
      return 2;
    }
    process.stderr.write(`wasm-mlp ${name}: ${e instanceof DataError ? e.message : (e as Error).message ?? String(e)}\n`);
    return e instanceof UnusableFileError ? 2 : 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof UsageError) {
      console.error(`wasm-mlp: ${e.message} (see --help)`);
      process.exit(2);
    }
    console.error(`wasm-mlp: ${(e as Error).message ?? e}`);
    process.exit(1);
  },
);
