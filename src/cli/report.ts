/**
 * The scores `wasm-mlp train` prints for its held-out test rows and `wasm-mlp predict` for a file
 * that has the target column: accuracy, per-class precision and recall and the confusion matrix
 * for classes; RMSE, MAE and R² for numbers.
 */
import type { ClassificationScores, RegressionScores } from '../data/evaluate.js';

const pct = (x: number): string => (Number.isNaN(x) ? '—' : `${(x * 100).toFixed(2)}%`);
const short = (x: number): string => String(Number(x.toPrecision(4)));

/** Lines of a classification report; class names longer than 20 characters are cut. */
export function classificationLines(s: ClassificationScores, classes: readonly string[]): string[] {
  const names = classes.map((c) => (c.length > 20 ? c.slice(0, 19) + '…' : c));
  const w = Math.max(5, ...names.map((n) => n.length));
  const lines = [`accuracy ${pct(s.accuracy)}`];
  lines.push(`  ${'class'.padEnd(w)}  precision    recall   rows`);
  names.forEach((n, k) => {
    lines.push(`  ${n.padEnd(w)}  ${pct(s.precision[k]).padStart(9)}  ${pct(s.recall[k]).padStart(8)}  ${String(s.support[k]).padStart(5)}`);
  });
  const cw = Math.max(...names.map((n) => n.length), ...s.confusion.flat().map((v) => String(v).length));
  lines.push('  confusion matrix (rows: true class, columns: predicted)');
  lines.push(`  ${''.padEnd(w)}  ${names.map((n) => n.padStart(cw)).join('  ')}`);
  s.confusion.forEach((row, t) => lines.push(`  ${names[t].padEnd(w)}  ${row.map((v) => String(v).padStart(cw)).join('  ')}`));
  return lines;
}

/** One line of regression scores, in the target's units. */
export function regressionLine(s: RegressionScores, target: string): string {
  return `RMSE ${short(s.rmse)}, MAE ${short(s.mae)} (in ${target}'s units), R² ${Number.isNaN(s.r2) ? '— (the true values are all equal)' : s.r2.toFixed(4)}`;
}
