/**
 * A backend is a kernel set plus the memory it works in. 'wasm' runs assembly/ compiled with
 * SIMD (plain or relaxed, src/core/modules.ts), on one thread or with its large products split
 * over a pool of workers sharing its memory (src/core/extra.ts, pool.ts, parallel.ts); 'js' runs
 * src/core/kernels-js over a Float32Array with the same byte offsets.
 */
import type { Kernels, PartKernels, ReferenceKernels } from './kernels.js';
import * as js from './kernels-js/index.js';
import {
  availableCores, canInflate, compiledInlinedModule, importNode, noSharedMemory, relaxedSimdSupported, wasmSimdSupported,
  type SimdName, type SimdOption,
} from './modules.js';
import type { Pool } from './pool.js';
import type { BackendName } from './execution-options.js';

export { wasmSimdSupported, relaxedSimdSupported, forgetSimdProbe } from './modules.js';
export type { SimdName, SimdOption } from './modules.js';
export { BACKENDS, type BackendName } from './execution-options.js';

export interface Backend {
  readonly name: BackendName;
  readonly kernels: Kernels & ReferenceKernels;
  /** first byte of memory the arena may use */
  readonly base: number;
  /** Makes bytes [0, end) addressable and returns the current heap view (a new one after growth). */
  reserve(end: number): Float32Array;
  /** the SIMD build the kernels run: 'relaxed' | 'plain', or 'none' for the js backend */
  readonly simd: SimdName | 'none';
  /** threads the large products are split over (1: the calling thread only; 1 again after a worker failed or dispose()) */
  readonly threads: number;
  /** why simd and threads are not what was asked, one sentence each; [] when they are */
  readonly notes: readonly string[];
  /** wasm: the module's own exports (no product split), with the block kernels threads use */
  readonly raw: (Kernels & ReferenceKernels & PartKernels) | undefined;
  /** the worker pool while threads > 1 */
  readonly pool: Pool | undefined;
  /** multiply-adds a product needs before `kernels` may split it over threads; undefined: they never do */
  readonly splitWork?: number;
  /** Terminates the workers (if any). The kernels stay usable, on the calling thread. */
  dispose(): void;
  /**
   * A new backend of the same kind with a memory of its own, as small as a new one (a memory
   * never shrinks: to give memory back, a network moves to a fresh one, then disposes of the old
   * backend). Synchronous: the wasm module is already compiled when a backend exists. On threads,
   * a new shared memory with new workers on it, which start in the background (the calling thread
   * runs every part until they are up; the results are the same bits either way).
   */
  fresh(): Backend;
}

/** Arena sizes stay below 2 GiB so every byte offset and element count fits an i32. */
export const MAX_ARENA_BYTES = 2 ** 31 - 65536;

const PAGE = 65536;
/** 'auto' threads: the available cores, at most this many (each worker costs a module instance and 640 KiB of scratch) */
export const AUTO_THREADS_CAP = 8;
export { MAX_THREADS } from './execution-options.js';

let memoryObserver: ((memory: WebAssembly.Memory) => void) | undefined;

/**
 * Internal, for the benchmark's and the tests' memory checks (not exported from the package):
 * `observer` is given the WebAssembly.Memory of every wasm backend created from now on, until it
 * is unset with undefined. The library itself keeps no reference to any memory: a disposed
 * network's memory is garbage as soon as the caller lets go of it — or at once, as dispose()
 * drops every reference the network held.
 */
export function observeWasmMemory(observer: ((memory: WebAssembly.Memory) => void) | undefined): void {
  memoryObserver = observer;
}

type WasmExports = Kernels & ReferenceKernels & PartKernels & { memory: WebAssembly.Memory; arena_base(): number };

export interface WasmBackendOptions {
  /** 'auto' (default): relaxed SIMD where the engine has it, else plain */
  simd?: SimdOption;
  /** threads including the caller's: a number ≥ 1, or 'auto' (the available cores, at most AUTO_THREADS_CAP); default 1 */
  threads?: number | 'auto';
  /**
   * On threads: true returns without waiting for the workers to start (the calling thread runs
   * every part until they are up; one that cannot start closes the pool, and notes then say so);
   * default false, once every worker has started (or with a note why the backend runs on one thread)
   */
  background?: boolean;
}

