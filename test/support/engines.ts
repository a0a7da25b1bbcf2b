// The modules the engine runs and the model formats the library reads, each listed once: the
// generated suites take their lists from here, so a new module (relaxed SIMD, threads) or a new
// format (ONNX, TF.js) joins every property by one line.
import { createJsBackend, type Backend, type BackendName } from '../../src/core/backend.js';
import type { SimdName } from '../../src/core/modules.js';
import { backendOf, runnableModules } from './modules.js';
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
  /** the threads Network.create takes for it: 1, or 2 on the shared-memory builds (their products split over a pool) */
  threads: number;
  /** a fresh backend (its own memory, and on threads its own workers: dispose() it) on this module */
  create(): Promise<Backend>;
}

export const ENGINE_MODULES: readonly EngineModule[] = [
  // plain SIMD; relaxed where the engine has it (Node ≥ 22; Node 20 with --experimental-wasm-relaxed-simd);
  // each with its own memory (1 thread) and, where threads run, on shared memory with 2 threads
  // (test/support/modules.ts: the list the other module-sweeping tests take)
  ...runnableModules().map((c): EngineModule => ({
    name: `wasm (${c.simd} SIMD${c.threads > 1 ? `, ${c.threads} threads` : ''})`, backend: 'wasm', simd: c.simd, threads: c.threads, create: () => backendOf(c),
  })),
  { name: 'js', backend: 'js', threads: 1, create: async () => createJsBackend() },
];

/**
 * The modules whose own properties a run checks: all of ENGINE_MODULES, or with
 * WASM_MLP_GENERATED_SIMD=relaxed only the relaxed ones — test/relaxed-simd.test.ts's child run
 * under Node 20's flag, whose parent ran the others (the parity properties compare every module
 * in either case).
 */
export const PROPERTY_MODULES: readonly EngineModule[] = process.env.WASM_MLP_GENERATED_SIMD === 'relaxed'
  ? ENGINE_MODULES.filter((m) => m.simd === 'relaxed')
  : ENGINE_MODULES;

/** The 1-thread module of the same build as a threaded one (what threads: 1 runs). */
export function singleThreadOf(mod: EngineModule): EngineModule {
  const one = ENGINE_MODULES.find((m) => m.backend === mod.backend && m.simd === mod.simd && m.threads === 1);
  if (one === undefined) throw new Error(`no 1-thread module of ${mod.name}`);
  return one;
}

/** A saved network: the text a format writes, and the bytes beside it (TF.js's weights.bin). */
export interface ModelFile { text: string; bytes?: Uint8Array }

export interface ModelFormat {
  name: string;
  /** how the reader's errors start */
  where: string;
  /** the network's file */
  write(net: Network): ModelFile;
  /** a network from such a file (or a hostile one), on a backend (and a module and thread count: the reader's default if not given) */
  read(file: ModelFile, backend: BackendName, execution?: { simd?: SimdName; threads?: number }): Promise<Network>;
}

export const MODEL_FORMATS: readonly ModelFormat[] = [
  { name: 'json', where: 'Network.fromJSON', write: (net) => ({ text: JSON.stringify(net) }), read: (f, backend, execution) => Network.fromJSON(f.text, { backend, ...execution }) },
  {
    name: 'TF.js (model.json + weights.bin)', where: 'fromTFJS',
    write: (net) => { const a = toTFJS(net); return { text: JSON.stringify(tfjsModelJSON(a)), bytes: new Uint8Array(a.weightData) }; },
    read: (f, backend, execution) => fromTFJS(f.text, { backend, ...execution, weightData: f.bytes ?? new Uint8Array(0) }),
  },
];

/** A bump allocator over a backend's memory for calling kernels directly; reset() between cases. */
export { Scratch as KernelArena } from './helpers.js';
