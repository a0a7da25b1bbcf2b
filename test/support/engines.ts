// The modules the engine runs and the model formats the library reads, each listed once: the
// generated suites take their lists from here, so a new module (relaxed SIMD, threads) or a new
// format (ONNX, TF.js) joins every property by one line.
import { createJsBackend, createWasmBackend, type Backend, type BackendName } from '../../src/core/backend.js';
import { Network } from '../../src/network.js';

export interface EngineModule {
  /** how a failing case names it */
  name: string;
  /** the backend name Network.create takes for it */
  backend: BackendName;
  /** a fresh backend (its own memory) on this module */
  create(): Promise<Backend>;
}

export const ENGINE_MODULES: readonly EngineModule[] = [
  { name: 'wasm (plain SIMD)', backend: 'wasm', create: createWasmBackend },
  { name: 'js', backend: 'js', create: async () => createJsBackend() },
];

export interface ModelFormat {
  name: string;
  /** the network's file as text */
  write(net: Network): string;
  /** a network from that text (or a hostile one), on a backend */
  read(text: string, backend: BackendName): Promise<Network>;
}

export const MODEL_FORMATS: readonly ModelFormat[] = [
  { name: 'json', write: (net) => JSON.stringify(net), read: (text, backend) => Network.fromJSON(text, { backend }) },
];

/** A bump allocator over a backend's memory for calling kernels directly; reset() between cases. */
export { Scratch as KernelArena } from './helpers.js';
