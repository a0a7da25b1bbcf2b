/**
 * The command line's model file: a network (the library's ModelJSON) plus what `predict` needs
 * to use it on a new CSV — the feature columns by name and the standardization learnt on the
 * training data, the target's name, and the class labels (or the target's scale for regression).
 * Written by `wasm-mlp train`, read (and checked as hostile input, like Network.fromJSON) by
 * `wasm-mlp predict`.
 */
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Network } from '../network.js';
import type { BackendName } from '../core/backend.js';
import { MODEL_LIMITS, type ModelJSON } from '../io/model-file.js';
import { DataError, show } from './data.js';
import { describe } from '../util/validate.js';

export const CLI_MODEL_FORMAT = 'wasm-mlp-cli';
export const CLI_MODEL_VERSION = 1;

export interface CliModelFile {
  format: 'wasm-mlp-cli';
  version: 1;
  task: 'classification' | 'regression';
  /** the feature columns, in the order of the network's inputs */
  features: string[];
  /** the column the network was trained to predict */
  target: string;
  /**
   * classification: the labels, output k ↔ classes[k]; with 2 classes the single sigmoid output
   * is P(classes[1]). regression: null
   */
  classes: string[] | null;
  /** input i is (x_i − mean[i]) / std[i], learnt on the training data */
  standardize: { mean: number[]; std: number[] };
  /** regression: the network predicts (y − mean) / std; classification: null */
  targetScale: { mean: number; std: number } | null;
  model: ModelJSON;
}

const KEYS = ['format', 'version', 'task', 'features', 'target', 'classes', 'standardize', 'targetScale', 'model'];

/** A loaded model file: its checked description and the network built from it. */
export interface LoadedCliModel { file: CliModelFile; net: Network }

/** Reads and checks a model file written by `wasm-mlp train`, and builds its network. */
export async function loadCliModel(file: string, text: string, backend: BackendName): Promise<LoadedCliModel> {
  const desc = readDescription(file, text);
  let net: Network;
  try {
    net = await Network.fromJSON(desc.model, { backend });
  } catch (e) {
    throw new DataError(`${file}: the network in "model" is rejected: ${(e as Error).message}`);
  }
  const mismatch = mismatchOf(desc, net);
  if (mismatch) {
    net.dispose();
    throw new DataError(`${file}: ${mismatch}`);
  }
  return { file: desc, net };
}

