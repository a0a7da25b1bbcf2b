/**
 * `wasm-mlp predict --model model.json --data file.csv [--out predictions.csv]`: applies a model
 * written by `wasm-mlp train` to a CSV with the same feature columns (found by name; other
 * columns, the target among them, are ignored) and writes one prediction per data row.
 */
import path from 'node:path';
import { BACKENDS, type BackendName } from '../core/backend.js';
import { applyStandardization, extract, readCsvTable, readText } from './data.js';
import { oneOf, parseFlags, required, UsageError } from './args.js';
import { loadCliModel, writeFileAtomic, type CliModelFile } from './model.js';
import { csvLine } from '../data/csv.js';
import { argmaxColumn, sliceColumns, type Matrix } from '../util/matrix.js';
import type { Network } from '../network.js';

export const PREDICT_HELP = `Usage: wasm-mlp predict --model MODEL.json --data FILE.csv [--out PREDICTIONS.csv]

Applies a model written by \`wasm-mlp train --save\` to the rows of a CSV file. The file needs a
header row naming at least the model's feature columns (in any order; other columns, the target
among them, are ignored). Writes a CSV with one row per data row, in order: the predicted class
label (or value, for regression) under the target's name, and for classification one probability
column per class, p_<class>.

Options:
  --model PATH          the model file (from wasm-mlp train --save)
  --data PATH           the CSV file to predict
  --out PATH            where to write the predictions (default: standard output); written whole
                        or not at all
  --backend NAME        wasm | js (default wasm)
  -h, --help            this text

A bad row is reported with its line number (every bad row counted, the first 10 listed) and
nothing is written; exit code 1 for a bad file, 2 for a bad flag.
`;

/** Columns predicted at a time: bounds the network's memory for any file size. */
const CHUNK = 8192;

export async function predictMain(argv: string[]): Promise<number> {
  const f = parseFlags(argv, {
    model: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' },
    backend: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  });
  if (f.help) {
    process.stdout.write(PREDICT_HELP);
    return 0;
  }
  const modelPath = required(f, 'model', 'MODEL.json (a model file from wasm-mlp train --save)');
  const dataPath = required(f, 'data', 'FILE.csv');
  const backend = oneOf<BackendName>(f, 'backend', BACKENDS, 'wasm');
  const out = f.out as string | undefined;
  for (const [flag, file] of [['--data', dataPath], ['--model', modelPath]]) {
    if (out !== undefined && path.resolve(out) === path.resolve(file)) throw new UsageError(`--out names the ${flag} file; the predictions would overwrite it`);
  }

  const { file: model, net } = await loadCliModel(modelPath, readText(modelPath, 'model file'), backend);
  try {
    const table = readCsvTable(dataPath, readText(dataPath, 'data file'));
    const { X } = extract(table, model.features, null);
    applyStandardization(X, model.standardize);
    const text = predictionsCsv(net, model, X);
    if (out) {
      writeFileAtomic(out, text);
      process.stderr.write(`wasm-mlp predict: ${X.cols} predictions of ${model.target} written to ${out}\n`);
    } else {
      // resolve once the text is handed to the OS: the process exits right after, and a pipe
      // may be asynchronous (macOS), where exiting earlier would cut the output short
      await new Promise<void>((resolve, reject) => process.stdout.write(text, (e) => (e ? reject(e) : resolve())));
    }
  } finally {
    net.dispose();
  }
  return 0;
}

/** The predictions as CSV text: header, then one line per column of X. */
export function predictionsCsv(net: Network, model: CliModelFile, X: Matrix): string {
  const classes = model.classes;
  const header = classes ? [model.target, ...classes.map((c) => `p_${c}`)] : [model.target];
  const lines = [csvLine(header)];
  for (let j0 = 0; j0 < X.cols; j0 += CHUNK) {
    const m = Math.min(CHUNK, X.cols - j0);
    const A = net.predictProba(sliceColumns(X, j0, m));
    for (let j = 0; j < m; j++) lines.push(csvLine(predictionRow(A, j, model)));
  }
  return lines.join('');
}

function predictionRow(A: Matrix, j: number, model: CliModelFile): string[] {
  const classes = model.classes;
  if (!classes) {
    const { mean, std } = model.targetScale!;
    return [fmt(A.data[j] * std + mean, 7)];
  }
  let p: number[];
  if (classes.length === 2) {
    const p1 = A.data[j]; // the sigmoid output is P(classes[1])
    p = [1 - p1, p1];
  } else {
    p = classes.map((_, k) => A.data[k * A.cols + j]);
  }
  // argmax, the first on a tie; for 2 classes that is p1 > 0.5, the network's own threshold
  const best = argmaxColumn(p, 0, p.length, 1, 0);
  return [classes[best], ...p.map((x) => fmt(x, 6))];
}

/** float32 values carry about 7 significant digits: print no more than that. */
function fmt(x: number, digits: number): string {
  return String(Number(x.toPrecision(digits)));
}
