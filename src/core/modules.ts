/**
 * The kernel modules and what this engine can run. One source (assembly/) gives four builds:
 * plain or relaxed SIMD, each with its own memory or importing a shared one (for threads). The
 * plain module with its own memory is inlined in every bundle, so the default needs no extra file;
 * the other three ship as files beside the bundle (dist/ and dist/browser/), read or fetched only
 * when a network asks for them, by the code in extra.ts (a file of its own in the bundles).
 */
import plainBytes from '../../build/mlp.wasm';
import type { SimdName } from './execution-options.js';

export { SIMD_OPTIONS, type SimdName, type SimdOption } from './execution-options.js';

/** The inlined module: plain SIMD, its own memory, compiled once (a failed compile is retried next time). */
let plainModule: Promise<WebAssembly.Module> | undefined;
export function compiledPlainModule(): Promise<WebAssembly.Module> {
  plainModule ??= WebAssembly.compile(plainBytes);
  plainModule.catch(() => { plainModule = undefined; });
  return plainModule;
}

export interface ModuleKind {
  simd: SimdName;
  /** imports a shared memory (threads) instead of owning one */
  shared: boolean;
}

/** The module's file name in build/ and beside the bundles in dist/. */
export function moduleFile(kind: ModuleKind): string {
  return `mlp${kind.simd === 'relaxed' ? '-relaxed' : ''}${kind.shared ? '-shared' : ''}.wasm`;
}

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

/** A Node built-in, imported at run time only (a browser bundle never reaches these calls). */
export function importNode<T>(name: string): Promise<T> {
  const specifier = `node:${name}`;
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as Promise<T>;
}

let simd: boolean | undefined;

/**
 * True when this engine can run the SIMD kernel module. Asked once per process: V8 keeps a little
 * native memory for every WebAssembly.validate (about 1 kB; 20 000 calls grew the resident size
 * by 17 MiB), and the answer cannot change.
 */
export function wasmSimdSupported(): boolean {
  if (simd === undefined) {
    try {
      simd = typeof WebAssembly === 'object' && WebAssembly.validate(plainBytes);
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

const ISOLATION_HINT = 'serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp';

/**
 * Why this page has no shared memory (it is not cross-origin isolated), or undefined. The finer
 * checks of threads (extra.ts's threadsUnavailable) come with the thread code, which such a page
 * never loads.
 */
export function noSharedMemory(): string | undefined {
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) {
    return `the page is not cross-origin isolated (${ISOLATION_HINT})`;
  }
  return undefined;
}

/** The number of cores this process may use (at least 1). */
export async function availableCores(): Promise<number> {
  const n = isNode
    ? (await importNode<typeof import('node:os')>('os')).availableParallelism()
    : (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return Math.max(1, Math.floor(n ?? 1));
}

export { isNode };
