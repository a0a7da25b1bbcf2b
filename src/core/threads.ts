/**
 * The wasm backend on threads: the shared-memory module on a new shared WebAssembly.Memory, a pool
 * of workers on the same memory, and kernels whose large products are split over the pool.
 * The build bundles this (with pool.ts and parallel.ts) into a file of its own beside each bundle,
 * threads.js, imported only by a network that runs threads; so it imports no value from the files
 * the main bundle holds, and gets what it needs from backend.ts as arguments.
 */
import type { Backend, heapOf as HeapOf } from './backend.js';
import type { Kernels, PartKernels, ReferenceKernels } from './kernels.js';
import type { SimdName, importNode as ImportNode } from './modules.js';
import { COMMAND_BYTES, CONTROL_BYTES, Pool } from './pool.js';
import { splitKernels } from './parallel.js';

/** the shared modules' declared maximum (asconfig.json), in pages: 2 GiB, as MAX_ARENA_BYTES */
const SHARED_MAX_PAGES = 32768;
/** pages a shared memory starts with: more than the module's static data (11 pages) */
const SHARED_INITIAL_PAGES = 32;

type WasmExports = Kernels & ReferenceKernels & PartKernels & { arena_base(): number };

export interface SharedBackendOptions {
  module: WebAssembly.Module;
  simd: SimdName;
  /** threads including the caller's, ≥ 2 */
  threads: number;
  /** notes so far (the backend keeps adding to them) */
  notes: string[];
  heapOf: typeof HeapOf;
  importNode: typeof ImportNode;
}

const align64 = (x: number): number => Math.ceil(x / 64) * 64;

/**
 * Layout before the arena: the pool's control block, its list of parts, and the packed
 * products' scratch of every worker (the caller uses the module's own).
 */
export async function sharedBackend(o: SharedBackendOptions): Promise<Backend & { memory: WebAssembly.Memory }> {
  const { module, threads, notes } = o;
  const memory = new WebAssembly.Memory({ initial: SHARED_INITIAL_PAGES, maximum: SHARED_MAX_PAGES, shared: true });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const ex = instance.exports as unknown as WasmExports;
  const control = align64(ex.arena_base());
  const commands = align64(control + CONTROL_BYTES);
  const scratchBytes = align64(ex.gemm_scratch_bytes());
  const scratch = [0];
  let at = align64(commands + COMMAND_BYTES);
  for (let t = 1; t < threads; t++, at += scratchBytes) scratch.push(at);
  const heap = o.heapOf(memory);
  heap.reserve(at);
  const pool = await Pool.start({ module, memory, threads, control, commands, scratch, exports: instance.exports, importNode: o.importNode });
  return {
    name: 'wasm', kernels: splitKernels(ex, pool), raw: ex, base: at, ...heap, simd: o.simd, pool, memory,
    get threads() { return pool.closed === undefined ? threads : 1; },
    get notes() { return pool.closed === undefined || pool.closed === 'disposed' ? notes : [...notes, `threads 1 instead of ${threads}: ${pool.closed}`]; },
    dispose() { pool.close(); },
  };
}
