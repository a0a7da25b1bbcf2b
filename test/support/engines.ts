// The modules the engine runs and the model formats the library reads, each listed once: the
// generated suites take their lists from here, so a new module (relaxed SIMD, threads) or a new
// format (ONNX, TF.js) joins every property by one line.
import { createJsBackend, createWasmBackend, type Backend, type BackendName } from '../../src/core/backend.js';
import { relaxedSimdSupported } from '../../src/core/extra.js';
import type { SimdName } from '../../src/core/modules.js';
import { Network } from '../../src/network.js';
import { fromTFJS, toTFJS } from '../../src/export.js';
import { tfjsModelJSON } from '../../src/io/tfjs.js';

export interface EngineModule {
  /** how a failing case names it */
  name: string;
  /** the backend name Network.create takes for it */
  backend: BackendName;
  /** the kernel build Network.create takes for it (wasm) */
  simd?: SimdName;
  /** a fresh backend (its own memory) on this module */
  create(): Promise<Backend>;
}

export const ENGINE_MODULES: readonly EngineModule[] = [
  { name: 'wasm (plain SIMD)', backend: 'wasm', simd: 'plain', create: () => createWasmBackend({ simd: 'plain' }) },
  // where the engine has relaxed SIMD (Node ≥ 22; Node 20 with --experimental-wasm-relaxed-simd)
  ...(relaxedSimdSupported() ? [{ name: 'wasm (relaxed SIMD)', backend: 'wasm', simd: 'relaxed', create: () => createWasmBackend({ simd: 'relaxed' }) } as const] : []),
  { name: 'js', backend: 'js', create: async () => createJsBackend() },
];

/** A saved network: the text a format writes, and the bytes beside it (TF.js's weights.bin). */
export interface ModelFile { text: string; bytes?: Uint8Array }

export interface ModelFormat {
  name: string;
  /** how the reader's errors start */
  where: string;
  /** the network's file */
  write(net: Network): ModelFile;
  /** a network from such a file (or a hostile one), on a backend */
  read(file: ModelFile, backend: BackendName): Promise<Network>;
}

export const MODEL_FORMATS: readonly ModelFormat[] = [
  { name: 'json', where: 'Network.fromJSON', write: (net) => ({ text: JSON.stringify(net) }), read: (f, backend) => Network.fromJSON(f.text, { backend }) },
  {
    name: 'TF.js (model.json + weights.bin)', where: 'fromTFJS',
    write: (net) => { const a = toTFJS(net); return { text: JSON.stringify(tfjsModelJSON(a)), bytes: new Uint8Array(a.weightData) }; },
    read: (f, backend) => fromTFJS(f.text, { backend, weightData: f.bytes ?? new Uint8Array(0) }),
  },
];

/** A bump allocator over a backend's memory for calling kernels directly; reset() between cases. */
export { Scratch as KernelArena } from './helpers.js';