/** The checked description; `model` is passed on unread, for Network.fromJSON to check. */
function readDescription(file: string, text: string): CliModelFile {
  const bad = (what: string, expected: string, got: unknown): never => {
    throw new DataError(`${file}: ${what} must be ${expected}; got ${describe(got)}`);
  };
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (e) {
    throw new DataError(`${file} is not a model file: its JSON does not parse (${(e as Error).message}); a truncated or edited file?`);
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o) || Object.getPrototypeOf(o) !== Object.prototype) {
    bad('the file', 'a JSON object written by `wasm-mlp train`', o);
  }
  const rec = o as Record<string, unknown>;
  // own properties only, so reading never reaches a prototype
  const get = (k: string): unknown => (Object.hasOwn(rec, k) ? rec[k] : undefined);
  if (get('format') === 'wasm-mlp') {
    throw new DataError(`${file} is a bare network (format 'wasm-mlp', from net.toJSON()); predict needs the file \`wasm-mlp train --save\` writes, which also holds the column names and scaling`);
  }
  if (get('format') !== CLI_MODEL_FORMAT) bad('format', `'${CLI_MODEL_FORMAT}' (a model file written by \`wasm-mlp train\`)`, get('format'));
  for (const k of Object.keys(rec)) {
    if (!KEYS.includes(k)) throw new DataError(`${file}: unexpected key ${show(k)}; a wasm-mlp-cli model has only the keys ${KEYS.join(', ')}`);
  }
  if (get('version') !== CLI_MODEL_VERSION) bad('version', `${CLI_MODEL_VERSION}`, get('version'));
  const task = get('task');
  if (task !== 'classification' && task !== 'regression') bad('task', "'classification' or 'regression'", task);

  const strings = (k: string, v: unknown, min: number): string[] => {
    if (!Array.isArray(v) || v.length < min || v.length > MODEL_LIMITS.layerSize) bad(k, `an array of ${min} to ${MODEL_LIMITS.layerSize} strings`, v);
    const a = v as unknown[], seen = new Map<unknown, number>();
    for (let i = 0; i < a.length; i++) {
      if (!Object.hasOwn(a, i) || typeof a[i] !== 'string') bad(`${k}[${i}]`, 'a string', a[i]);
      if (seen.has(a[i])) bad(`${k}[${i}]`, `different from ${k}[${seen.get(a[i])}]`, a[i]);
      seen.set(a[i], i);
    }
    return a as string[];
  };
  const numbers = (k: string, v: unknown, n: number, positive: boolean): number[] => {
    if (!Array.isArray(v) || v.length !== n) bad(k, `an array of ${n} numbers (one per feature)`, v);
    const a = v as unknown[];
    for (let i = 0; i < n; i++) {
      const x = Object.hasOwn(a, i) ? a[i] : undefined;
      if (typeof x !== 'number' || !Number.isFinite(x) || (positive && !(x > 0))) bad(`${k}[${i}]`, positive ? 'a finite number > 0' : 'a finite number', x);
    }
    return a as number[];
  };
  const object = (k: string, v: unknown, keys: string[]): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(k, `an object { ${keys.join(', ')} }`, v);
    const r = v as Record<string, unknown>;
    for (const key of Object.keys(r)) if (!keys.includes(key)) bad(k, `an object { ${keys.join(', ')} }`, v);
    return Object.fromEntries(keys.map((key) => [key, Object.hasOwn(r, key) ? r[key] : undefined]));
  };

  const features = strings('features', get('features'), 1);
  const target = get('target');
  if (typeof target !== 'string') bad('target', 'a string (the target column name)', target);
  const st = object('standardize', get('standardize'), ['mean', 'std']);
  const standardize = {
    mean: numbers('standardize.mean', st.mean, features.length, false),
    std: numbers('standardize.std', st.std, features.length, true),
  };
  let classes: string[] | null = null;
  let targetScale: { mean: number; std: number } | null = null;
  if (task === 'classification') {
    classes = strings('classes', get('classes'), 2);
    if (get('targetScale') !== null) bad('targetScale', 'null for classification', get('targetScale'));
  } else {
    if (get('classes') !== null) bad('classes', 'null for regression', get('classes'));
    const ts = object('targetScale', get('targetScale'), ['mean', 'std']);
    const [mean] = numbers('targetScale.mean', [ts.mean], 1, false);
    const [std] = numbers('targetScale.std', [ts.std], 1, true);
    targetScale = { mean, std };
  }
  return {
    format: CLI_MODEL_FORMAT, version: CLI_MODEL_VERSION, task: task as CliModelFile['task'], features, target: target as string,
    classes, standardize, targetScale, model: get('model') as ModelJSON,
  };
}

/** How the description and the network disagree (inputs, outputs, output activation), or ''. */
function mismatchOf(desc: CliModelFile, net: Network): string {
  const nOut = net.layers[net.layers.length - 1];
  const out = net.activations[net.activations.length - 1];
  const { features, classes } = desc;
  if (net.layers[0] !== features.length) return `the network has ${net.layers[0]} inputs but the file lists ${features.length} features`;
  if (!classes) return nOut === 1 && out === 'linear' ? '' : `a regression model needs one linear output; the network has ${nOut} ${out}`;
  const want = classes.length === 2 ? 1 : classes.length;
  const wantOut = classes.length === 2 ? 'sigmoid' : 'softmax';
  if (nOut !== want) return `${classes.length} classes need ${want} output${want === 1 ? '' : 's'}; the network has ${nOut}`;
  if (out !== wantOut) return `${classes.length} classes need a ${wantOut} output; the network's is ${out}`;
  return '';
}

/**
 * Writes `text` (or bytes) to `file` so that a reader never sees half of it: into a temporary file in the
 * same directory (same file system), then renamed over the target in one step. On any failure
 * the temporary file is removed and the target is left as it was.
 */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, file);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* it was never created */ }
    throw new DataError(`cannot write ${file}: ${(e as Error).message}`);
  }
}
