/**
 * `wasm-mlp predict --model model.json --data file.csv [--out predictions.csv]`: applies a model
 * written by `wasm-mlp train` to a CSV with the same feature columns (found by name; other
 * columns, the target among them, are ignored) and writes one prediction per data row.
 */
import path from 'node:path';
import { BACKENDS, type BackendName } from '../core/backend.js';
import { extract, readCsvTable, readText, show, type CsvTable } from './data.js';
import { parseNumber } from '../data/csv.js';
import { classificationScores, regressionScores } from '../data/evaluate.js';
import { classificationLines, regressionLine } from './report.js';
import { Standardizer } from '../data/standardize.js';
import { commandFlags, oneOf, required, UsageError } from './args.js';
import { CLI_MODEL_TEXT_SHAPE, checkWritable, loadCliModel, writeFileAtomic, type CliModelFile } from './model.js';
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
nothing is written: exit code 1. A bad flag, or a file that cannot be used at all (missing,
unreadable, empty, no data rows, a bad header, a missing column, an --out that cannot be
written): one line, exit code 2. Files must be UTF-8.
`;

/** Columns predicted at a time: bounds the network's memory for any file size. */
const CHUNK = 8192;

export async function predictMain(argv: string[]): Promise<number> {
  const f = commandFlags(argv, {
    model: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' }, backend: { type: 'string' },
  }, PREDICT_HELP);
  if (!f) return 0;
  const modelPath = required(f, 'model', 'MODEL.json (a model file from wasm-mlp train --save)');
  const dataPath = required(f, 'data', 'FILE.csv');
  const backend = oneOf<BackendName>(f, 'backend', BACKENDS, 'wasm');
  const out = f.out as string | undefined;
  for (const [flag, file] of [['--data', dataPath], ['--model', modelPath]]) {
    if (out !== undefined && path.resolve(out) === path.resolve(file)) throw new UsageError(`--out names the ${flag} file; the predictions would overwrite it`);
  }

  if (out !== undefined) checkWritable(out); // before the work, not after it
  const { file: model, net } = await loadCliModel(modelPath, readText(modelPath, 'model file', CLI_MODEL_TEXT_SHAPE.length), backend);
  try {
    const table = readCsvTable(dataPath, readText(dataPath, 'data file'));
    const X = Standardizer.fromJSON(model.standardize).apply(extract(table, model.features, null).X);
    const { text, predicted } = predictions(net, model, X);
    if (out) {
      writeFileAtomic(out, text);
      process.stderr.write(`wasm-mlp predict: ${X.cols} predictions of ${model.target} written to ${out}\n`);
    } else {
      // resolve once the text is handed to the OS: the process exits right after, and a pipe
      // may be asynchronous (macOS), where exiting earlier would cut the output short
      await new Promise<void>((resolve, reject) => process.stdout.write(text, (e) => (e ? reject(e) : resolve())));
    }
    const scores = scoreLines(table, model, predicted);
    if (scores.length) process.stderr.write(`wasm-mlp predict: ${scores.join('\n')}\n`);
  } finally {
    net.dispose();
  }
  return 0;
}

/** The predictions as CSV text: header, then one line per column of X. */
export function predictionsCsv(net: Network, model: CliModelFile, X: Matrix): string {
  return predictions(net, model, X).text;
}

/** The predictions as CSV text, and each row's predicted class index (or value, for regression). */
function predictions(net: Network, model: CliModelFile, X: Matrix): { text: string; predicted: Float64Array } {
  const classes = model.classes;
  const header = classes ? [model.target, ...classes.map((c) => `p_${c}`)] : [model.target];
  const lines = [csvLine(header)];
  const predicted = new Float64Array(X.cols);
  for (let j0 = 0; j0 < X.cols; j0 += CHUNK) {
    const m = Math.min(CHUNK, X.cols - j0);
    const A = net.predictProba(sliceColumns(X, j0, m));
    for (let j = 0; j < m; j++) {
      const { fields, value } = predictionRow(A, j, model);
      lines.push(csvLine(fields));
      predicted[j0 + j] = value;
    }
  }
  return { text: lines.join(''), predicted };
}

function predictionRow(A: Matrix, j: number, model: CliModelFile): { fields: string[]; value: number } {
  const classes = model.classes;
  if (!classes) {
    const { mean, std } = model.targetScale!;
    const y = A.data[j] * std + mean;
    return { fields: [fmt(y, 7)], value: y };
  }
  let p: number[];
  if (A.rows === 1) {
    const p1 = A.data[j]; // 2 classes on one sigmoid output: P(classes[1])
    p = [1 - p1, p1];
  } else {
    p = classes.map((_, k) => A.data[k * A.cols + j]);
  }
  // argmax, the first on a tie; for 2 classes that is p1 > 0.5, the network's own threshold
  const best = argmaxColumn(p, 0, p.length, 1, 0);
  return { fields: [classes[best], ...p.map((x) => fmt(x, 6))], value: best };
}

/**
 * When the file has the model's target column: the predictions scored against it, as lines for
 * stderr. Rows whose target is empty, not a number (regression) or a class the model does not
 * know are left out of the scores and counted.
 */
function scoreLines(table: CsvTable, model: CliModelFile, predicted: Float64Array): string[] {
  const ti = table.header.indexOf(model.target);
  if (ti < 0) return [];
  const truth: number[] = [], guess: number[] = [];
  let empty = 0, notNumber = 0;
  const unknown = new Map<string, number>();
  const classIndex = new Map(model.classes?.map((c, k) => [c, k]));
  table.rows.forEach((r, j) => {
    const s = r.fields[ti].trim();
    const v = s === '' ? undefined : model.classes ? classIndex.get(s) : parseNumber(s);
    if (s === '') empty++;
    else if (v === undefined) unknown.set(s, (unknown.get(s) ?? 0) + 1);
    else if (Number.isNaN(v)) notNumber++;
    else {
      truth.push(v);
      guess.push(predicted[j]);
    }
  });
  const rows = (n: number) => `${n} row${n === 1 ? '' : 's'}`;
  const n = [...unknown.values()].reduce((a, b) => a + b, 0);
  const labels = [...unknown.keys()];
  const notes = [
    empty && `  not scored: ${rows(empty)} with an empty ${show(model.target)}`,
    notNumber && `  not scored: ${rows(notNumber)} whose ${show(model.target)} is not a number`,
    n && `  not scored: ${rows(n)} of a class the model was not trained on (${labels.slice(0, 5).map(show).join(', ')}${labels.length > 5 ? ', …' : ''})`,
  ].filter((x): x is string => Boolean(x));
  const head = `scored against the file's ${show(model.target)} column: ${rows(truth.length)}`;
  if (truth.length === 0) return [head, ...notes];
  const body = model.classes
    ? classificationLines(classificationScores(guess, truth, model.classes.length), model.classes)
    : [regressionLine(regressionScores(guess, truth), model.target)];
  return [head, ...body.map((l) => `  ${l}`), ...notes];
}

/** float32 values carry about 7 significant digits: print no more than that. */
function fmt(x: number, digits: number): string {
  return String(Number(x.toPrecision(digits)));
}
