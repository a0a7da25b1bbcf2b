/**
 * The command line's model file: a network (the library's ModelJSON) plus what `predict` needs
 * to use it on a new CSV — the feature columns by name and the standardization learnt on the
 * training data, the target's name, and the class labels (or the target's scale for regression).
 * Written by `wasm-mlp train`, read by `wasm-mlp predict`; the format and its checks (hostile
 * input, like Network.fromJSON) are the library's (src/io/trained-model.ts: saveModel / loadModel).
 */
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Network } from '../network.js';
import type { BackendName } from '../core/backend.js';
import type { ModelJSON } from '../io/model-file.js';
import { loadTrainedModel, TRAINED_MODEL_FORMAT, TRAINED_MODEL_VERSION, type TrainedModelJSON } from '../trained-model.js';
import { DataError } from './data.js';

export const CLI_MODEL_FORMAT = TRAINED_MODEL_FORMAT;
export const CLI_MODEL_VERSION = TRAINED_MODEL_VERSION;

/** The file `wasm-mlp train --save` writes: the library's trained-model format (loadModel reads it). */
export type CliModelFile = TrainedModelJSON;

/** A loaded model file: its checked description and the network built from it. */
export interface LoadedCliModel { file: CliModelFile; net: Network }

/** Reads and checks a model file written by `wasm-mlp train` (or saveModel), and builds its network. */
export async function loadCliModel(file: string, text: string, backend: BackendName): Promise<LoadedCliModel> {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (e) {
    throw new DataError(`${file} is not a model file: its JSON does not parse (${(e as Error).message}); a truncated or edited file?`);
  }
  if (o !== null && typeof o === 'object' && Object.hasOwn(o, 'format') && (o as { format: unknown }).format === 'wasm-mlp') {
    throw new DataError(`${file} is a bare network (format 'wasm-mlp', from net.toJSON()); predict needs the file \`wasm-mlp train --save\` writes, which also holds the column names and scaling`);
  }
  try {
    const m = await loadTrainedModel(o, backend, file);
    const desc: CliModelFile = {
      format: CLI_MODEL_FORMAT, version: CLI_MODEL_VERSION, task: m.task, features: m.features, target: m.target,
      classes: m.classes, standardize: m.standardizer.toJSON(), targetScale: m.targetScale, model: (o as { model: ModelJSON }).model,
    };
    return { file: desc, net: m.net };
  } catch (e) {
    throw new DataError((e as Error).message);
  }
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