/**
 * The wasm backend with the module and threads asked for, or the nearest this engine runs: each
 * step down (relaxed → plain, threads → 1) adds a sentence to `notes` and never throws.
 */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<Backend> {
  const notes: string[] = [];
  const asked = options.threads ?? 1;
  let threads = asked === 'auto' ? Math.min(await availableCores(), AUTO_THREADS_CAP) : asked;
  if (threads > 1) {
    const why = noSharedMemory();
    if (why !== undefined) {
      notes.push(`threads 1 instead of ${threads}: ${why}`);
      threads = 1;
    }
  }
  // 'auto' takes relaxed SIMD wherever the engine has it (both single-thread modules are inlined)
  let simd: SimdName = options.simd === 'plain' ? 'plain' : 'relaxed';
  if (simd === 'relaxed' && !relaxedSimdSupported()) {
    simd = 'plain';
    if (options.simd === 'relaxed') notes.push("simd 'plain' instead of 'relaxed': this engine has no relaxed SIMD (Node 20 needs --experimental-wasm-relaxed-simd)");
  }
  if (threads > 1) {
    try {
      const be = await (await extra()).extraBackend({ threads, simd, notes, heapOf, importNode, observe: (m) => memoryObserver?.(m), background: options.background });
      if (be !== undefined) return be;
    } catch (e) {
      notes.push(`threads 1 instead of ${threads}: extra.js did not load (${(e as Error).message})`);
    }
  }
  let module: WebAssembly.Module;
  try {
    try {
      module = await compiledInlinedModule(simd);
    } catch (e) {
      // an engine that validates relaxed_madd but not the whole relaxed module: plain, saying why
      if (simd !== 'relaxed') throw e;
      notes.push(`simd 'plain' instead of 'relaxed': the relaxed module did not compile (${(e as Error).message ?? e})`);
      simd = 'plain';
      module = await compiledInlinedModule(simd);
    }
  } catch (e) {
    throw new Error(`wasm-mlp: could not compile the WebAssembly kernels (${(e as Error).message ?? e}); a later Network.create tries again`);
  }
  return singleBackend(module, simd, notes);
}

/** The code for threads: a file of its own in the bundles (dist/extra.js, dist/browser/extra.js), loaded only when used. */
const extra = () => import('./extra.js');

/** reserve() over a memory: grows it as needed; the view is re-created after any growth, and only then. */
export function heapOf(memory: WebAssembly.Memory): { reserve(end: number): Float32Array } {
  let heap = new Float32Array(memory.buffer);
  return {
    reserve(end: number): Float32Array {
      const have = memory.buffer.byteLength;
      if (end > have) {
        try {
          memory.grow(Math.ceil((end - have) / PAGE));
        } catch (e) {
          throw new Error(`wasm-mlp: could not grow WebAssembly memory to ${mib(end)} for this network (${(e as Error).message})`);
        }
      }
      // a grown memory has a new buffer: a non-shared one detaches the old (its views read as
      // empty), a shared one keeps the old at its old length; either way the view is made anew
      if (heap.byteLength !== memory.buffer.byteLength) heap = new Float32Array(memory.buffer);
      return heap;
    },
  };
}

function singleBackend(module: WebAssembly.Module, simd: SimdName, notes: string[]): Backend {
  // The release modules import nothing (no abort: they are built with noAssert), so they are
  // instantiated directly, synchronously, on the compiled module. (@assemblyscript/loader, which
  // did this before, adds nothing for a module without imports but 5 KB to every bundle.)
  const instance = new WebAssembly.Instance(module, {});
  const ex = instance.exports as unknown as WasmExports;
  memoryObserver?.(ex.memory);
  return {
    name: 'wasm', kernels: ex, raw: ex, base: ex.arena_base(), ...heapOf(ex.memory), simd, threads: 1, notes, pool: undefined,
    dispose() {},
    fresh: () => singleBackend(module, simd, notes),
  };
}

