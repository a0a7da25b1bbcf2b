/**
 * TensorFlow.js 4.22 in Node for the benchmark (development dependency only): both backends set
 * up once (the wasm binaries from node_modules by file path, one thread). The step and the
 * product themselves are in bench/tfjs-net.ts.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export { TF_FORMS, TfGemm, TfNet, chooseTfForm, tfTensorCount, useTf, type TfBackend, type TfForm } from './tfjs-net.js';

export interface TfInfo {
  version: string;
  wasmVersion: string;
  /** whether tfjs-backend-wasm loaded its SIMD binary */
  wasmSimd: boolean;
  /** XNNPACK threads of the wasm backend (1: single-threaded) */
  wasmThreads: number;
}

let info: TfInfo | undefined;

/** Initialises both backends once: wasm binaries from node_modules (a file path, no fetch), one thread. */
export async function initTf(): Promise<TfInfo> {
  if (info) return info;
  const require = createRequire(import.meta.url);
  // the .wasm files sit beside the package's main file (dist/); a trailing slash makes it a prefix
  setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/');
  setThreadsCount(1); // Node has no wasm threads in tfjs 4.22 anyway; this makes it explicit
  if (!(await tf.setBackend('wasm'))) throw new Error('bench: TensorFlow.js wasm backend failed to initialise');
  const wasmSimd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const wasmThreads = getThreadsCount();
  if (!(await tf.setBackend('cpu'))) throw new Error('bench: TensorFlow.js cpu backend failed to initialise');
  const versions = tf.version as Record<string, string>;
  info = { version: versions['tfjs'] ?? versions['tfjs-core'], wasmVersion: versions['tfjs-backend-wasm'] ?? versions['tfjs'], wasmSimd, wasmThreads };
  return info;
}
