/**
 * What a network needs beyond the modules inlined in the bundles: the wasm backend on threads —
 * reading the shared-memory module files (plain and relaxed SIMD), the module on a
 * new shared WebAssembly.Memory, a pool of workers on the same memory, and kernels whose large
 * products are split over the pool. The build bundles this (with pool.ts and parallel.ts) into a
 * file of its own beside each bundle, extra.js, imported only by a network that uses one of those;
 * so it imports no value from the files the main bundle holds, and gets what it needs from
 * backend.ts as arguments. (One exception: split-work.ts, its constant table and the split
 * threshold, which both bundles carry a copy of; harmless, as only the tests change the threshold,
 * and they run src/ as one program.)
 */
import type { Backend, heapOf as HeapOf } from './backend.js';
import type { Kernels, PartKernels, ReferenceKernels } from './kernels.js';
import type { SimdName, importNode as ImportNode } from './modules.js';
import { COMMAND_BYTES, CONTROL_BYTES, Pool, isNodeHost } from './pool.js';
import { splitKernels, splitMinWork } from './parallel.js';

/** Why kernels cannot run on worker threads here (beyond modules.ts's noSharedMemory), or undefined when they can. */
export function threadsUnavailable(): string | undefined {
  const g = globalThis as { Worker?: unknown };
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return 'this engine has no SharedArrayBuffer';
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
  } catch {
    return "Atomics.wait is not allowed on a page's main thread; create the network in a Worker to use threads";
  }
  if (!isNodeHost() && typeof g.Worker !== 'function') return 'this environment has no Worker';
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch {
    return 'this engine has no shared WebAssembly memory';
  }
  return undefined;
}

// Each URL is written out literally, so that bundlers that follow new URL('…', import.meta.url)
// can find the file. (The tests run this file from src/: vitest.config.ts points these at build/.)
function moduleUrl(simd: SimdName): URL {
  return simd === 'relaxed' ? new URL('./mlp-relaxed-shared.wasm', import.meta.url) : new URL('./mlp-shared.wasm', import.meta.url);
}

const compiled = new Map<SimdName, Promise<WebAssembly.Module>>();

/**
 * A shared-memory module file beside the bundle, compiled once per SIMD; one that cannot be read
 * or compiled rejects, and is not kept (a later network may find it, say, after a deploy).
 */
function loadModuleFile(simd: SimdName, importNode: typeof ImportNode): Promise<WebAssembly.Module> {
  let p = compiled.get(simd);
  if (p === undefined) {
    p = readFile(moduleUrl(simd), importNode).then((bytes) => WebAssembly.compile(bytes));
    p.catch(() => compiled.delete(simd));
    compiled.set(simd, p);
  }
  return p;
}

async function readFile(url: URL, importNode: typeof ImportNode): Promise<Uint8Array<ArrayBuffer>> {
  try {
    if (url.protocol === 'file:') {
      const fs = await importNode<typeof import('node:fs/promises')>('fs/promises');
      return new Uint8Array(await fs.readFile(url));
    }
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
    return new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    throw new Error(`could not load ${url.href} (${(e as Error).message})`);
  }
}

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
  /** given every shared memory made for this backend and its fresh() successors (backend.ts's observeWasmMemory) */
  observe?: (memory: WebAssembly.Memory) => void;
  /** true: return without waiting for the workers to start (Pool.startSoon); else once they have (Pool.start) */
  background?: boolean;
}

const align64 = (x: number): number => Math.ceil(x / 64) * 64;

/**
 * A new shared memory with the module instantiated on it, laid out before the arena: the pool's
 * control block, its list of parts, and the packed products' scratch of every worker (the caller
 * uses the module's own).
 */
function sharedMemory(o: SharedBackendOptions) {
  const { module, threads } = o;
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
  o.observe?.(memory);
  return { memory, ex, heap, base: at, pool: { module, memory, threads, control, commands, scratch, exports: instance.exports, importNode: o.importNode } };
}

/**
 * The backend on a shared memory, its workers started: resolves once each has instantiated the
 * module, or (background) once they are on their way.
 */
export async function sharedBackend(o: SharedBackendOptions): Promise<Backend & { memory: WebAssembly.Memory }> {
  const s = sharedMemory(o);
  return backendOn(o, s, await (o.background === true ? Pool.startSoon(s.pool) : Pool.start(s.pool)));
}

function backendOn(o: SharedBackendOptions, s: ReturnType<typeof sharedMemory>, pool: Pool): Backend & { memory: WebAssembly.Memory } {
  const { threads, notes } = o;
  return {
    name: 'wasm', kernels: splitKernels(s.ex, pool), raw: s.ex, get splitWork() { return splitMinWork(); }, base: s.base, ...s.heap, simd: o.simd, pool, memory: s.memory,
    get threads() { return pool.closed === undefined ? threads : 1; },
    get notes() { return pool.closed === undefined || pool.closed === 'disposed' ? notes : [...notes, `threads 1 instead of ${threads}: ${pool.closed}`]; },
    dispose() { pool.close(); },
    // a new shared memory (one never shrinks) with new workers on it, started without waiting
    // for them (the caller runs the parts until they are up); the caller disposes of this one
    fresh() {
      const next = sharedMemory(o);
      if (pool.closed === undefined) return backendOn(o, next, Pool.startNow(next.pool));
      // a pool that a failed worker closed is not restarted: the new backend too runs on one thread, saying why
      return backendOn(o, next, Pool.closedOn(next.pool, pool.closed));
    },
  };
}

export interface ExtraBackendOptions {
  /** threads asked for (> 1), where modules.ts's noSharedMemory found no reason against them */
  threads: number;
  /** the kernel module, as backend.ts chose it for this engine */
  simd: SimdName;
  notes: string[];
  heapOf: typeof HeapOf;
  importNode: typeof ImportNode;
  /** given every shared memory made (backend.ts's observeWasmMemory) */
  observe?: (memory: WebAssembly.Memory) => void;
  /** as SharedBackendOptions's */
  background?: boolean;
}

/**
 * The wasm backend on threads, or undefined with a note saying why it runs on one thread (then on
 * the inlined module of the same SIMD).
 */
export async function extraBackend(o: ExtraBackendOptions): Promise<(Backend & { memory?: WebAssembly.Memory }) | undefined> {
  const { notes, threads, simd } = o;
  const why = threadsUnavailable();
  if (why !== undefined) {
    notes.push(`threads 1 instead of ${threads}: ${why}`);
    return undefined;
  }
  try {
    return await sharedBackend({ module: await loadModuleFile(simd, o.importNode), simd, threads, notes, heapOf: o.heapOf, importNode: o.importNode, observe: o.observe, background: o.background });
  } catch (e) {
    notes.push(`threads 1 instead of ${threads}: ${(e as Error).message}`);
    return undefined;
  }
}