export function createJsBackend(): Backend {
  let heap = new Float32Array(PAGE / 4);
  const f = Math.fround; // f32 scalars, as the wasm ABI passes them
  const kernels: Kernels & ReferenceKernels = {
    gemm_nn: (c, a, b, M, N, K, al, be) => js.gemm_nn(heap, c, a, b, M, N, K, f(al), f(be)),
    gemm_nt: (c, a, b, M, N, K, al, be) => js.gemm_nt(heap, c, a, b, M, N, K, f(al), f(be)),
    gemm_tn: (c, a, b, M, N, K, al, be) => js.gemm_tn(heap, c, a, b, M, N, K, f(al), f(be)),
    gemm_nn_ref: (c, a, b, M, N, K, al, be) => js.gemm_nn_ref(heap, c, a, b, M, N, K, f(al), f(be)),
    gemm_nt_ref: (c, a, b, M, N, K, al, be) => js.gemm_nt_ref(heap, c, a, b, M, N, K, f(al), f(be)),
    gemm_tn_ref: (c, a, b, M, N, K, al, be) => js.gemm_tn_ref(heap, c, a, b, M, N, K, f(al), f(be)),
    gemm_nn_packed: (c, a, b, M, N, K, al, be) => js.gemm_nn_packed(heap, c, a, b, M, N, K, f(al), f(be)),
    gemm_nt_packed: (c, a, b, M, N, K, al, be) => js.gemm_nt_packed(heap, c, a, b, M, N, K, f(al), f(be)),
    gemm_tn_packed: (c, a, b, M, N, K, al, be) => js.gemm_tn_packed(heap, c, a, b, M, N, K, f(al), f(be)),
    bias_add: (z, b, rows, cols) => js.bias_add(heap, z, b, rows, cols),
    row_sum: (db, dz, rows, cols, al) => js.row_sum(heap, db, dz, rows, cols, f(al)),
    bias_sigmoid: (a, z, b, rows, cols) => js.bias_sigmoid(heap, a, z, b, rows, cols),
    bias_tanh: (a, z, b, rows, cols) => js.bias_tanh(heap, a, z, b, rows, cols),
    bias_relu: (a, z, b, rows, cols) => js.bias_relu(heap, a, z, b, rows, cols),
    bias_leaky_relu: (a, z, b, rows, cols) => js.bias_leaky_relu(heap, a, z, b, rows, cols),
    bias_identity: (a, z, b, rows, cols) => js.bias_identity(heap, a, z, b, rows, cols),
    sigmoid_forward: (a, z, n) => js.sigmoid_forward(heap, a, z, n),
    sigmoid_backward: (dz, da, a, z, n) => js.sigmoid_backward(heap, dz, da, a, z, n),
    tanh_forward: (a, z, n) => js.tanh_forward(heap, a, z, n),
    tanh_backward: (dz, da, a, z, n) => js.tanh_backward(heap, dz, da, a, z, n),
    relu_forward: (a, z, n) => js.relu_forward(heap, a, z, n),
    relu_backward: (dz, da, a, z, n) => js.relu_backward(heap, dz, da, a, z, n),
    leaky_relu_forward: (a, z, n) => js.leaky_relu_forward(heap, a, z, n),
    leaky_relu_backward: (dz, da, a, z, n) => js.leaky_relu_backward(heap, dz, da, a, z, n),
    bce_cost: (z, y, n, m) => js.bce_cost(heap, z, y, n, m),
    bce_cost_ref: (z, y, n, m) => js.bce_cost_ref(heap, z, y, n, m),
    output_delta: (dz, a, y, n) => js.output_delta(heap, dz, a, y, n),
    sgd_update: (p, g, n, lr) => js.sgd_update(heap, p, g, n, f(lr)),
    softmax_forward: (a, z, rows, cols) => js.softmax_forward(heap, a, z, rows, cols),
    identity_forward: (a, z, n) => js.identity_forward(heap, a, z, n),
    identity_backward: (dz, da, a, z, n) => js.identity_backward(heap, dz, da, a, z, n),
    cce_cost: (z, y, rows, cols) => js.cce_cost(heap, z, y, rows, cols),
    mse_cost: (a, y, n, m) => js.mse_cost(heap, a, y, n, m),
    momentum_update: (p, v, g, n, lr, b) => js.momentum_update(heap, p, v, g, n, f(lr), f(b)),
    rmsprop_update: (p, s, g, n, lr, b, e) => js.rmsprop_update(heap, p, s, g, n, f(lr), f(b), f(e)),
    adam_update: (p, v, s, g, n, lr, b1, b2, e, c1, c2) =>
      js.adam_update(heap, p, v, s, g, n, f(lr), f(b1), f(b2), f(e), f(c1), f(c2)),
    l2_grad_add: (dw, w, n, sc) => js.l2_grad_add(heap, dw, w, n, f(sc)),
    sum_squares: (w, n) => js.sum_squares(heap, w, n),
    all_finite: (w, n) => js.all_finite(heap, w, n),
    dropout_apply: (x, mask, n, sc) => js.dropout_apply(heap, x, mask, n, f(sc)),
  };
  return {
    name: 'js',
    kernels,
    raw: undefined,
    pool: undefined,
    simd: 'none',
    threads: 1,
    notes: [],
    dispose() {},
    fresh: createJsBackend,
    base: 64,
    reserve(end: number): Float32Array {
      if (end > heap.byteLength) {
        const grown = new Float32Array(Math.ceil(end / PAGE) * (PAGE / 4));
        grown.set(heap);
        heap = grown;
      }
      return heap;
    },
  };
}

let warnedFallback = false;

/**
 * The backend asked for; 'wasm' falls back to 'js' (warning once) where WASM SIMD is missing, or
 * the DecompressionStream that unpacks the inlined kernels (an engine with SIMD but without it:
 * Firefox 89–112).
 */
export async function createBackend(name: BackendName, options: WasmBackendOptions = {}): Promise<Backend> {
  if (name === 'js') return createJsBackend();
  const missing = !wasmSimdSupported() ? 'WebAssembly SIMD'
    : !canInflate() ? 'DecompressionStream (which unpacks the inlined WebAssembly kernels)' : undefined;
  if (missing !== undefined) {
    if (!warnedFallback) {
      warnedFallback = true;
      console.warn(`wasm-mlp: this engine has no ${missing}; backend 'wasm' falls back to the pure JS kernels ('js').`);
    }
    return createJsBackend();
  }
  return createWasmBackend(options);
}

export function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
