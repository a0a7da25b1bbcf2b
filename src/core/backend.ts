/**
 * A backend is a kernel set plus the memory it works in. 'wasm' runs assembly/ compiled with
 * SIMD; 'js' runs src/core/kernels-js over a Float32Array with the same byte offsets.
 */
import { instantiateSync } from '@assemblyscript/loader';
import wasmBytes from '../../build/mlp.wasm';
import type { Kernels, ReferenceKernels } from './kernels.js';
import * as js from './kernels-js/index.js';

export type BackendName = 'wasm' | 'js';
export const BACKENDS: readonly BackendName[] = ['wasm', 'js'];

export interface Backend {
  readonly name: BackendName;
  readonly kernels: Kernels & ReferenceKernels;
  /** first byte of memory the arena may use */
  readonly base: number;
  /** Makes bytes [0, end) addressable and returns the current heap view (a new one after growth). */
  reserve(end: number): Float32Array;
  /**
   * A new backend of the same kind with a memory of its own, as small as a new one (a memory
   * never shrinks: to give memory back, a network moves to a fresh one). Synchronous: the wasm
   * module is already compiled when a backend exists.
   */
  fresh(): Backend;
}

/** Arena sizes stay below 2 GiB so every byte offset and element count fits an i32. */
export const MAX_ARENA_BYTES = 2 ** 31 - 65536;

const PAGE = 65536;
let compiled: Promise<WebAssembly.Module> | undefined;

let simd: boolean | undefined;

/**
 * True when this engine can run the SIMD kernel module. Asked once per process: V8 keeps a little
 * native memory for every WebAssembly.validate (about 1 kB; 20 000 calls grew the resident size
 * by 17 MiB), and the answer cannot change.
 */
export function wasmSimdSupported(): boolean {
  if (simd === undefined) {
    try {
      simd = typeof WebAssembly === 'object' && WebAssembly.validate(wasmBytes);
    } catch {
      simd = false;
    }
  }
  return simd;
}

/** Internal, for tests that stub WebAssembly.validate: the next wasmSimdSupported() asks again. */
export function forgetSimdProbe(): void {
  simd = undefined;
}

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

/** The compiled module, compiled once; a failed compile is forgotten, so the next create retries. */
function compiledModule(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compile(wasmBytes).catch((e: unknown) => {
    compiled = undefined;
    throw new Error(`wasm-mlp: could not compile the WebAssembly kernels (${(e as Error).message ?? e}); a later Network.create tries again`);
  });
  return compiled;
}

type WasmExports = Kernels & ReferenceKernels & { memory: WebAssembly.Memory; arena_base(): number };

export async function createWasmBackend(): Promise<Backend> {
  return instantiateWasm(await compiledModule());
}

/** A wasm backend on a new instance (and memory) of the compiled module. */
function instantiateWasm(module: WebAssembly.Module): Backend {
  // the loader turns an abort inside the module into an Error with file and line
  // instantiateSync, given the compiled module: the loader's async instantiate first asks whether
  // its argument is a fetch Response, and in Node touching the global Response loads the whole
  // fetch implementation (≈ 20 ms, more than everything else create() does)
  const { instance } = instantiateSync<Record<string, unknown>>(module, {});
  const ex = instance.exports as unknown as WasmExports;
  const memory = ex.memory;
  memoryObserver?.(memory);
  let heap = new Float32Array(memory.buffer);
  return {
    name: 'wasm',
    kernels: ex,
    base: ex.arena_base(),
    reserve(end: number): Float32Array {
      const have = memory.buffer.byteLength;
      if (end > have) {
        try {
          memory.grow(Math.ceil((end - have) / PAGE));
        } catch (e) {
          throw new Error(`wasm-mlp: could not grow WebAssembly memory to ${mib(end)} for this network (${(e as Error).message})`);
        }
      }
      // memory.grow detaches the old buffer: every view is re-created here, and only here
      if (heap.buffer !== memory.buffer) heap = new Float32Array(memory.buffer);
      return heap;
    },
    fresh: () => instantiateWasm(module),
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
    dropout_apply: (x, mask, n, sc) => js.dropout_apply(heap, x, mask, n, f(sc)),
  };
  return {
    name: 'js',
    kernels,
    base: 64,
    reserve(end: number): Float32Array {
      if (end > heap.byteLength) {
        const grown = new Float32Array(Math.ceil(end / PAGE) * (PAGE / 4));
        grown.set(heap);
        heap = grown;
      }
      return heap;
    },
    fresh: createJsBackend,
  };
}

let warnedNoSimd = false;

/** The backend asked for; 'wasm' falls back to 'js' (warning once) where WASM SIMD is missing. */
export async function createBackend(name: BackendName): Promise<Backend> {
  if (name === 'js') return createJsBackend();
  if (!wasmSimdSupported()) {
    if (!warnedNoSimd) {
      warnedNoSimd = true;
      console.warn("wasm-mlp: this engine has no WebAssembly SIMD; backend 'wasm' falls back to the pure JS kernels ('js').");
    }
    return createJsBackend();
  }
  return createWasmBackend();
}

export function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
