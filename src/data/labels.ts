/**
 * Class labels as they come in files (text such as "setosa", or numbers such as "0", "1.0") to
 * the class indices a network trains on, in a stable order.
 */
import type { Matrix } from '../util/matrix.js';
import { fail } from '../util/validate.js';
import { parseNumber } from './csv.js';

export interface EncodedLabels {
  /** the distinct classes: numerically ordered when every label is a number ("1" and "1.0" are then one class, written "1"), otherwise by code units */
  classes: string[];
  /** (1 × m): the index in `classes` of each label — the 0/1 targets of a sigmoid output for 2 classes, the class indices a softmax output takes for more */
  Y: Matrix;
}

/**
 * The classes of a list of labels and each label's class index. Labels are compared exactly
 * (numbers by value): trim them first if they may carry spaces or a line end (readCsv does).
 */
export function encodeLabels(labels: readonly string[]): EncodedLabels {
  if (!Array.isArray(labels) || labels.length === 0) fail('encodeLabels', 'labels', 'a non-empty array of strings', labels);
  for (let j = 0; j < labels.length; j++) {
    if (typeof labels[j] !== 'string') fail('encodeLabels', `labels[${j}]`, 'a string', labels[j]);
  }
  const numeric = labels.every((s) => !Number.isNaN(parseNumber(s)));
  const key = numeric ? (s: string) => String(parseNumber(s)) : (s: string) => s;
  const distinct = [...new Set(labels.map(key))];
  if (numeric) distinct.sort((a, b) => Number(a) - Number(b));
  else distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const at = new Map(distinct.map((c, k) => [c, k]));
  return { classes: distinct, Y: { rows: 1, cols: labels.length, data: Float32Array.from(labels, (s) => at.get(key(s))!) } };
}
