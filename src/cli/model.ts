/**
 * The command line's model file: a network (the library's ModelJSON) plus what `predict` needs
 * to use it on a new CSV — the feature columns by name and the standardization learnt on the
 * training data, the target's name, and the class labels (or the target's scale for regression).
 * Written by `wasm-mlp train`, read by `wasm-mlp predict`; the format and its checks (hostile
 * input, like Network.fromJSON) are the library's (src/io/trained-model.ts: saveModel / loadModel).
 */
import { accessSync, chmodSync, closeSync, constants, openSync, renameSync, statSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Network } from '../network.js';
import type { BackendName } from '../core/backend.js';
import type { ModelJSON } from '../io/model-file.js';
import {
  loadTrainedModel, TRAINED_MODEL_FORMAT, TRAINED_MODEL_TEXT_SHAPE, TRAINED_MODEL_VERSION, type TrainedModelJSON,
} from '../trained-model.js';
import { parseJSONText } from '../io/untrusted.js';
import { DataError, UnusableFileError } from './data.js';

export const CLI_MODEL_FORMAT = TRAINED_MODEL_FORMAT;
export const CLI_MODEL_VERSION = TRAINED_MODEL_VERSION;
/** What a model file's text may hold (checked by a scan before JSON.parse). */
export const CLI_MODEL_TEXT_SHAPE = TRAINED_MODEL_TEXT_SHAPE;

/** The file `wasm-mlp train --save` writes: the library's trained-model format (loadModel reads it). */
export type CliModelFile = TrainedModelJSON;

/** A loaded model file: its checked description and the network built from it. */
export interface LoadedCliModel { file: CliModelFile; net: Network }

/** Reads and checks a model file written by `wasm-mlp train` (or saveModel), and builds its network. */
export async function loadCliModel(file: string, text: string, backend: BackendName): Promise<LoadedCliModel> {
  let o: unknown;
  try {
    o = parseJSONText(file, text, CLI_MODEL_TEXT_SHAPE, 'the model file', { text: 'a model file text', file: '`wasm-mlp train --save`' });
  } catch (e) {
    throw new DataError(`${file} is not a model file: ${(e as Error).message.slice(file.length + 2)}; a truncated or edited file?`);
  }
  if (o !== null && typeof o === 'object' && Object.hasOwn(o, 'format') && (o as { format: unknown }).format === 'wasm-mlp') {
    throw new DataError(`${file} is a bare network (format 'wasm-mlp', from net.toJSON()); predict needs the file \`wasm-mlp train --save\` writes, which also holds the column names and scaling`);
  }
  try {
    const m = await loadTrainedModel(o, { backend }, file);
    const desc: CliModelFile = {
      format: CLI_MODEL_FORMAT, version: CLI_MODEL_VERSION, task: m.task, features: m.features, target: m.target,
      classes: m.classes, standardize: m.standardizer.toJSON(), targetScale: m.targetScale, model: (o as { model: ModelJSON }).model,
    };
    return { file: desc, net: m.net };
  } catch (e) {
    throw new DataError((e as Error).message);
  }
}

/** The temporary file writeFileAtomic writes first: in the same directory (same file system), hidden. */
function tempName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
}

/** Why an existing file must not be replaced ('' when it may be): a directory, or read-only. */
function replaceProblem(file: string, st: Stats): string {
  if (st.isDirectory()) return 'it is a directory';
  if (!st.isFile()) return 'it is not a regular file';
  // no write bit: the file was made read-only, and a rename over it would bypass that
  if ((st.mode & 0o222) === 0) return 'the file is read-only (chmod u+w it, or save elsewhere)';
  try {
    accessSync(file, constants.W_OK);
  } catch {
    return 'no permission to write it';
  }
  return '';
}

/**
 * Checks, before any work is done, that writeFileAtomic(file) can succeed: the directory exists
 * and takes a new file (probed by creating and removing the temporary file), and an existing file
 * there may be replaced. Throws an UnusableFileError naming the problem.
 */
export function checkWritable(file: string): void {
  const dir = path.dirname(path.resolve(file));
  let st: Stats | undefined;
  try {
    st = statSync(file);
  } catch { /* a new file */ }
  const problem = st ? replaceProblem(file, st) : '';
  if (problem) throw new UnusableFileError(`cannot save to ${file}: ${problem}`);
  let dst: Stats;
  try {
    dst = statSync(dir);
  } catch {
    throw new UnusableFileError(`cannot save to ${file}: the directory ${dir} does not exist`);
  }
  if (!dst.isDirectory()) throw new UnusableFileError(`cannot save to ${file}: ${dir} is not a directory`);
  const tmp = tempName(file);
  try {
    closeSync(openSync(tmp, 'wx'));
    unlinkSync(tmp);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'it is not writable' : code === 'EROFS' ? 'it is on a read-only file system' : (e as Error).message;
    throw new UnusableFileError(`cannot save to ${file}: the directory ${dir} takes no new file (${why})`);
  }
}

/**
 * Writes `text` (or bytes) to `file` so that a reader never sees half of it: into a temporary
 * file in the same directory (same file system), then renamed over the target in one step. An
 * existing target keeps its permissions, and a read-only one is not replaced. On any failure the
 * temporary file is removed and the target is left as it was.
 */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  let st: Stats | undefined;
  try {
    st = statSync(file);
  } catch { /* a new file */ }
  const problem = st ? replaceProblem(file, st) : '';
  if (problem) throw new DataError(`cannot write ${file}: ${problem}`);
  const tmp = tempName(file);
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    if (st) chmodSync(tmp, st.mode & 0o7777);
    renameSync(tmp, file);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* it was never created */ }
    throw new DataError(`cannot write ${file}: ${(e as Error).message}`);
  }
}
